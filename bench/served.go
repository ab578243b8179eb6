package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"

	"github.com/bedrock-emulator/bedrock-emulator/internal/loadgen"
)

// bareEnv, when set in the environment, makes the bench program (or its test binary) a bare
// server in a process of its own: it loads the reply from the file the variable names,
// serves it on a loopback port, prints its URL and serves until it is signalled. The
// variable's value is "plain:FILE" (precomputed bytes) or "encode:FILE" (frames encoded
// with the AWS SDK as they are written).
const bareEnv = "BEDROCK_BENCH_BARE"

// bareReply is what a bare process needs of a request: the reply to write.
type bareReply struct {
	RespHeader http.Header
	RespBody   []byte
	Frames     [][]byte
}

// serveBareIfAsked serves as a bare process and exits if bareEnv is set, and returns
// otherwise. main and TestMain call it first.
func serveBareIfAsked() {
	v := os.Getenv(bareEnv)
	if v == "" {
		return
	}
	if err := serveBare(v); err != nil {
		fmt.Fprintln(os.Stderr, "bench bare:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

func serveBare(v string) error {
	mode, file, _ := strings.Cut(v, ":")
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var rep bareReply
	if err := json.Unmarshal(b, &rep); err != nil {
		return err
	}
	req := &request{respHeader: rep.RespHeader, respBody: rep.RespBody, frames: rep.Frames}
	h := bareHandler(req)
	if mode == "encode" {
		if h, err = bareEncodingHandler(req); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Printf("http://%s\n", ln.Addr())
	return (&http.Server{Handler: h}).Serve(ln)
}

// startBareProcess re-executes this program as a bare server (mode "plain" or "encode")
// answering req's reply, in a process of its own.
func startBareProcess(ctx context.Context, dir, mode string, req *request) (*process, error) {
	b, err := json.Marshal(bareReply{RespHeader: req.respHeader, RespBody: req.respBody, Frames: req.frames})
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, "bare-*.json")
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), bareEnv+"="+mode+":"+f.Name())
	cmd.Stderr = os.Stderr
	p, _, err := startCmd(ctx, cmd, "/")
	return p, err
}

// measureServed compares the served binary, exec'd with default flags in its own process,
// with bare servers each in a process of its own writing the same bytes: Converse
// requests/s, and ConverseStream frames/s against the precomputed frames and against the
// frames encoded with the AWS SDK.
func measureServed(ctx context.Context, cfg config, bin string, converse, stream *request) ([]row, error) {
	dir, err := os.MkdirTemp("", "bedrock-bench-bare")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	emu, _, err := startProcess(ctx, bin)
	if err != nil {
		return nil, err
	}
	defer emu.stop()
	var procs []*process
	defer func() {
		for _, p := range procs {
			p.stop()
		}
	}()
	start := func(mode string, req *request) (*process, error) {
		p, err := startBareProcess(ctx, dir, mode, req)
		if err != nil {
			return nil, fmt.Errorf("bare process (%s): %w", mode, err)
		}
		procs = append(procs, p)
		return p, nil
	}
	bareConv, err := start("plain", converse)
	if err != nil {
		return nil, err
	}
	bareStream, err := start("plain", stream)
	if err != nil {
		return nil, err
	}
	bareEnc, err := start("encode", stream)
	if err != nil {
		return nil, err
	}

	convProcs, streamProcs := []*process{emu, bareConv}, []*process{emu, bareStream, bareEnc}
	if cfg.baseline != "" {
		base, _, err := startProcess(ctx, cfg.baseline)
		if err != nil {
			return nil, fmt.Errorf("baseline: %w", err)
		}
		defer base.stop()
		convProcs, streamProcs = append(convProcs, base), append(streamProcs, base)
	}
	targets := func(req *request, procs []*process) []loadgen.Target {
		var ts []loadgen.Target
		for _, p := range procs {
			ts = append(ts, req.target(p.URL))
		}
		return ts
	}
	c, err := alternateProcs(ctx, cfg, cfg.concurrency, convProcs, targets(converse, convProcs)...)
	if err != nil {
		return nil, fmt.Errorf("Converse: %w", err)
	}
	s, err := alternateProcs(ctx, cfg, cfg.concurrency, streamProcs, targets(stream, streamProcs)...)
	if err != nil {
		return nil, fmt.Errorf("ConverseStream: %w", err)
	}
	frames := float64(len(stream.frames))
	xc, xs := c.ratio(0, 1), s.ratio(0, 1)
	var baseline []row
	if cfg.baseline != "" {
		baseline = []row{
			{
				name:     "Baseline binary (-baseline), same rounds: Converse requests/s",
				emulator: rate(c.total[2].PerSecond()), reference: rate(c.total[1].PerSecond()) + " bare process", ratio: ratio(c.ratio(2, 1)),
				note: fmt.Sprintf("The binary against the baseline in the same rounds: %s for Converse, %s for ConverseStream frames. The baseline's CPU: %s a Converse, %s a stream.",
					ratio(c.ratio(0, 2)), ratio(s.ratio(0, 3)), dur(c.cpuPerRequest(2)), dur(s.cpuPerRequest(3))),
			},
			{
				name:     "Baseline binary (-baseline), same rounds: ConverseStream frames/s",
				emulator: rate(s.total[3].PerSecond() * frames), reference: rate(s.total[1].PerSecond()*frames) + " bare process", ratio: ratio(s.ratio(3, 1)),
			},
		}
	}
	return append([]row{
		{
			name:     fmt.Sprintf("Served binary: Converse requests/s (%d workers)", cfg.concurrency),
			emulator: rate(c.total[0].PerSecond()), reference: rate(c.total[1].PerSecond()) + " bare process", ratio: ratio(xc),
			target: "≥ 0.85× bare", met: verdict(xc >= 0.85),
			note: "The binary runs `serve` with default flags (its log on stderr, to /dev/null) in a process of its own; the bare server is this program re-executed in a process of its own, writing the emulator's bytes. " +
				fmt.Sprintf("CPU time of each server process a request (user and system, from /proc): %s the binary, %s the bare process.", dur(c.cpuPerRequest(0)), dur(c.cpuPerRequest(1))),
		},
		{
			name:     fmt.Sprintf("Served binary: ConverseStream frames/s (%d frames a stream)", len(stream.frames)),
			emulator: rate(s.total[0].PerSecond() * frames), reference: rate(s.total[1].PerSecond()*frames) + " bare process", ratio: ratio(xs),
			target: "≥ 0.80× bare", met: verdict(xs >= 0.8),
			note: fmt.Sprintf("CPU time of each server process a stream: %s the binary, %s the bare process, %s the bare+SDK process.",
				dur(s.cpuPerRequest(0)), dur(s.cpuPerRequest(1)), dur(s.cpuPerRequest(2))),
		},
		{
			name:     "Served binary: ConverseStream frames/s against a bare process that encodes them with the AWS SDK",
			emulator: rate(s.total[0].PerSecond() * frames), reference: rate(s.total[2].PerSecond()*frames) + " bare+SDK process", ratio: ratio(s.ratio(0, 2)),
		},
	}, baseline...), nil
}
