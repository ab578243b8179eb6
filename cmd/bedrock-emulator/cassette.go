package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
)

var importCmd = &command{name: "cassette import", summary: "convert other tools' recordings to one cassette", args: true, help: `usage: bedrock-emulator cassette import [flags] SRC...

Converts recordings of other tools (vcrpy and Ruby VCR YAML, nock JSON, dd-trace-js and
req_llm JSON, httprr traces, vercel/ai captures, bare event-stream bodies) to one cassette, redacted, written to -o or to stdout; says on stderr
what it changed or made up. serve --cassette replays the cassette.

examples:
  bedrock-emulator cassette import -o testdata/chat.yaml cassettes/test_chat.yaml
  bedrock-emulator cassette import --model us.amazon.nova-micro-v1:0 stream.sse > stream.yaml
`, flags: func(fs *flag.FlagSet) runFunc {
	model := fs.String("model", "", "the model ID of a bare event-stream body, which names none")
	region := fs.String("region", "", "the region of the URL made up for a recording without one (default us-east-1)")
	mask := fs.Bool("mask-account-ids", false, "replace the account ID of every ARN with 000000000000")
	out := fs.String("o", "", "the cassette file to write; stdout if not given")
	return func(_ context.Context, srcs []string, stdout, stderr io.Writer) error {
		if len(srcs) == 0 {
			return errors.New("cassette import: no recording given")
		}
		name := *out
		if name == "" {
			name = "stdout"
		}
		c, err := cassette.ImportFiles(name, srcs, func(src, note string) { fmt.Fprintf(stderr, "%s: %s\n", src, note) },
			[]func(*cassette.ImportOptions){cassette.WithModelID(*model), cassette.WithRegion(*region)}, cassette.WithMaskAccountIDs(*mask))
		switch {
		case err != nil:
		case *out == "":
			err = c.Write(stdout)
		default:
			if err = c.Save(*out); err == nil {
				fmt.Fprintf(stderr, "wrote %d interaction(s) to %s\n", len(c.Interactions), *out)
			}
		}
		return prefix("cassette import: ", err)
	}
}}

var showCmd = &command{name: "cassette show", summary: "print a cassette's interactions: requests, responses, stream events", args: true, help: `usage: bedrock-emulator cassette show [--model ID] FILE...

Prints the interactions of cassettes, or of other tools' recordings (the formats cassette
import reads), for a person to read: requests, responses, stream events.

examples:
  bedrock-emulator cassette show testdata/session.yaml
`, flags: func(fs *flag.FlagSet) runFunc {
	model := fs.String("model", "", "the model ID of a bare event-stream body, which names none")
	return func(_ context.Context, paths []string, stdout, _ io.Writer) error {
		if len(paths) == 0 {
			return errors.New("cassette show: no cassette given")
		}
		return prefix("cassette show: ", cassette.ShowFiles(stdout, paths, cassette.WithModelID(*model)))
	}
}}
