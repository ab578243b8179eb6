package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/fixtures"
)

// scriptFlags are serve's flags for scripts and faults:
//
//	--script FILE|DIR   a script (or every *.yaml in a directory), repeatable
//	--strict            refuse requests no rule matches, naming the closest rule
//	--throttle-every N, --throttle-rate F, --throttle-error TYPE
//	--latency D, --latency-jitter D
//	--drop-every N, --drop-rate F, --drop-after N
//	--fault-seed N
//
// Each has an environment variable, BEDROCK_EMULATOR_ and its name in capitals with _ for -
// (BEDROCK_EMULATOR_SCRIPT holds a list separated by ":", or ";" on Windows); flags win.
// The scripts and faults are served from one fixtures.Set, whose admin API
// (/_emulator/scripts) can change them at run time.
type scriptFlags struct {
	fs            *flag.FlagSet
	scripts       []string
	strict        bool
	faults        fixtures.Faults
	throttleError string
}

func addScriptFlags(fs *flag.FlagSet) *scriptFlags {
	f := &scriptFlags{fs: fs}
	fs.Func("script", "YAML script, or a directory of them, answering requests; repeatable (env BEDROCK_EMULATOR_SCRIPT, a list)", func(s string) error {
		f.scripts = append(f.scripts, s)
		return nil
	})
	fs.BoolVar(&f.strict, "strict", false, "answer requests no script rule matches with an error naming the closest rule (env BEDROCK_EMULATOR_STRICT)")
	fs.IntVar(&f.faults.ThrottleEvery, "throttle-every", 0, "throttle every Nth request (env BEDROCK_EMULATOR_THROTTLE_EVERY)")
	fs.Float64Var(&f.faults.ThrottleRate, "throttle-rate", 0, "throttle this fraction of requests, drawn from --fault-seed (env BEDROCK_EMULATOR_THROTTLE_RATE)")
	fs.StringVar(&f.throttleError, "throttle-error", "", "exception type of throttled requests; default ThrottlingException (env BEDROCK_EMULATOR_THROTTLE_ERROR)")
	fs.DurationVar(&f.faults.Latency, "latency", 0, "delay every request this long (env BEDROCK_EMULATOR_LATENCY)")
	fs.DurationVar(&f.faults.LatencyJitter, "latency-jitter", 0, "delay every request up to this much more, at random (env BEDROCK_EMULATOR_LATENCY_JITTER)")
	fs.IntVar(&f.faults.DropEvery, "drop-every", 0, "break the connection of every Nth stream (env BEDROCK_EMULATOR_DROP_EVERY)")
	fs.Float64Var(&f.faults.DropRate, "drop-rate", 0, "break the connection of this fraction of streams (env BEDROCK_EMULATOR_DROP_RATE)")
	fs.IntVar(&f.faults.DropAfter, "drop-after", 0, "events a broken stream sends first (env BEDROCK_EMULATOR_DROP_AFTER)")
	fs.Uint64Var(&f.faults.Seed, "fault-seed", 0, "seed of the random faults (env BEDROCK_EMULATOR_FAULT_SEED)")
	return f
}

var scriptFlagNames = []string{"script", "strict", "throttle-every", "throttle-rate", "throttle-error",
	"latency", "latency-jitter", "drop-every", "drop-rate", "drop-after", "fault-seed"}

func envName(flagName string) string {
	return "BEDROCK_EMULATOR_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// install reads the environment for the flags not given, loads the scripts and adds them,
// with the fault flags, to opts. Call it after fs.Parse.
func (f *scriptFlags) install(opts *[]func(*emulator.Options)) error {
	given := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	for _, name := range scriptFlagNames {
		v, ok := os.LookupEnv(envName(name))
		switch {
		case given[name] || !ok:
		case name == "script":
			f.scripts = slices.DeleteFunc(filepath.SplitList(v), func(s string) bool { return s == "" })
		default:
			if err := f.fs.Set(name, v); err != nil {
				return fmt.Errorf("%s=%q: %v", envName(name), v, err)
			}
		}
	}

	var scripts []*fixtures.Script
	for _, path := range f.scripts {
		loaded, err := loadScripts(path)
		if err != nil {
			return fmt.Errorf("--script: %w", first(err))
		}
		scripts = append(scripts, loaded...)
	}
	if f.throttleError != "" {
		e, err := emulator.NewError(f.throttleError, "")
		if err != nil {
			return fmt.Errorf("--throttle-error: %w", err)
		}
		f.faults.ThrottleError = e
	}
	if f.faults != (fixtures.Faults{Seed: f.faults.Seed}) {
		if err := f.faults.Check(); err != nil {
			return fmt.Errorf("fault flags: %w", first(err))
		}
		faults := f.faults
		scripts = append(scripts, &fixtures.Script{Name: "fault flags", Faults: &faults})
	}
	set := fixtures.NewSet(scripts...)
	set.SetStrict(f.strict)
	*opts = append(*opts, set.Install)
	return nil
}

// loadScripts loads the script at path, or every *.yaml and *.yml in the directory path,
// in name order.
func loadScripts(path string) ([]*fixtures.Script, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	files := []string{path}
	if info.IsDir() {
		files, _ = filepath.Glob(filepath.Join(path, "*.yaml"))
		yml, _ := filepath.Glob(filepath.Join(path, "*.yml"))
		files = append(files, yml...)
		slices.Sort(files)
		if len(files) == 0 {
			return nil, fmt.Errorf("%s: no *.yaml or *.yml scripts in the directory", path)
		}
	}
	var out []*fixtures.Script
	for _, file := range files {
		s, err := fixtures.LoadFile(file)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// first keeps an error to one line: the first of several, saying how many more there are.
func first(err error) error {
	var joined interface{ Unwrap() []error }
	if errors.As(err, &joined) {
		if errs := joined.Unwrap(); len(errs) > 1 {
			return fmt.Errorf("%w (and %d more)", errs[0], len(errs)-1)
		}
	}
	return err
}
