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
	"maps"
	"os"
	"slices"
	"strings"
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
	baseline    string        // an earlier emulator binary to run beside binary in the served rounds; "" for none
	moto        bool          // compare with moto_server when installed
	rows        rowSet        // which groups of rows to measure; nil for all
}

// rowGroups are the groups of rows -rows selects, in the table's order.
var rowGroups = []string{"served", "converse", "stream", "binary", "cassette", "allocs", "aimock", "moto"}

// rowSet is the -rows flag: the groups of rows to measure.
type rowSet map[string]bool

func (s *rowSet) String() string { return strings.Join(slices.Sorted(maps.Keys(*s)), ",") }

func (s *rowSet) Set(v string) error {
	*s = rowSet{}
	for _, g := range strings.Split(v, ",") {
		if g = strings.TrimSpace(g); !slices.Contains(rowGroups, g) {
			return fmt.Errorf("%q is not one of %s", g, strings.Join(rowGroups, ", "))
		}
		(*s)[g] = true
	}
	return nil
}

// has reports whether the group of rows g is to be measured.
func (s rowSet) has(g string) bool { return s == nil || s[g] }

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
	flag.StringVar(&cfg.baseline, "baseline", "", "an earlier emulator binary to serve beside -binary in the served rounds, to compare two builds in one run")
	flag.BoolVar(&cfg.moto, "moto", true, "compare with moto_server when it is installed")
	flag.Var(&cfg.rows, "rows", "comma-separated groups of rows to measure, of "+strings.Join(rowGroups, ", ")+" (default: all)")
	flag.Parse()
	if err := run(context.Background(), cfg, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// run measures everything and writes the table to out, progress to log.
func run(ctx context.Context, cfg config, out, log io.Writer) error {
	step := func(what string) { fmt.Fprintf(log, "bench: %s\n", what) }
	where := machine() // its load average is the one at the start

	bin := cfg.binary
	if bin == "" && (cfg.rows.has("served") || cfg.rows.has("binary") || cfg.rows.has("aimock")) {
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

	var rows []row
	emu := emulator.NewServer()
	defer emu.Close()
	converse, stream, err := captureRequests(ctx, emu.URL)
	if err != nil {
		return fmt.Errorf("capturing the benchmark requests: %w", err)
	}
	// Each group adds its rows, in the table's order.
	groups := []struct {
		name, step string
		measure    func() ([]row, error)
	}{
		{"served", "served binary against bare processes", func() ([]row, error) {
			return measureServed(ctx, cfg, bin, converse, stream)
		}},
		{"converse", "Converse against the bare handler", func() ([]row, error) {
			return measureConverse(ctx, cfg, emu, converse)
		}},
		{"stream", "ConverseStream against the bare handler", func() ([]row, error) {
			return measureStream(ctx, cfg, emu, stream)
		}},
		{"binary", "binary start, resident memory, in-process NewServer + Close", func() ([]row, error) {
			binary, err := measureBinary(ctx, cfg, bin, converse)
			if err != nil {
				return nil, err
			}
			return append([]row{binary[0], measureStartClose(201)}, binary[1:]...), nil
		}},
		{"cassette", "cassette replay", func() ([]row, error) { return measureCassette(cfg, converse) }},
		{"allocs", "allocations per request", func() ([]row, error) { return measureAllocs(cfg, converse, stream) }},
		{"aimock", "aimock (npm)", func() ([]row, error) {
			r, err := measureAimock(ctx, cfg, bin, converse)
			return []row{r}, err
		}},
		{"moto", "moto_server", func() ([]row, error) {
			if !cfg.moto {
				return []row{skipped(motoRow, "—", "Skipped with -moto=false.")}, nil
			}
			r, err := measureMoto(ctx, cfg, emu, converse)
			return []row{r}, err
		}},
	}
	for _, g := range groups {
		if !cfg.rows.has(g.name) {
			continue
		}
		step(g.step)
		rs, err := g.measure()
		if err != nil {
			return fmt.Errorf("%s: %w", g.name, err)
		}
		rows = append(rows, rs...)
	}

	fmt.Fprintf(out, "Machine: %s.\n", where)
	fmt.Fprintf(out, "Load: %d workers, %d alternating rounds of %s per side, loopback, HTTP/1.1 keep-alive. "+
		"Rates are totals over the rounds; a ratio is the median of the rounds' ratios.\n\n",
		cfg.concurrency, cfg.rounds, cfg.round)
	writeTable(out, rows)
	return nil
}
