package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/fixtures"
	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
)

const cassetteUsage = `usage:
  bedrock-emulator cassette import [--model ID] [--region R] [--mask-account-ids] [-o FILE] SRC...
      convert recordings of other tools (vcrpy YAML, nock JSON, vercel/ai captures, bare
      event-stream bodies) to one cassette, redacted; to stdout without -o
  bedrock-emulator cassette show [--model ID] FILE...
      print a cassette's interactions: requests, responses, stream events
`

// cassetteCmd runs `bedrock-emulator cassette import|show`.
func cassetteCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, cassetteUsage)
		return errors.New("cassette: no subcommand given")
	}
	switch args[0] {
	case "import":
		return cassetteImport(args[1:], stdout, stderr)
	case "show":
		return cassetteShow(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, cassetteUsage)
		return nil
	}
	fmt.Fprint(stderr, cassetteUsage)
	return fmt.Errorf("cassette: unknown subcommand %q", args[0])
}

func cassetteImport(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("cassette import", stderr)
	model := fs.String("model", "", "the model ID of a bare event-stream body, which names none")
	region := fs.String("region", "", "the region of the URL made up for a recording without one (default us-east-1)")
	mask := fs.Bool("mask-account-ids", false, "replace the account ID of every ARN with 000000000000")
	out := fs.String("o", "", "the cassette file to write; stdout if not given")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("cassette import: no recording given")
	}
	name := *out
	if name == "" {
		name = "stdout"
	}
	c := cassette.New(name)
	for _, src := range fs.Args() {
		data, err := os.ReadFile(src)
		if err != nil {
			return fmt.Errorf("cassette import: %w", err)
		}
		imported, notes, err := cassette.Import(src, data, cassette.WithModelID(*model), cassette.WithRegion(*region))
		if err != nil {
			return fmt.Errorf("cassette import: %s: %w", src, err)
		}
		for _, n := range notes {
			fmt.Fprintf(stderr, "%s: %s\n", src, n)
		}
		for _, i := range imported.Interactions {
			cassette.Redact(i, cassette.WithMaskAccountIDs(*mask))
			c.Add(i)
		}
	}
	if *out != "" {
		if err := c.Save(*out); err != nil {
			return fmt.Errorf("cassette import: %w", err)
		}
		fmt.Fprintf(stderr, "wrote %d interaction(s) to %s\n", len(c.Interactions), *out)
		return nil
	}
	if err := cassette.Scan(c); err != nil {
		return fmt.Errorf("cassette import: %w", err)
	}
	data, err := c.Marshal()
	if err != nil {
		return err
	}
	_, err = stdout.Write(data)
	return err
}

func cassetteShow(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("cassette show", stderr)
	model := fs.String("model", "", "the model ID of a bare event-stream body, which names none")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("cassette show: no cassette given")
	}
	for n, path := range fs.Args() {
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("cassette show: %w", err)
		}
		c, _, err := cassette.Import(path, data, cassette.WithModelID(*model))
		if err != nil {
			return fmt.Errorf("cassette show: %s: %w", path, err)
		}
		if n > 0 {
			fmt.Fprintln(stdout)
		}
		if err := c.Show(stdout); err != nil {
			return err
		}
	}
	return nil
}

// cassetteFlags are serve's flags for replaying cassettes:
//
//	--cassette FILE|DIR   a cassette (or every .yaml/.yml below a directory), repeatable
//	--cassette-timing     replay the recorded timing
//	--cassette-strict     refuse requests no cassette matches
//
// Each has an environment variable, BEDROCK_EMULATOR_ and its name in capitals with _ for -
// (BEDROCK_EMULATOR_CASSETTE holds a list separated by ":", or ";" on Windows); flags win.
type cassetteFlags struct {
	fs             *flag.FlagSet
	paths          []string
	timing, strict bool
}

func addCassetteFlags(fs *flag.FlagSet) *cassetteFlags {
	f := &cassetteFlags{fs: fs}
	fs.Func("cassette", "cassette to replay, or a directory of them; repeatable (env BEDROCK_EMULATOR_CASSETTE, a list)", func(s string) error {
		f.paths = append(f.paths, s)
		return nil
	})
	fs.BoolVar(&f.timing, "cassette-timing", false, "replay cassettes with their recorded timing (env BEDROCK_EMULATOR_CASSETTE_TIMING)")
	fs.BoolVar(&f.strict, "cassette-strict", false, "answer requests no cassette matches with an error showing the closest recording (env BEDROCK_EMULATOR_CASSETTE_STRICT)")
	return f
}

// install reads the environment for the flags not given, loads the cassettes and adds their
// replay to opts. Call it after fs.Parse.
func (f *cassetteFlags) install(opts *[]func(*emulator.Options)) error {
	given := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	for _, name := range []string{"cassette", "cassette-timing", "cassette-strict"} {
		v, ok := os.LookupEnv(envName(name))
		switch {
		case given[name] || !ok:
		case name == "cassette":
			f.paths = slices.DeleteFunc(filepath.SplitList(v), func(s string) bool { return s == "" })
		default:
			if err := f.fs.Set(name, v); err != nil {
				return fmt.Errorf("%s=%q: %v", envName(name), v, err)
			}
		}
	}
	if len(f.paths) == 0 {
		return nil
	}
	cas, err := fixtures.LoadCassettes(f.paths, fixtures.WithRecordedTiming(f.timing), fixtures.WithStrict(f.strict))
	if err != nil {
		return fmt.Errorf("--cassette: %w", err)
	}
	*opts = append(*opts, emulator.WithBehaviour(cas))
	return nil
}
