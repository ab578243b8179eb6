// Command gen writes bedrock-runtime.json, package spec's extract of
// botocore's Bedrock Runtime model.
//
// Usage (from internal/spec, as "go generate" runs it):
//
//	go run ./gen [-model path/to/service-2.json[.gz]] [-o bedrock-runtime.json]
//
// Without -model it uses $BOTOCORE_BEDROCK_RUNTIME_MODEL, else the model inside
// the botocore package that python3 imports.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/bedrock-emulator/bedrock-emulator/internal/spec/internal/extract"
)

func main() {
	model := flag.String("model", "", "botocore bedrock-runtime service-2.json or .json.gz (default: $"+extract.EnvModel+", else from python3's botocore)")
	out := flag.String("o", "bedrock-runtime.json", "output file")
	flag.Parse()
	if err := run(*model, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(model, out string) error {
	if model == "" {
		p, err := extract.Locate()
		if err != nil {
			return err
		}
		model = p
	}
	data, err := extract.Generate(model)
	if err != nil {
		return err
	}
	return os.WriteFile(out, data, 0o644)
}
