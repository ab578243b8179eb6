package main

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-emulator/bedrock-emulator/client"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// binary returns the command, built once for the tests of this package.
func binary(t *testing.T) string {
	t.Helper()
	return testkit.Binary(t, ".")
}

// The binary serves on a free port, prints its URL, answers the SDK and its own health
// check, and exits 0 on SIGTERM.
func TestServe(t *testing.T) {
	bin := binary(t)
	cmd, url, stderr := testkit.Start(t, bin, nil, "serve", "--addr", "127.0.0.1:0")
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("printed %q, want the URL", url)
	}

	if out, err := exec.Command(bin, "health", "--url", url).CombinedOutput(); err != nil {
		t.Errorf("health: %v %s", err, out)
	}
	out, err := client.New(url).Converse(context.Background(), &bedrockruntime.ConverseInput{
		ModelId:  aws.String("amazon.nova-micro-v1:0"),
		Messages: []types.Message{testkit.UserText("hi")},
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
