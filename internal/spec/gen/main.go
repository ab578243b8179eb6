// Command gen writes bedrock-runtime.json, package spec's extract of
// botocore's Bedrock Runtime model, or with -control bedrock.json, its extract
// of the bedrock (control-plane) model.
//
// Usage (from internal/spec, as "go generate" runs it):
//
//	go run ./gen [-model path/to/service-2.json[.gz]] [-o bedrock-runtime.json]
//	go run ./gen -control -o bedrock.json
//
// Without -model it uses $BOTOCORE_BEDROCK_RUNTIME_MODEL (not with -control),
// else the model inside the botocore package that python3 imports.
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
	control := flag.Bool("control", false, "extract botocore's bedrock (control-plane) model instead")
	flag.Parse()
	if err := run(*model, *out, *control); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(model, out string, control bool) error {
	if model == "" {
		locate := extract.Locate
		if control {
			locate = func() (string, error) { return extract.LocateIn(extract.ControlModelRel) }
		}
		p, err := locate()
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
