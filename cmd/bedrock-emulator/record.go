package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/bedrock-emulator/bedrock-emulator/client"
	"github.com/bedrock-emulator/bedrock-emulator/recorder"
)

var healthCmd = &command{name: "health", summary: "exit 0 when the emulator at --url answers its health check, else 1", help: `usage: bedrock-emulator health [--url URL]

Asks the emulator at --url for its health check (GET /_emulator/health, which needs no
admin token) and exits 0 if it answers 200 OK within 3 seconds, 1 if not. The container
image's HEALTHCHECK runs it.

examples:
  bedrock-emulator health
  bedrock-emulator health --url http://127.0.0.1:9090
`, flags: func(fs *flag.FlagSet) runFunc {
	url := fs.String("url", "http://127.0.0.1:8080", "the emulator's URL")
	return func(ctx context.Context, _ []string, _, _ io.Writer) error {
		if err := client.Health(ctx, *url); err != nil {
			return fmt.Errorf("%w: %v", errUnhealthy, err)
		}
		return nil
	}
}}

var recordCmd = &command{name: "record", summary: "record real Bedrock traffic to a cassette through a proxy", help: `usage: bedrock-emulator record --out FILE [flags]

Runs a recording proxy: point any SDK at the URL it prints, and it forwards every request to
real Bedrock (signed anew with SigV4 with the default AWS credentials, or with the request's
Bearer API key) and records the exchange to the cassette. It saves the cassette every
--save-every and when it is stopped (SIGINT, SIGTERM, after the streams in flight), and
exits 0 then. serve --cassette replays the cassette.

examples:
  bedrock-emulator record --out testdata/session.yaml
  AWS_ENDPOINT_URL_BEDROCK_RUNTIME=http://127.0.0.1:8080 pytest
  bedrock-emulator record --out testdata/session.yaml --append --region eu-west-1
`, flags: func(fs *flag.FlagSet) runFunc {
	// --out, not --cassette: serve's BEDROCK_EMULATOR_CASSETTE must never name a file to overwrite.
	path := fs.String("out", "", "the cassette file to write (required)")
	upstream := fs.String("upstream", "", "the Bedrock Runtime endpoint to forward to; default https://bedrock-runtime.REGION.amazonaws.com")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on; port 0 picks a free port")
	region := fs.String("region", "", "region to sign for; default the AWS configuration's, else us-east-1")
	appendTo := fs.Bool("append", false, "keep the cassette's interactions and add the new ones after them")
	mask := fs.Bool("mask-account-ids", false, "replace the account ID of every ARN with 000000000000")
	every := fs.Duration("save-every", 2*time.Second, "how often to save the cassette while recording")
	logger := logFlags(fs)
	return func(ctx context.Context, _ []string, stdout, stderr io.Writer) error {
		switch {
		case *path == "":
			return errors.New("record: --out FILE is required")
		case *every <= 0:
			return errors.New("record: --save-every must be positive")
		}
		log, err := logger(stderr)
		if err != nil {
			return err
		}
		// Credentials come from the default chain (environment, shared files, SSO, roles); they
		// are resolved per request, so a caller using Bearer API keys needs none.
		cfg, err := config.LoadDefaultConfig(ctx)
		if err != nil {
			return fmt.Errorf("record: loading the AWS configuration: %w", err)
		}
		if *region == "" {
			*region = cfg.Region
		}
		proxy, err := recorder.NewProxy(*path,
			recorder.WithUpstream(*upstream), recorder.WithRegion(*region), recorder.WithCredentials(cfg.Credentials),
			recorder.WithAppend(*appendTo), recorder.WithMaskAccountIDs(*mask), recorder.WithLogger(log))
		if err != nil {
			return fmt.Errorf("record: %w", err)
		}
		ln, err := net.Listen("tcp", *addr)
		if err != nil {
			return fmt.Errorf("record: listen on %s: %w", *addr, err)
		}
		fmt.Fprintln(stdout, "http://"+ln.Addr().String())
		log.Info("recording", "cassette", *path, "upstream", proxy.Upstream())
		if err := proxy.Serve(ctx, ln, *every); err != nil {
			return fmt.Errorf("record: %w", err)
		}
		fmt.Fprintf(stderr, "recorded %d interaction(s) to %s\n", proxy.Len(), *path)
		return nil
	}
}}
