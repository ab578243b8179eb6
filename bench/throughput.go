package main

import (
	"context"
	"fmt"
	"time"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/loadgen"
)

// alternate runs the targets in rounds, in turn, the order reversed every other round so
// that none always runs first, and returns each target's results summed over the rounds.
// A short warm-up run precedes the first round.
func alternate(ctx context.Context, cfg config, targets ...loadgen.Target) ([]loadgen.Result, error) {
	clients := make([]loadgen.Config, len(targets))
	for i := range targets {
		clients[i] = loadgen.Config{Concurrency: cfg.concurrency, Duration: cfg.round, Requests: cfg.maxRequests,
			Client: loadgen.NewClient(cfg.concurrency)}
		warm := clients[i]
		warm.Duration, warm.Requests = cfg.round/10, 0
		if _, err := loadgen.Run(ctx, targets[i], warm); err != nil {
			return nil, err
		}
	}
	totals := make([]loadgen.Result, len(targets))
	for round := range cfg.rounds {
		for k := range targets {
			i := k
			if round%2 == 1 {
				i = len(targets) - 1 - k
			}
			res, err := loadgen.Run(ctx, targets[i], clients[i])
			if err != nil {
				return nil, err
			}
			totals[i] = totals[i].Add(res)
		}
	}
	for i, t := range totals {
		if t.Errors > 0 || t.Requests == 0 {
			return nil, fmt.Errorf("%s: %d requests answered, %d failed", targets[i].URL, t.Requests, t.Errors)
		}
	}
	return totals, nil
}

// measureConverse compares Converse through the emulator's full path with the bare handler
// answering the same bytes.
func measureConverse(ctx context.Context, cfg config, emu *emulator.Server, req *request) ([]row, error) {
	b, err := startBare(req)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	res, err := alternate(ctx, cfg, req.target(emu.URL), req.target(b.URL))
	if err != nil {
		return nil, err
	}
	e, r := res[0], res[1]
	x := e.PerSecond() / r.PerSecond()
	p50e, p50r := loadgen.Percentile(e.Latency, 50), loadgen.Percentile(r.Latency, 50)
	return []row{
		{
			name:     fmt.Sprintf("Converse requests/s (%d workers, %d-byte reply)", cfg.concurrency, len(req.respBody)),
			emulator: rate(e.PerSecond()), reference: rate(r.PerSecond()) + " bare", ratio: ratio(x),
			target: "≥ 0.80× bare", met: verdict(x >= 0.8),
		},
		{
			name:     "Converse latency, median",
			emulator: dur(p50e), reference: dur(p50r) + " bare", ratio: ratio(float64(p50e) / float64(p50r)),
		},
	}, nil
}

// measureStream compares a 200-delta ConverseStream with the bare handler writing the same
// frames, each flushed.
func measureStream(ctx context.Context, cfg config, emu *emulator.Server, req *request) ([]row, error) {
	b, err := startBare(req)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	res, err := alternate(ctx, cfg, req.target(emu.URL), req.target(b.URL))
	if err != nil {
		return nil, err
	}
	e, r := res[0], res[1]
	frames := float64(len(req.frames))
	x := e.PerSecond() / r.PerSecond()
	ttfbE, ttfbR := loadgen.Percentile(e.FirstByte, 50), loadgen.Percentile(r.FirstByte, 50)
	return []row{
		{
			name:     fmt.Sprintf("ConverseStream frames/s (%d deltas, %d frames a stream)", streamDeltas, len(req.frames)),
			emulator: rate(e.PerSecond() * frames), reference: rate(r.PerSecond()*frames) + " bare", ratio: ratio(x),
			target: "≥ 0.80× bare", met: verdict(x >= 0.8),
		},
		{
			name:     "ConverseStream time to first byte, median",
			emulator: dur(ttfbE), reference: dur(ttfbR) + " bare", ratio: ratio(float64(ttfbE) / float64(ttfbR)),
		},
	}, nil
}

// measureStartClose times emulator.NewServer followed by Close, in process: the first time
// (which parses the built-in catalogue) and the median of the following ones.
func measureStartClose(n int) row {
	times := make([]time.Duration, n)
	for i := range times {
		start := time.Now()
		emulator.NewServer().Close()
		times[i] = time.Since(start)
	}
	first := times[0]
	med := median(times[1:])
	return row{
		name:     fmt.Sprintf("In-process NewServer + Close, median of %d", n-1),
		emulator: dur(med), reference: "—", ratio: "—",
		target: "< 1 ms", met: verdict(med < time.Millisecond),
		note: fmt.Sprintf("The first NewServer + Close in a process took %s: it parses the built-in model catalogue once.", dur(first)),
	}
}
