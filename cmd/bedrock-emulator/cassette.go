package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

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
		imported, notes, err := cassette.Import(src, data, cassette.ImportOptions{ModelID: *model, Region: *region})
		if err != nil {
			return fmt.Errorf("cassette import: %s: %w", src, err)
		}
		for _, n := range notes {
			fmt.Fprintf(stderr, "%s: %s\n", src, n)
		}
		for _, i := range imported.Interactions {
			cassette.Redact(i, cassette.RedactOptions{MaskAccountIDs: *mask})
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
		c, _, err := cassette.Import(path, data, cassette.ImportOptions{ModelID: *model})
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

// cassetteFlags are serve's flags for replaying cassettes.
type cassetteFlags struct {
	paths          []string
	timing, strict *bool
}

// addCassetteFlags registers on serve's flag set:
//
//	--cassette FILE_OR_DIR   repeatable; env BEDROCK_EMULATOR_CASSETTE, paths separated by the OS list separator
//	--cassette-timing        replay the recorded timing; env BEDROCK_EMULATOR_CASSETTE_TIMING
//	--cassette-strict        answer unmatched requests with an error; env BEDROCK_EMULATOR_CASSETTE_STRICT
func addCassetteFlags(fs *flag.FlagSet) *cassetteFlags {
	cf := &cassetteFlags{}
	if v := env("cassette", ""); v != "" {
		cf.paths = filepath.SplitList(v)
	}
	fromEnv := cf.paths != nil
	fs.Func("cassette", "a cassette file, or a directory of them, to replay; repeatable (env BEDROCK_EMULATOR_CASSETTE, a list)", func(s string) error {
		if fromEnv { // flags win over the environment
			cf.paths, fromEnv = nil, false
		}
		cf.paths = append(cf.paths, s)
		return nil
	})
	cf.timing = fs.Bool("cassette-timing", env("cassette-timing", "") == "true", "replay cassettes with their recorded timing (env BEDROCK_EMULATOR_CASSETTE_TIMING=true)")
	cf.strict = fs.Bool("cassette-strict", env("cassette-strict", "") == "true", "answer a request no cassette matches with an error instead of the default reply (env BEDROCK_EMULATOR_CASSETTE_STRICT=true)")
	return cf
}

// install adds the cassette replay behaviour to opts, when cassettes were given.
func (cf *cassetteFlags) install(opts *[]func(*emulator.Options)) error {
	if len(cf.paths) == 0 {
		return nil
	}
	cas, err := fixtures.LoadCassettes(cf.paths, func(o *fixtures.CassetteOptions) {
		o.RecordedTiming, o.Strict = *cf.timing, *cf.strict
	})
	if err != nil {
		return fmt.Errorf("--cassette: %w", err)
	}
	*opts = append(*opts, emulator.WithBehaviour(cas))
	return nil
}
