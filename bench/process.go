package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/loadgen"
)

// buildBinary builds cmd/bedrock-emulator into dir, as a user's go build would.
func buildBinary(ctx context.Context, dir string) (string, error) {
	out := filepath.Join(dir, "bedrock-emulator")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "github.com/bedrock-emulator/bedrock-emulator/cmd/bedrock-emulator")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build: %w", err)
	}
	return out, nil
}

// process is a running emulator binary.
type process struct {
	cmd *exec.Cmd
	URL string
}

// startProcess runs "bin serve" on a free loopback port and returns it once it has answered
// its health check, with the time from starting it to that answer.
func startProcess(ctx context.Context, bin string) (*process, time.Duration, error) {
	return startCmd(ctx, exec.Command(bin, "serve", "--addr", "127.0.0.1:0"), emulator.AdminPrefix+"/health")
}

// startCmd starts cmd, a server that prints its URL as its first line, and returns it once
// health (a path) has answered 200, with the time from starting it to that answer.
func startCmd(ctx context.Context, cmd *exec.Cmd, health string) (*process, time.Duration, error) {
	bin := cmd.Path
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, 0, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	p := &process{cmd: cmd}
	url := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		url <- strings.TrimSpace(line)
	}()
	select {
	case p.URL = <-url:
	case <-time.After(10 * time.Second):
	}
	if !strings.HasPrefix(p.URL, "http://") {
		p.stop()
		return nil, 0, fmt.Errorf("%s serve printed %q, not its URL", bin, p.URL)
	}
	if err := waitHealthy(ctx, p.URL+health, 10*time.Second); err != nil {
		p.stop()
		return nil, 0, err
	}
	return p, time.Since(start), nil
}

// waitHealthy polls url until it answers 200.
func waitHealthy(ctx context.Context, url string, limit time.Duration) error {
	c := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(limit)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := c.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("%s did not answer 200 within %s (last error: %v)", url, limit, err)
		}
		time.Sleep(time.Millisecond)
	}
}

// stop ends the process with SIGTERM, as a container runtime does, and waits for it.
func (p *process) stop() { p.signal(syscall.SIGTERM) }

// signal ends the process with sig, or after 5 s with SIGKILL, and waits for it.
func (p *process) signal(sig os.Signal) {
	p.cmd.Process.Signal(sig)
	done := make(chan struct{})
	go func() { p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		p.cmd.Process.Kill()
		<-done
	}
}

// cpu is the CPU time (user and system) the process has spent so far, from /proc; 0 for no
// process or where /proc cannot tell.
func (p *process) cpu() time.Duration {
	if p == nil {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// The fields after the command name, which is in parentheses and may hold spaces:
	// utime and stime are the 14th and 15th of the line, in clock ticks.
	_, after, ok := strings.Cut(string(b), ") ")
	f := strings.Fields(after)
	if !ok || len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / clockTicks
}

// clockTicks is the kernel's USER_HZ, the unit of /proc's CPU times: 100 on Linux.
const clockTicks = 100

// rss returns the process's resident set size and its peak, from /proc.
func (p *process) rss() (cur, peak int64, err error) {
	m, err := p.status("VmRSS", "VmHWM")
	return m["VmRSS"], m["VmHWM"], err
}

// status returns fields of /proc/PID/status given in kB, in bytes.
func (p *process) status(keys ...string) (map[string]int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return nil, err
	}
	m := make(map[string]int64)
	for line := range strings.Lines(string(b)) {
		for _, key := range keys {
			if v, ok := strings.CutPrefix(line, key+":"); ok {
				n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
				m[key] = n << 10
			}
		}
	}
	return m, nil
}

// measureBinary times the binary's start to its first healthy answer (the median of n
// starts), then reads its resident size idle and while it serves Converse load.
func measureBinary(ctx context.Context, cfg config, bin string, req *request) ([]row, error) {
	times := make([]time.Duration, cfg.starts)
	for i := range times {
		p, d, err := startProcess(ctx, bin)
		if err != nil {
			return nil, err
		}
		times[i] = d
		p.stop()
	}
	ready := median(times)
	rows := []row{{
		name:     fmt.Sprintf("Binary start to first healthy answer, median of %d", cfg.starts),
		emulator: dur(ready), reference: "—", ratio: "—",
		target: "< 50 ms", met: verdict(ready < 50*time.Millisecond),
		note: fmt.Sprintf("From exec to the first 200 from /_emulator/health; the quickest of the %d starts took %s.", cfg.starts, dur(slices.Min(times))),
	}}

	p, _, err := startProcess(ctx, bin)
	if err != nil {
		return nil, err
	}
	defer p.stop()
	st, err := p.status("VmRSS", "RssAnon", "RssFile")
	if err != nil {
		return nil, err
	}
	idle := st["VmRSS"]
	info, err := os.Stat(bin)
	if err != nil {
		return nil, err
	}
	rows = append(rows, row{
		name:     "Resident memory, idle (binary, just started)",
		emulator: mib(idle), reference: "—", ratio: "—",
		target: "< 20 MiB", met: verdict(idle < 20<<20),
		note: fmt.Sprintf("%s of it is the binary's own pages (file-backed; the binary is %s), %s the heap and stacks (anonymous).",
			mib(st["RssFile"]), mib(info.Size()), mib(st["RssAnon"])),
	})

	// Sample the resident size while the binary serves Converse load.
	var (
		mu      sync.Mutex
		samples []int64
		stop    = make(chan struct{})
		wg      sync.WaitGroup
	)
	wg.Go(func() {
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if cur, _, err := p.rss(); err == nil {
					mu.Lock()
					samples = append(samples, cur)
					mu.Unlock()
				}
			}
		}
	})
	res, err := loadgen.Run(ctx, req.target(p.URL), loadgen.Config{Concurrency: cfg.concurrency, Duration: cfg.round * time.Duration(max(cfg.rounds, 1))})
	close(stop)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	if res.Errors > 0 || res.Requests == 0 {
		return nil, fmt.Errorf("binary under load: %d requests answered, %d failed", res.Requests, res.Errors)
	}
	_, peak, err := p.rss()
	if err != nil {
		return nil, err
	}
	busy := slices.Max(append(samples, 0))
	rows = append(rows, row{
		name:     fmt.Sprintf("Resident memory under Converse load (binary, %d workers)", cfg.concurrency),
		emulator: mib(busy), reference: "—", ratio: "—",
		note: fmt.Sprintf("Largest of %d samples over %s (%d requests, %s, journal full); peak resident size %s.",
			len(samples), dur(res.Elapsed), res.Requests, rate(res.PerSecond()), mib(peak)),
	})
	return rows, nil
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
