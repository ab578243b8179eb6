// Command bench measures bedrock-emulator against the physical ceiling of the machine it
// runs on, a bare net/http handler writing precomputed bytes, and prints one Markdown table:
//
//	go run ./bench
//
// Every comparison runs in one process, with one load driver (internal/loadgen), the same
// workers and keep-alive client for both sides, in alternating rounds bounded in time, over
// loopback only. It measures Converse requests per second through the emulator's full path
// (routing, decoding, validation, the default generator, the journal, encoding);
// ConverseStream frames per second and time to first byte for a 200-delta stream; the
// binary's start to its first healthy answer and its resident memory idle and under load;
// in-process NewServer + Close; replay from a cassette of 10,000 interactions (load time,
// match and miss cost against a cassette of 10); allocations per request in the handler;
// and, where moto is installed, moto_server's InvokeModel with the same driver.
// bench/README.md has the latest table and what moved the numbers.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

// config bounds a run.
type config struct {
	concurrency int           // load-driver workers
	round       time.Duration // length of one round of one target
	rounds      int           // rounds per comparison
	maxRequests int           // per round, 0 for no bound
	starts      int           // binary starts to time
	allocRuns   int           // requests per allocation count
	cassette    int           // interactions in the big cassette
	binary      string        // the emulator binary; "" builds cmd/bedrock-emulator
	moto        bool          // compare with moto_server when installed
}

func main() {
	serveBareIfAsked()
	var cfg config
	flag.IntVar(&cfg.concurrency, "c", 8, "load-driver workers (concurrent requests)")
	flag.DurationVar(&cfg.round, "round", 500*time.Millisecond, "length of one round of one target")
	flag.IntVar(&cfg.rounds, "rounds", 9, "alternating rounds per comparison")
	flag.IntVar(&cfg.maxRequests, "requests", 0, "end a round after this many requests too (0: no bound)")
	flag.IntVar(&cfg.starts, "starts", 21, "binary starts to time")
	flag.IntVar(&cfg.allocRuns, "alloc-runs", 2000, "requests served in the handler alone to count allocations")
	flag.IntVar(&cfg.cassette, "cassette", 10_000, "interactions in the big cassette (compared with one of 10)")
	flag.StringVar(&cfg.binary, "binary", "", "emulator binary to start (default: go build ./cmd/bedrock-emulator)")
	flag.BoolVar(&cfg.moto, "moto", true, "compare with moto_server when it is installed")
	flag.Parse()
	if err := run(context.Background(), cfg, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// run measures everything and writes the table to out, progress to log.
func run(ctx context.Context, cfg config, out, log io.Writer) error {
	step := func(what string) { fmt.Fprintf(log, "bench: %s\n", what) }

	bin := cfg.binary
	if bin == "" {
		dir, err := os.MkdirTemp("", "bedrock-bench")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		step("building cmd/bedrock-emulator")
		if bin, err = buildBinary(ctx, dir); err != nil {
			return err
		}
	}

	step("in-process NewServer + Close")
	startClose := measureStartClose(201)

	emu := emulator.NewServer()
	defer emu.Close()
	converse, stream, err := captureRequests(ctx, emu.URL)
	if err != nil {
		return fmt.Errorf("capturing the benchmark requests: %w", err)
	}

	step("binary start, resident memory")
	binary, err := measureBinary(ctx, cfg, bin, converse)
	if err != nil {
		return fmt.Errorf("binary: %w", err)
	}
	step("served binary against bare processes")
	served, err := measureServed(ctx, cfg, bin, converse, stream)
	if err != nil {
		return fmt.Errorf("served binary: %w", err)
	}
	step("Converse against the bare handler")
	conv, err := measureConverse(ctx, cfg, emu, converse)
	if err != nil {
		return fmt.Errorf("Converse: %w", err)
	}
	step("ConverseStream against the bare handler")
	strm, err := measureStream(ctx, cfg, emu, stream)
	if err != nil {
		return fmt.Errorf("ConverseStream: %w", err)
	}
	step("allocations per request")
	allocs, err := measureAllocs(cfg, converse, stream)
	if err != nil {
		return fmt.Errorf("allocations: %w", err)
	}
	step("cassette replay")
	cassettes, err := measureCassette(cfg, converse)
	if err != nil {
		return fmt.Errorf("cassette: %w", err)
	}
	moto := skipped(motoRow, "—", "Skipped with -moto=false.")
	if cfg.moto {
		step("moto_server")
		if moto, err = measureMoto(ctx, cfg, emu, converse); err != nil {
			return fmt.Errorf("moto: %w", err)
		}
	}

	var rows []row
	rows = append(rows, served...)
	rows = append(rows, conv...)
	rows = append(rows, strm...)
	rows = append(rows, binary[0], startClose)
	rows = append(rows, cassettes...)
	rows = append(rows, binary[1:]...)
	rows = append(rows, allocs...)
	rows = append(rows, moto)

	fmt.Fprintf(out, "Machine: %s.\n", machine())
	fmt.Fprintf(out, "Load: %d workers, %d alternating rounds of %s per side, loopback, HTTP/1.1 keep-alive. "+
		"Rates are totals over the rounds; a ratio is the median of the rounds' ratios.\n\n",
		cfg.concurrency, cfg.rounds, cfg.round)
	writeTable(out, rows)
	return nil
}
