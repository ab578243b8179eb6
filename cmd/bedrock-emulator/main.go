// Command bedrock-emulator runs the Bedrock Runtime emulator.
//
//	bedrock-emulator serve [--addr 127.0.0.1:8080] [--models FILE] [--guardrails FILE] [--prompts FILE] [--log-level info]
//	                       [--auth any|none|strict] [--credentials KEY:SECRET,…] [--api-keys KEY,…] [--admin-token TOKEN] [--no-admin]
//	bedrock-emulator health [--url http://127.0.0.1:8080]
//	bedrock-emulator record --cassette FILE [--upstream URL] [--addr HOST:PORT]
//	bedrock-emulator cassette import|show ...
//
// Every flag has an environment variable: BEDROCK_EMULATOR_ and the flag's name in capitals,
// with _ for -. Flags win over the environment.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

// version is stamped at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	case errors.Is(err, errUnhealthy):
		fmt.Fprintln(os.Stderr, "bedrock-emulator:", err)
		os.Exit(1)
	default:
		fmt.Fprintln(os.Stderr, "bedrock-emulator:", err)
		os.Exit(2)
	}
}

// errUnhealthy is the health command's failure; it exits 1, every other error 2.
var errUnhealthy = errors.New("unhealthy")

const usage = `usage: bedrock-emulator <command> [flags]

commands:
  serve     serve the emulator
  health    exit 0 when the emulator at --url answers its health check
  record    record real Bedrock traffic to a cassette through a proxy
  cassette  import other tools' recordings as cassettes, or show a cassette
  conformance  run the conformance suite against an endpoint
  version   print the version
`

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "serve":
		return serve(args[1:], stdout, stderr)
	case "health":
		return health(args[1:], stderr)
	case "record":
		return record(args[1:], stdout, stderr)
	case "cassette":
		return cassetteCmd(args[1:], stdout, stderr)
	case "conformance":
		return conformanceCmd(args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, version)
		return nil
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// newFlags returns a flag set whose defaults come from the environment.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// env is the value of the flag's environment variable, or def.
func env(flagName, def string) string {
	if v, ok := os.LookupEnv("BEDROCK_EMULATOR_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))); ok {
		return v
	}
	return def
}

func serve(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	addr := fs.String("addr", env("addr", "127.0.0.1:8080"), "address to listen on; port 0 picks a free port (env BEDROCK_EMULATOR_ADDR)")
	models := fs.String("models", env("models", ""), "JSON file of models to add to the built-in catalogue (env BEDROCK_EMULATOR_MODELS)")
	auth := fs.String("auth", env("auth", "any"), "which requests to accept: any (SigV4 or Bearer, unverified), strict (verified against --credentials and --api-keys) or none (env BEDROCK_EMULATOR_AUTH)")
	level := fs.String("log-level", env("log-level", "info"), "debug, info, warn or error (env BEDROCK_EMULATOR_LOG_LEVEL)")
	scripts := addScriptFlags(fs)
	cassettes := addCassetteFlags(fs)
	runtime := addRuntimeFlags(fs)
	security := addSecurityFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("serve: unexpected argument %q", fs.Arg(0))
	}

	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(*level)); err != nil {
		return fmt.Errorf("--log-level: %q is not one of debug, info, warn, error", *level)
	}
	opts := []func(*emulator.Options){
		emulator.WithAddr(*addr),
		emulator.WithLogger(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: lvl}))),
	}
	mode, err := emulator.ParseAuthMode(*auth)
	if err != nil {
		return fmt.Errorf("--auth: %w", err)
	}
	if err := security.install(&opts, mode); err != nil {
		return err
	}
	if *models != "" {
		opts = append(opts, emulator.WithModelsFile(*models))
	}
	if err := scripts.install(&opts); err != nil {
		return err
	}
	if err := cassettes.install(&opts); err != nil {
		return err
	}
	if err := runtime.install(&opts); err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv, err := emulator.Start(opts...)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	fmt.Fprintln(stdout, srv.URL)
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

func health(args []string, stderr io.Writer) error {
	fs := newFlags("health", stderr)
	url := fs.String("url", env("url", "http://127.0.0.1:8080"), "the emulator's URL (env BEDROCK_EMULATOR_URL)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c := http.Client{Timeout: 3 * time.Second}
	resp, err := c.Get(strings.TrimSuffix(*url, "/") + emulator.AdminPrefix + "/health")
	if err != nil {
		return fmt.Errorf("%w: %v", errUnhealthy, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%w: %s answered %s", errUnhealthy, *url, resp.Status)
	}
	return nil
}
