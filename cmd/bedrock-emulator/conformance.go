package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/bedrock-emulator/bedrock-emulator/conformance"
)

const conformanceUsage = `usage: bedrock-emulator conformance (--endpoint URL | --bedrock) [--diff URL|bedrock] [flags]

Runs the conformance suite against a target and prints, per case, its outcome and why;
exits non-zero when a case fails. With --diff, runs it against a second target as well and
reports, case by case, where the answers differ in structure.

flags:
`

// conformanceCmd runs the conformance suite: bedrock-emulator conformance.
func conformanceCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("conformance", stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, conformanceUsage)
		fs.PrintDefaults()
	}
	endpoint := fs.String("endpoint", env("endpoint", ""), "URL of the Bedrock Runtime endpoint to check, e.g. a served emulator (env BEDROCK_EMULATOR_ENDPOINT)")
	bedrock := fs.Bool("bedrock", false, "check real Amazon Bedrock, with credentials from the AWS default chain; calls cost money (small maxTokens, cheap models)")
	region := fs.String("region", env("region", ""), "AWS Region of real Bedrock; default: AWS_REGION or the shared config (env BEDROCK_EMULATOR_REGION)")
	diff := fs.String("diff", env("diff", ""), "a second target to compare with: a URL, or \"bedrock\" (env BEDROCK_EMULATOR_DIFF)")
	models := fs.String("models", env("models", ""), "model roles to override, role=id,… (roles: text, multimodal, anthropic) (env BEDROCK_EMULATOR_MODELS)")
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
	if (*endpoint == "") == !*bedrock {
		fs.Usage()
		return errors.New("conformance: give one target: --endpoint URL or --bedrock")
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
	target := func(spec string) (*conformance.Target, error) {
		var t *conformance.Target
		if spec == "bedrock" {
			var err error
			if t, err = conformance.Bedrock(ctx, *region); err != nil {
				return nil, err
			}
			if *account != "" {
				t.Account = *account
			}
			if *guardrail != "" {
				t.Guardrail = *guardrail
			}
		} else {
			t = conformance.Endpoint(spec)
		}
		t.Models = roles
		return t, nil
	}
	first := *endpoint
	if *bedrock {
		first = "bedrock"
	}
	a, err := target(first)
	if err != nil {
		return fmt.Errorf("conformance: %w", err)
	}

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
