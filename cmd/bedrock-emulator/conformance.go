package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/bedrock-emulator/bedrock-emulator/conformance"
)

var conformanceCmd = &command{name: "conformance", summary: "run the conformance suite against an endpoint, real Bedrock or a cassette", help: `usage: bedrock-emulator conformance (--endpoint URL | --bedrock | --cassette FILE) [--diff TARGET] [flags]

Runs the conformance suite against one target and prints, per case, its outcome and why;
exits non-zero when a case fails. With --diff it runs the suite against a second target
too (a URL, "bedrock", or a cassette file) and reports, case by case, where the answers
differ in structure. --record FILE, with --bedrock, records the run to a cassette that
--cassette FILE replays offline.

examples:
  bedrock-emulator conformance --endpoint http://127.0.0.1:8080
  bedrock-emulator conformance --endpoint http://127.0.0.1:8080 --run '^stream/' --json
  bedrock-emulator conformance --bedrock --region us-east-1 --roles text=amazon.nova-lite-v1:0
  bedrock-emulator conformance --endpoint http://127.0.0.1:8080 --diff conformance/testdata/bedrock.yaml
`, flags: func(fs *flag.FlagSet) runFunc {
	endpoint := fs.String("endpoint", "", "URL of the Bedrock Runtime endpoint to check, e.g. a served emulator")
	bedrock := fs.Bool("bedrock", false, "check real Amazon Bedrock, with credentials from the AWS default chain; calls cost money (small maxTokens, cheap models)")
	cassette := fs.String("cassette", "", "check the answers of a cassette of a real run, offline")
	record := fs.String("record", "", "with --bedrock, record the run to this cassette file")
	region := fs.String("region", "", "AWS Region of real Bedrock; default: AWS_REGION or the shared config")
	diff := fs.String("diff", "", "a second target to compare with: a URL, \"bedrock\" or a cassette file")
	rolesFlag := fs.String("roles", "", "the model of each role, role=id,… (roles: text, multimodal, anthropic, prompt)")
	account := fs.String("account", "", "AWS account ID for cases that put one in an ARN; those cases are skipped on Bedrock without it")
	guardrail := fs.String("guardrail", "", "ID:VERSION of a guardrail for the guardrail cases on Bedrock")
	pattern := fs.String("run", "", "run only the cases whose name matches this regular expression")
	asJSON := fs.Bool("json", false, "print results as JSON")
	return func(ctx context.Context, _ []string, stdout, _ io.Writer) (err error) {
		var specs []string // the targets given
		if *endpoint != "" {
			specs = append(specs, *endpoint)
		}
		if *bedrock {
			specs = append(specs, "bedrock")
		}
		if *cassette != "" {
			specs = append(specs, *cassette)
		}
		switch {
		case len(specs) != 1:
			return errors.New("conformance: give one target: --endpoint URL, --bedrock or --cassette FILE (see bedrock-emulator conformance -h)")
		case *record != "" && !*bedrock:
			return errors.New("conformance: --record records a run against real Bedrock: give --bedrock")
		}
		roles, err := conformance.ParseModels(*rolesFlag)
		if err != nil {
			return fmt.Errorf("--roles: %w", err)
		}
		cases, err := conformance.Select(conformance.Cases(), *pattern)
		if err != nil {
			return fmt.Errorf("--run: %w", err)
		}
		open := func(spec string) (t *conformance.Target, err error) {
			if t, err = conformance.Open(ctx, spec, *region); err == nil && spec == "bedrock" {
				t.Account, t.Guardrail = *account, *guardrail
				if *record != "" {
					t, err = conformance.Record(t, *record)
				}
			}
			if err != nil {
				return nil, err
			}
			t.Models = roles
			return t, nil
		}
		a, err := open(specs[0])
		if err != nil {
			return fmt.Errorf("conformance: %w", err)
		}
		defer closeTarget(a, &err)

		if *diff == "" {
			return prefix("conformance: ", conformance.Check(ctx, stdout, a, cases, *asJSON))
		}
		b, err := open(*diff)
		if err != nil {
			return fmt.Errorf("conformance: --diff: %w", err)
		}
		defer closeTarget(b, &err)
		return prefix("conformance: ", conformance.CheckDiff(ctx, stdout, a, b, cases, *asJSON))
	}
}}

// closeTarget closes a target (writing the cassette it records), and sets *err to what
// went wrong if nothing did before.
func closeTarget(t *conformance.Target, err *error) {
	if cerr := t.Close(); cerr != nil && *err == nil {
		*err = fmt.Errorf("conformance: closing %s: %w", t.Name, cerr)
	}
}
