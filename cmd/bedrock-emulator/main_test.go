package main

import (
	"context"
	"errors"
	"flag"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-emulator/bedrock-emulator/client"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// bin returns the command, built once for the tests of this package, which run it as a
// user would.
func bin(t *testing.T) string {
	t.Helper()
	return testkit.Binary(t, ".")
}

// start runs the command with args, and env added to the environment, and returns it and
// the first line it printed (serve's and record's URL). The process is killed when the test
// ends.
func start(t *testing.T, env []string, args ...string) (*exec.Cmd, string, *strings.Builder) {
	t.Helper()
	return testkit.Start(t, bin(t), env, args...)
}

// startServe runs `bedrock-emulator serve` on a free port with args and env, and returns its
// URL.
func startServe(t *testing.T, env []string, args ...string) string {
	t.Helper()
	_, url, _ := start(t, env, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	return url
}

// waitExit waits for cmd to exit and returns cmd.Wait's error; it fails the test if cmd has
// not exited within 30 seconds.
func waitExit(t *testing.T, cmd *exec.Cmd) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("no exit within 30s")
		return nil
	}
}

// exit runs the command to its end and returns its exit code, stdout and stderr.
func exit(t *testing.T, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin(t), args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("%v: %v", args, err)
	}
	return code, out.String(), errOut.String()
}

// The binary serves on a free port, prints its URL, answers the SDK and its own health
// check, and exits 0 on SIGTERM.
func TestServe(t *testing.T) {
	t.Parallel()
	cmd, url, stderr := start(t, nil, "serve", "--addr", "127.0.0.1:0")
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("printed %q, want the URL", url)
	}
	if code, out, errOut := exit(t, nil, "health", "--url", url); code != 0 {
		t.Errorf("health: exit %d %s%s", code, out, errOut)
	}
	out, err := client.New(url).Converse(context.Background(), &bedrockruntime.ConverseInput{
		ModelId:  aws.String("amazon.nova-micro-v1:0"),
		Messages: []types.Message{testkit.UserText("hi")},
	})
	if err != nil || out.StopReason != types.StopReasonEndTurn {
		t.Errorf("Converse: %v", err)
	}

	cmd.Process.Signal(syscall.SIGTERM)
	if err := waitExit(t, cmd); err != nil {
		t.Errorf("exit after SIGTERM: %v (stderr: %s)", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "op=Converse") {
		t.Errorf("no request log line on stderr: %s", stderr.String())
	}
}

// Errors of the binary itself are one line on stderr and a non-zero exit, never a trace.
func TestErrors(t *testing.T) {
	t.Parallel()
	taken := strings.TrimPrefix(startServe(t, nil), "http://")
	for _, tc := range []struct {
		name string
		args []string
		env  []string
		code int
		want string
	}{
		{"no command", nil, nil, 2, "no command given (see bedrock-emulator help)"},
		{"unknown command", []string{"frobnicate"}, nil, 2, `unknown command "frobnicate" (see bedrock-emulator help)`},
		{"unknown flag", []string{"serve", "--nope"}, nil, 2, "serve: flag provided but not defined: -nope (see bedrock-emulator serve -h)"},
		{"bad flag value", []string{"record", "--save-every", "soon"}, nil, 2, `invalid value "soon" for flag -save-every`},
		{"unexpected argument", []string{"serve", "extra"}, nil, 2, `serve: unexpected argument "extra"`},
		{"help of an unknown command", []string{"help", "frobnicate"}, nil, 2, `unknown command "frobnicate"`},
		{"port in use", []string{"serve", "--addr", taken}, nil, 2, "address already in use"},
		{"bad log level from the environment", []string{"serve"}, []string{"BEDROCK_EMULATOR_LOG_LEVEL=loud"}, 2, `--log-level: "loud"`},
		{"bad auth mode", []string{"serve", "--auth", "maybe"}, nil, 2, `--auth: "maybe"`},
		{"bad tool policy", []string{"serve", "--tools", "sometimes"}, nil, 2, `--tools: "sometimes" is not one of auto, never`},
		{"missing models file", []string{"serve", "--models", "/no/such/file.json"}, nil, 2, "/no/such/file.json"},
		{"unhealthy", []string{"health", "--url", "http://127.0.0.1:1"}, nil, 1, "unhealthy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := exit(t, tc.env, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			if stdout != "" || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "bedrock-emulator: ") {
				t.Errorf("stdout %q, stderr %q; want one line on stderr containing %q and nothing on stdout", stdout, stderr, tc.want)
			}
		})
	}
}

// -h, --help and help COMMAND print a command's description, examples, flags and the
// environment rule to stdout and exit 0; help and -h alone list the commands.
func TestHelp(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"help"}, []string{"usage: bedrock-emulator <command>", "serve ", "cassette import ", "conformance ", "help <command>", "BEDROCK_EMULATOR_"}},
		{[]string{"-h"}, []string{"usage: bedrock-emulator <command>", "record "}},
		{[]string{"--help"}, []string{"usage: bedrock-emulator <command>", "health "}},
		{[]string{"serve", "-h"}, []string{"usage: bedrock-emulator serve", "examples:\n  bedrock-emulator serve\n", "  -script value\n", "  -addr string\n", "BEDROCK_EMULATOR_LOG_LEVEL"}},
		{[]string{"serve", "--help"}, []string{"usage: bedrock-emulator serve"}},
		{[]string{"help", "serve"}, []string{"usage: bedrock-emulator serve", "examples:"}},
		{[]string{"help", "conformance"}, []string{"usage: bedrock-emulator conformance", "  -roles string\n"}},
		{[]string{"cassette", "-h"}, []string{"usage: bedrock-emulator cassette <command>", "cassette import ", "cassette show "}},
		{[]string{"help", "cassette"}, []string{"cassette import ", "cassette show "}},
		{[]string{"help", "cassette", "import"}, []string{"usage: bedrock-emulator cassette import", "  -o string\n"}},
		{[]string{"cassette", "show", "-h"}, []string{"usage: bedrock-emulator cassette show"}},
		{[]string{"help", "version"}, []string{"usage: bedrock-emulator version"}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := exit(t, nil, tc.args...)
			if code != 0 || stderr != "" {
				t.Errorf("exit %d, stderr %q; want 0 and nothing", code, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout)
				}
			}
		})
	}
	// Every command has a description with examples.
	for _, c := range commands {
		if _, stdout, _ := exit(t, nil, append(strings.Fields(c.name), "-h")...); c != versionCmd && !strings.Contains(stdout, "\nexamples:\n  bedrock-emulator "+c.name) {
			t.Errorf("%s -h prints no examples:\n%s", c.name, stdout)
		}
	}
	// -h and help COMMAND print the same.
	_, a, _ := exit(t, nil, "serve", "-h")
	_, b, _ := exit(t, nil, "help", "serve")
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("serve -h and help serve differ (-serve -h +help serve):\n%s", diff)
	}
}

// Every flag of every command is set by BEDROCK_EMULATOR_<NAME>, a repeatable one's by a
// list; a flag on the command line wins.
func TestFromEnv(t *testing.T) {
	t.Setenv("BEDROCK_EMULATOR_ADDR", "0.0.0.0:1")
	t.Setenv("BEDROCK_EMULATOR_LOG_LEVEL", "debug")
	t.Setenv("BEDROCK_EMULATOR_NO_ADMIN", "true")
	t.Setenv("BEDROCK_EMULATOR_SAVE_EVERY", "5s")
	t.Setenv("BEDROCK_EMULATOR_SCRIPT", "a.yaml"+string(os.PathListSeparator)+string(os.PathListSeparator)+"dir")
	t.Setenv("BEDROCK_EMULATOR_CASSETTE", "from-env.yaml")
	t.Setenv("BEDROCK_EMULATOR_UPSTREAM_MODEL", "anthropic.claude-*=llama3.2:1b,,qwen2.5:7b")
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "")
	level := fs.String("log-level", "info", "")
	noAdmin := fs.Bool("no-admin", false, "")
	every := fs.Duration("save-every", time.Second, "")
	untouched := fs.String("upstream", "default", "")
	var scripts, cassettes list
	fs.Var(&scripts, "script", "")
	fs.Var(&cassettes, "cassette", "")
	var models commaList
	fs.Var(&models, "upstream-model", "")
	if err := fs.Parse([]string{"--addr", "127.0.0.1:0", "--cassette", "a", "--cassette", "b"}); err != nil {
		t.Fatal(err)
	}
	if err := fromEnv(fs); err != nil {
		t.Fatal(err)
	}
	got := []any{*addr, *level, *noAdmin, *every, *untouched, []string(scripts), []string(cassettes), []string(models.list)}
	want := []any{"127.0.0.1:0", "debug", true, 5 * time.Second, "default", []string{"a.yaml", "dir"}, []string{"a", "b"},
		[]string{"anthropic.claude-*=llama3.2:1b", "qwen2.5:7b"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("flags (-want +got):\n%s", diff)
	}

	t.Setenv("BEDROCK_EMULATOR_SAVE_EVERY", "soon")
	fs = flag.NewFlagSet("test", flag.ContinueOnError)
	fs.Duration("save-every", time.Second, "")
	if err := fromEnv(fs); err == nil || err.Error() != `BEDROCK_EMULATOR_SAVE_EVERY="soon": parse error` {
		t.Errorf("fromEnv: %v, want the variable, its value and the parse error", err)
	}
}

// The environment reaches the flags of every command, not only serve's: here health's --url
// (a flag on the command line wins), record's --save-every, which had no variable before,
// and conformance's --roles, whose variable is not serve's BEDROCK_EMULATOR_MODELS.
func TestEnvEveryCommand(t *testing.T) {
	t.Parallel()
	url := startServe(t, nil)
	for _, tc := range []struct {
		env  []string
		args []string
		code int
		want string
	}{
		{[]string{"BEDROCK_EMULATOR_URL=" + url}, []string{"health"}, 0, ""},
		{[]string{"BEDROCK_EMULATOR_URL=http://127.0.0.1:1"}, []string{"health", "--url", url}, 0, ""},
		{[]string{"BEDROCK_EMULATOR_URL=http://127.0.0.1:1"}, []string{"health"}, 1, "unhealthy"},
		{[]string{"BEDROCK_EMULATOR_OUT=x.yaml", "BEDROCK_EMULATOR_SAVE_EVERY=0s"}, []string{"record"}, 2, "--save-every must be positive"},
		// record writes --out, never serve's BEDROCK_EMULATOR_CASSETTE.
		{[]string{"BEDROCK_EMULATOR_CASSETTE=x.yaml"}, []string{"record"}, 2, "--out FILE is required"},
		// conformance's model roles are BEDROCK_EMULATOR_ROLES; BEDROCK_EMULATOR_MODELS is
		// serve's catalogue file, which conformance does not read.
		{[]string{"BEDROCK_EMULATOR_ROLES=text"}, []string{"conformance", "--endpoint", url, "--run", "^converse/basic$"}, 2, `--roles: `},
		{[]string{"BEDROCK_EMULATOR_MODELS=text"}, []string{"conformance", "--endpoint", url, "--run", "^converse/basic$"}, 0, "1 passed"},
		{[]string{"BEDROCK_EMULATOR_MODELS=/no/such/models.json"}, []string{"serve", "--addr", "127.0.0.1:0"}, 2, "/no/such/models.json"},
	} {
		code, stdout, stderr := exit(t, tc.env, tc.args...)
		if code != tc.code || !strings.Contains(stdout+stderr, tc.want) {
			t.Errorf("%v %v: exit %d, output %q; want %d and %q", tc.env, tc.args, code, stdout+stderr, tc.code, tc.want)
		}
	}
}
