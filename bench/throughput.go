package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/loadgen"
)

// comparison is what alternate measured of each target: the sums over all rounds, and each
// round's results.
type comparison struct {
	total  []loadgen.Result
	rounds [][]loadgen.Result // [round][target]
	// cpu is, for a target served by a process of its own, the CPU time (user and system)
	// that process spent during the target's rounds; 0 for the others.
	cpu []time.Duration
}

// cpuPerRequest is the CPU time target i's server process spent a request, 0 if unknown.
func (c comparison) cpuPerRequest(i int) time.Duration {
	if c.cpu[i] == 0 || c.total[i].Requests == 0 {
		return 0
	}
	return c.cpu[i] / time.Duration(c.total[i].Requests)
}

// ratio is the median over the rounds of target i's rate over target j's, each pair
// measured back to back: a load spike from elsewhere on the machine moves one round, not
// the median.
func (c comparison) ratio(i, j int) float64 {
	rs := make([]float64, len(c.rounds))
	for k, round := range c.rounds {
		rs[k] = round[i].PerSecond() / round[j].PerSecond()
	}
	slices.Sort(rs)
	return rs[len(rs)/2]
}

// alternate runs the targets in rounds, in turn, the order reversed every other round so
// that none always runs first. A short warm-up run precedes the first round.
func alternate(ctx context.Context, cfg config, workers int, targets ...loadgen.Target) (comparison, error) {
	return alternateProcs(ctx, cfg, workers, nil, targets...)
}

// alternateProcs is alternate, also measuring the CPU time of the processes serving the
// targets: procs[i], when there is one, serves targets[i].
func alternateProcs(ctx context.Context, cfg config, workers int, procs []*process, targets ...loadgen.Target) (comparison, error) {
	clients := make([]loadgen.Config, len(targets))
	for i := range targets {
		clients[i] = loadgen.Config{Concurrency: workers, Duration: cfg.round, Requests: cfg.maxRequests,
			Client: loadgen.NewClient(workers)}
		warm := clients[i]
		warm.Duration, warm.Requests = cfg.round/10, 0
		if _, err := loadgen.Run(ctx, targets[i], warm); err != nil {
			return comparison{}, err
		}
	}
	c := comparison{total: make([]loadgen.Result, len(targets)), cpu: make([]time.Duration, len(targets))}
	for round := range max(cfg.rounds, 1) {
		results := make([]loadgen.Result, len(targets))
		for k := range targets {
			i := k
			if round%2 == 1 {
				i = len(targets) - 1 - k
			}
			var p *process
			if i < len(procs) {
				p = procs[i]
			}
			before := p.cpu()
			res, err := loadgen.Run(ctx, targets[i], clients[i])
			if err != nil {
				return comparison{}, err
			}
			c.cpu[i] += p.cpu() - before
			if res.Errors > 0 || res.Requests == 0 {
				return comparison{}, fmt.Errorf("%s: %d requests answered, %d failed", targets[i].URL, res.Requests, res.Errors)
			}
			results[i] = res
			c.total[i] = c.total[i].Add(res)
		}
		c.rounds = append(c.rounds, results)
	}
	return c, nil
}

// measureConverse compares Converse through the emulator's full path with the bare handler
// answering the same bytes.
func measureConverse(ctx context.Context, cfg config, emu *emulator.Server, req *request) ([]row, error) {
	b, err := startBare(req)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	c, err := alternate(ctx, cfg, cfg.concurrency, req.target(emu.URL), req.target(b.URL))
	if err != nil {
		return nil, err
	}
	e, r := c.total[0], c.total[1]
	x := c.ratio(0, 1)
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
	h, err := bareEncodingHandler(req)
	if err != nil {
		return nil, err
	}
	be, err := serve(h)
	if err != nil {
		return nil, err
	}
	defer be.Close()
	c, err := alternate(ctx, cfg, cfg.concurrency, req.target(emu.URL), req.target(b.URL), req.target(be.URL))
	if err != nil {
		return nil, err
	}
	e, r, re := c.total[0], c.total[1], c.total[2]
	frames := float64(len(req.frames))
	x := c.ratio(0, 1)
	// Time to first byte is measured apart, one stream at a time: with many in flight it
	// would measure the wait for a CPU.
	one := cfg
	one.round /= 4
	c1, err := alternate(ctx, one, 1, req.target(emu.URL), req.target(b.URL))
	if err != nil {
		return nil, err
	}
	ttfbE, ttfbR := loadgen.Percentile(c1.total[0].FirstByte, 50), loadgen.Percentile(c1.total[1].FirstByte, 50)
	return []row{
		{
			name:     fmt.Sprintf("ConverseStream frames/s (%d deltas, %d frames a stream)", streamDeltas, len(req.frames)),
			emulator: rate(e.PerSecond() * frames), reference: rate(r.PerSecond()*frames) + " bare", ratio: ratio(x),
			target: "≥ 0.80× bare", met: verdict(x >= 0.8),
		},
		{
			name:     "ConverseStream frames/s against a bare handler that encodes them with the AWS SDK",
			emulator: rate(e.PerSecond() * frames), reference: rate(re.PerSecond()*frames) + " bare+SDK", ratio: ratio(c.ratio(0, 2)),
			note: "The bare handler encodes the same frames with the AWS SDK for Go's eventstream.Encoder as it writes them, as the emulator must: the ceiling for a server that may not hand-write event-stream framing.",
		},
		{
			name:     "ConverseStream time to first byte, median (1 worker)",
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
