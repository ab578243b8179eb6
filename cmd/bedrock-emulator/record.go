package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/bedrock-emulator/bedrock-emulator/recorder"
)

// record runs the recording proxy:
//
//	bedrock-emulator record --cassette FILE [--upstream URL] [--addr HOST:PORT] [--region R]
//	    [--append] [--mask-account-ids] [--save-every 2s] [--log-level info]
//
// It prints the URL it listens on, saves the cassette every --save-every and when it is
// stopped (SIGINT, SIGTERM), and exits 0 then.
func record(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("record", stderr)
	path := fs.String("cassette", "", "the cassette file to write (required)")
	upstream := fs.String("upstream", env("upstream", ""), "the Bedrock Runtime endpoint to forward to; default https://bedrock-runtime.REGION.amazonaws.com (env BEDROCK_EMULATOR_UPSTREAM)")
	addr := fs.String("addr", env("addr", "127.0.0.1:8080"), "address to listen on; port 0 picks a free port (env BEDROCK_EMULATOR_ADDR)")
	region := fs.String("region", env("region", ""), "region to sign for; default the AWS configuration's, else us-east-1 (env BEDROCK_EMULATOR_REGION)")
	appendTo := fs.Bool("append", false, "keep the cassette's interactions and add the new ones after them")
	mask := fs.Bool("mask-account-ids", false, "replace the account ID of every ARN with 000000000000")
	every := fs.Duration("save-every", 2*time.Second, "how often to save the cassette while recording")
	level := fs.String("log-level", env("log-level", "info"), "debug, info, warn or error (env BEDROCK_EMULATOR_LOG_LEVEL)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("record: unexpected argument %q", fs.Arg(0))
	case *path == "":
		return errors.New("record: --cassette FILE is required")
	case *every <= 0:
		return errors.New("record: --save-every must be positive")
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(*level)); err != nil {
		return fmt.Errorf("--log-level: %q is not one of debug, info, warn, error", *level)
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: lvl}))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
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
	srv := &http.Server{Handler: proxy, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	fmt.Fprintln(stdout, "http://"+ln.Addr().String())
	log.Info("recording", "cassette", *path, "upstream", proxy.Upstream())

	saving, stopSaving := context.WithCancel(ctx)
	defer stopSaving()
	go proxy.AutoSave(saving, *every)

	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	srv.Shutdown(shutdown) // waits for streams in flight, so that they are saved whole
	stopSaving()
	if err := proxy.Save(); err != nil {
		return fmt.Errorf("record: %w", err)
	}
	fmt.Fprintf(stderr, "recorded %d interaction(s) to %s\n", proxy.Len(), *path)
	return nil
}
