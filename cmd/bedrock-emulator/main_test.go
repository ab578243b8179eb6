package main

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-emulator/bedrock-emulator/client"
)

// binary builds the command once for the tests of this package.
func binary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "bedrock-emulator")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// The binary serves on a free port, prints its URL, answers the SDK and its own health
// check, and exits 0 on SIGTERM.
func TestServe(t *testing.T) {
	bin := binary(t)
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0")
	stdout, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the URL: %v (stderr: %s)", err, stderr.String())
	}
	url := strings.TrimSpace(line)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("printed %q, want the URL", line)
	}

	if out, err := exec.Command(bin, "health", "--url", url).CombinedOutput(); err != nil {
		t.Errorf("health: %v %s", err, out)
	}
	out, err := client.New(url).Converse(context.Background(), &bedrockruntime.ConverseInput{
		ModelId:  aws.String("amazon.nova-micro-v1:0"),
		Messages: []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "hi"}}}},
	})
	if err != nil || out.StopReason != types.StopReasonEndTurn {
		t.Errorf("Converse: %v", err)
	}

	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v (stderr: %s)", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no exit 30s after SIGTERM")
	}
	if !strings.Contains(stderr.String(), "op=Converse") {
		t.Errorf("no request log line on stderr: %s", stderr.String())
	}
}

// Errors of the binary itself are one line on stderr and a non-zero exit, never a trace.
func TestErrors(t *testing.T) {
	bin := binary(t)
	busy := exec.Command(bin, "serve", "--addr", "127.0.0.1:0")
	stdout, _ := busy.StdoutPipe()
	busy.Start()
	t.Cleanup(func() { busy.Process.Kill(); busy.Wait() })
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	taken := strings.TrimPrefix(strings.TrimSpace(line), "http://")

	for _, tc := range []struct {
		name string
		args []string
		env  []string
		code int
		want string
	}{
		{"unknown command", []string{"frobnicate"}, nil, 2, `unknown command "frobnicate"`},
		{"unknown flag", []string{"serve", "--nope"}, nil, 2, "flag provided but not defined: -nope"},
		{"port in use", []string{"serve", "--addr", taken}, nil, 2, "address already in use"},
		{"bad log level from the environment", []string{"serve"}, []string{"BEDROCK_EMULATOR_LOG_LEVEL=loud"}, 2, `--log-level: "loud"`},
		{"bad auth mode", []string{"serve", "--auth", "maybe"}, nil, 2, `--auth: "maybe"`},
		{"missing models file", []string{"serve", "--models", "/no/such/file.json"}, nil, 2, "/no/such/file.json"},
		{"unhealthy", []string{"health", "--url", "http://127.0.0.1:1"}, nil, 1, "unhealthy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, tc.args...)
			cmd.Env = append(os.Environ(), tc.env...)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != tc.code {
				t.Fatalf("exit = %v, want code %d; output:\n%s", err, tc.code, out)
			}
			if !strings.Contains(string(out), tc.want) || strings.Contains(string(out), "goroutine") {
				t.Errorf("output %q, want a line containing %q and no trace", out, tc.want)
			}
		})
	}
}
