package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// aimockRow names the aimock comparison in the table.
const aimockRow = "Served binary against aimock, Converse requests/s"

// aimockCLI is aimock's command, under the repository's root, as `npm ci --prefix
// upstream/testdata/aimock` installs it (the upstream package's tests use it too).
var aimockCLI = filepath.Join("upstream", "testdata", "aimock", "node_modules", "@copilotkit", "aimock", "dist", "cli.js")

// measureAimock compares the served binary with @copilotkit/aimock, a mock server for LLM
// APIs from npm that serves Bedrock's Converse, both answering the benchmark's Converse
// request in a process of their own with default flags (aimock from a fixture that matches
// its user message), and a bare process writing the emulator's bytes, in alternating rounds
// on the same driver. It is skipped when node or aimock is not installed.
func measureAimock(ctx context.Context, cfg config, bin string, converse *request) (row, error) {
	cli, err := findUp(aimockCLI)
	if err != nil {
		return skipped(aimockRow, "—", "aimock is not installed (npm ci --prefix upstream/testdata/aimock); the aimock comparison was skipped."), nil
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return skipped(aimockRow, "—", "node is not on PATH; the aimock comparison was skipped."), nil
	}
	dir, err := os.MkdirTemp("", "bedrock-bench-aimock")
	if err != nil {
		return row{}, err
	}
	defer os.RemoveAll(dir)
	var body struct {
		Messages []struct {
			Content []struct {
				Text string `json:"text"`
			} `json:"content"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(converse.body, &body); err != nil || len(body.Messages) == 0 || len(body.Messages[0].Content) == 0 {
		return row{}, fmt.Errorf("the benchmark's Converse request has no user text: %v", err)
	}
	fixtures := filepath.Join(dir, "fixtures.json")
	fx, _ := json.Marshal(map[string]any{"fixtures": []any{map[string]any{
		"match":    map[string]any{"userMessage": body.Messages[0].Content[0].Text},
		"response": map[string]any{"content": "Paris."},
	}}})
	if err := os.WriteFile(fixtures, fx, 0o600); err != nil {
		return row{}, err
	}
	mock, err := startAimock(ctx, node, cli, fixtures)
	if err != nil {
		return row{}, err
	}
	defer mock.stop()
	emu, _, err := startProcess(ctx, bin)
	if err != nil {
		return row{}, err
	}
	defer emu.stop()
	bare, err := startBareProcess(ctx, dir, "plain", converse)
	if err != nil {
		return row{}, fmt.Errorf("bare process: %w", err)
	}
	defer bare.stop()

	procs := []*process{emu, mock, bare}
	c, err := alternateProcs(ctx, cfg, cfg.concurrency, procs,
		converse.target(emu.URL), converse.target(mock.URL), converse.target(bare.URL))
	if err != nil {
		return row{}, err
	}
	return row{
		name:     aimockRow,
		emulator: rate(c.total[0].PerSecond()), reference: rate(c.total[1].PerSecond()) + " aimock", ratio: ratio(c.ratio(0, 1)),
		note: fmt.Sprintf("@copilotkit/aimock %s on node %s, default flags (its log at info level, to a pipe the bench drains), answering the same Converse request from a fixture; the same driver, %d workers, alternating with the binary and a bare process. "+
			"Against the bare process: the binary %s, aimock %s. CPU time a request: the binary %s, aimock %s, the bare process %s.",
			aimockVersion(cli), nodeVersion(node), cfg.concurrency, ratio(c.ratio(0, 2)), ratio(c.ratio(1, 2)),
			dur(c.cpuPerRequest(0)), dur(c.cpuPerRequest(1)), dur(c.cpuPerRequest(2))),
	}, nil
}

// startAimock runs aimock on a free loopback port with its default flags and the fixtures
// file, and returns it once it says it listens.
func startAimock(ctx context.Context, node, cli, fixtures string) (*process, error) {
	cmd := exec.Command(node, cli, "--port", "0", "--fixtures", fixtures)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("aimock: %w", err)
	}
	p := &process{cmd: cmd}
	listening := regexp.MustCompile(`listening on (http://\S+)`)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				io.Copy(io.Discard, out) // its request log, drained
				return
			}
		}
		close(found)
	}()
	select {
	case p.URL = <-found:
	case <-time.After(30 * time.Second):
	case <-ctx.Done():
	}
	if p.URL == "" {
		p.stop()
		return nil, errors.New("aimock did not say it listens within 30 s")
	}
	return p, nil
}

// findUp finds rel under the current directory or the nearest of its parents that has it.
func findUp(rel string) (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, rel)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}

func aimockVersion(cli string) string {
	b, err := os.ReadFile(filepath.Join(filepath.Dir(filepath.Dir(cli)), "package.json"))
	var pkg struct{ Version string }
	if err != nil || json.Unmarshal(b, &pkg) != nil || pkg.Version == "" {
		return "(version unknown)"
	}
	return pkg.Version
}

func nodeVersion(node string) string {
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		return "(version unknown)"
	}
	return strings.TrimSpace(string(out))
}
