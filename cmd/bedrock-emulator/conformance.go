package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/bedrock-emulator/bedrock-emulator/conformance"
)

const conformanceUsage = `usage: bedrock-emulator conformance (--endpoint URL | --bedrock | --cassette FILE) [--diff TARGET] [flags]

Runs the conformance suite against one target and prints, per case, its outcome and why;
exits non-zero when a case fails. With --diff it runs the suite against a second target
too (a URL, "bedrock", or a cassette file) and reports, case by case, where the answers
differ in structure. --record FILE, with --bedrock, records the run to a cassette that
--cassette FILE replays offline.

flags:
`

// conformanceCmd runs the conformance suite: bedrock-emulator conformance.
func conformanceCmd(args []string, stdout, stderr io.Writer) (err error) {
	fs := newFlags("conformance", stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, conformanceUsage)
		fs.PrintDefaults()
	}
	endpoint := fs.String("endpoint", env("endpoint", ""), "URL of the Bedrock Runtime endpoint to check, e.g. a served emulator (env BEDROCK_EMULATOR_ENDPOINT)")
	bedrock := fs.Bool("bedrock", false, "check real Amazon Bedrock, with credentials from the AWS default chain; calls cost money (small maxTokens, cheap models)")
	cassette := fs.String("cassette", env("cassette", ""), "check the answers of a cassette of a real run, offline (env BEDROCK_EMULATOR_CASSETTE)")
	record := fs.String("record", env("record", ""), "with --bedrock, record the run to this cassette file (env BEDROCK_EMULATOR_RECORD)")
	region := fs.String("region", env("region", ""), "AWS Region of real Bedrock; default: AWS_REGION or the shared config (env BEDROCK_EMULATOR_REGION)")
	diff := fs.String("diff", env("diff", ""), "a second target to compare with: a URL, \"bedrock\" or a cassette file (env BEDROCK_EMULATOR_DIFF)")
	models := fs.String("models", env("models", ""), "model roles to override, role=id,… (roles: text, multimodal, anthropic, prompt) (env BEDROCK_EMULATOR_MODELS)")
	account := fs.String("account", env("account", ""), "AWS account ID for cases that put one in an ARN; those cases are skipped on Bedrock without it (env BEDROCK_EMULATOR_ACCOUNT)")
	guardrail := fs.String("guardrail", env("guardrail", ""), "ID:VERSION of a guardrail for the guardrail cases on Bedrock (env BEDROCK_EMULATOR_GUARDRAIL)")
	pattern := fs.String("run", env("run", ""), "run only the cases whose name matches this regular expression (env BEDROCK_EMULATOR_RUN)")
	asJSON := fs.Bool("json", false, "print results as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("conformance: unexpected argument %q", fs.Arg(0))
	}
	var specs []string
	if *endpoint != "" {
		specs = append(specs, *endpoint)
	}
	if *bedrock {
		specs = append(specs, "bedrock")
	}
	if *cassette != "" {
		specs = append(specs, *cassette)
	}
	if len(specs) != 1 {
		fs.Usage()
		return errors.New("conformance: give one target: --endpoint URL, --bedrock or --cassette FILE")
	}
	if *record != "" && !*bedrock {
		return errors.New("conformance: --record records a run against real Bedrock: give --bedrock")
	}
	roles, err := conformance.ParseModels(*models)
	if err != nil {
		return fmt.Errorf("--models: %w", err)
	}
	cases, err := conformance.Select(conformance.Cases(), *pattern)
	if err != nil {
		return fmt.Errorf("--run: %w", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// target makes the target a spec names: "bedrock", a URL, or a cassette file.
	target := func(spec string) (*conformance.Target, error) {
		var t *conformance.Target
		var err error
		switch {
		case spec == "bedrock":
			if t, err = conformance.Bedrock(ctx, *region); err != nil {
				return nil, err
			}
			t.Account, t.Guardrail = *account, *guardrail
			if *record != "" {
				if t, err = conformance.Record(t, *record); err != nil {
					return nil, err
				}
			}
		case strings.HasPrefix(spec, "http://"), strings.HasPrefix(spec, "https://"):
			t = conformance.Endpoint(spec)
		default:
			if t, err = conformance.Cassette(spec); err != nil {
				return nil, err
			}
		}
		t.Models = roles
		return t, nil
	}
	a, err := target(specs[0])
	if err != nil {
		return fmt.Errorf("conformance: %w", err)
	}
	defer closeTarget(a, &err)

	if *diff == "" {
		results := conformance.Run(ctx, a, cases)
		if *asJSON {
			err = conformance.WriteJSON(stdout, a.Name, results)
		} else {
			err = conformance.WriteTable(stdout, results)
		}
		if err != nil {
			return err
		}
		if s := conformance.Summarize(results); s.Failed() {
			return fmt.Errorf("conformance: %s against %s", s, a.Name)
		}
		return nil
	}

	b, err := target(*diff)
	if err != nil {
		return fmt.Errorf("conformance: --diff: %w", err)
	}
	defer closeTarget(b, &err)
	diffs := conformance.Diff(ctx, a, b, cases)
	if *asJSON {
		err = conformance.WriteDiffJSON(stdout, a.Name, b.Name, diffs)
	} else {
		err = conformance.WriteDiff(stdout, a.Name, b.Name, diffs)
	}
	if err != nil {
		return err
	}
	failed := 0
	for _, d := range diffs {
		if d.A.Outcome == conformance.Fail || d.B.Outcome == conformance.Fail {
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("conformance: %d cases fail on %s or %s", failed, a.Name, b.Name)
	}
	return nil
}

// closeTarget closes a target (writing the cassette it records), and sets *err to what
// went wrong if nothing did before.
func closeTarget(t *conformance.Target, err *error) {
	if cerr := t.Close(); cerr != nil && *err == nil {
		*err = fmt.Errorf("conformance: closing %s: %w", t.Name, cerr)
	}
}
