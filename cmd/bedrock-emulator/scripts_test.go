package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-emulator/bedrock-emulator/client"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

func say(c *bedrockruntime.Client, s string) (string, error) {
	out, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{
		ModelId:  aws.String("anthropic.claude-3-haiku-20240307-v1:0"),
		Messages: []types.Message{testkit.UserText(s)},
	})
	if err != nil {
		return "", err
	}
	return out.Output.(*types.ConverseOutputMemberMessage).Value.Content[0].(*types.ContentBlockMemberText).Value, nil
}

// serve --script FILE --strict answers from the script and refuses what it does not match.
func TestServeScriptStrict(t *testing.T) {
	t.Parallel()
	url := startServe(t, nil, "--script", "../../fixtures/examples/throttling.yaml", "--script", "../../fixtures/examples/playlist.yaml", "--strict")
	c := client.New(url) // the standard retryer gets through the two throttled calls
	if got, err := say(c, "throttle me"); err != nil || got != "Finally through." {
		t.Errorf("reply %q, %v", got, err)
	}
}

// The environment sets the flags: a script list and fault flags.
func TestServeScriptEnv(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.yaml"), []byte("version: 1\nrules:\n  - match: {lastUserMessage: a}\n    reply: {text: from a}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.yaml"), []byte("version: 1\nrules:\n  - match: {lastUserMessage: b}\n    reply: {text: from b}\n"), 0o644)
	url := startServe(t, []string{"BEDROCK_EMULATOR_SCRIPT=" + dir, "BEDROCK_EMULATOR_THROTTLE_EVERY=3", "BEDROCK_EMULATOR_STRICT=true"})
	c := testkit.Client(url)
	var got []string
	for _, s := range []string{"a", "b", "a", "c"} {
		reply, err := say(c, s)
		if code := testkit.ErrorCode(err); code != "" {
			reply = code
		}
		got = append(got, reply)
	}
	want := []string{"from a", "from b", "ThrottlingException", "ValidationException"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("replies %q, want %q", got, want)
	}
}

// A bad script, flag or environment value stops serve with one line naming the problem.
func TestServeScriptErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("version: 1\nrules:\n  - match: {lastUserMesage: hi}\n    reply: {text: x, stopReason: done}\n"), 0o644)
	tests := []struct {
		env  []string
		args []string
		want string
	}{
		{nil, []string{"--script", bad}, "bedrock-emulator: --script: " + bad + `:3: rules[0].match: unknown field "lastUserMesage" (want one of operation, model, family, lastUserMessage, system, turn, toolResult, tools, inferenceConfig, headers, call) (and 1 more)`},
		{nil, []string{"--script", filepath.Join(dir, "none.yaml")}, "bedrock-emulator: --script: stat " + filepath.Join(dir, "none.yaml") + ": no such file or directory"},
		{nil, []string{"--throttle-rate", "2"}, "bedrock-emulator: fault flags: rate 2 is not a fraction between 0 and 1"},
		{nil, []string{"--throttle-error", "Nope"}, "bedrock-emulator: --throttle-error: unknown exception type \"Nope\""},
		{[]string{"BEDROCK_EMULATOR_LATENCY=soon"}, nil, `bedrock-emulator: BEDROCK_EMULATOR_LATENCY="soon": parse error`},
		{nil, []string{"--journal-size", "0"}, "bedrock-emulator: --journal-size and --journal-bytes must be at least 1, not 0 and 134217728"},
	}
	for _, tt := range tests {
		cmd := exec.Command(bin(t), append([]string{"serve", "--addr", "127.0.0.1:0"}, tt.args...)...)
		cmd.Env = append(os.Environ(), tt.env...)
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Errorf("%v %v: exit 0", tt.env, tt.args)
			continue
		}
		if got := strings.TrimSpace(string(out)); !strings.HasPrefix(got, tt.want) || strings.Count(got, "\n") > 0 {
			t.Errorf("%v %v:\n  %s\nwant one line starting\n  %s", tt.env, tt.args, got, tt.want)
		}
	}
}

// serve's admin API holds the web inspector's endpoints: the cassettes (none loaded), the
// journal's summary and entries, and the rule maker, whose rule loads back.
func TestServeInspectorEndpoints(t *testing.T) {
	t.Parallel()
	url := startServe(t, nil)
	c := testkit.Client(url)
	if got, err := say(c, "ping"); err != nil || got == "" {
		t.Fatalf("reply %q, %v", got, err)
	}
	get := func(path string) string {
		t.Helper()
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
		}
		return string(b)
	}
	if got := get("/_emulator/cassettes"); strings.TrimSpace(got) != `{"cassettes":[]}` {
		t.Errorf("GET /_emulator/cassettes = %s, want none", got)
	}
	if got := get("/_emulator/requests/summary"); !strings.Contains(got, `"seq":1`) || !strings.Contains(got, `"kept":1`) {
		t.Errorf("GET /_emulator/requests/summary = %s", got)
	}
	resp, err := http.Post(url+"/_emulator/scripts/rule", "application/json", strings.NewReader(get("/_emulator/requests/1")))
	if err != nil {
		t.Fatal(err)
	}
	rule, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("POST /_emulator/scripts/rule: %d %s", resp.StatusCode, rule)
	}
	resp, err = http.Post(url+"/_emulator/scripts?append=true", "application/yaml", bytes.NewReader(rule))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("loading the rule: %d", resp.StatusCode)
	}
	if got := get("/_emulator/scripts"); !strings.Contains(got, `"name":"request 1","file":"POST /_emulator/scripts","line":4`) {
		t.Errorf("GET /_emulator/scripts = %s, want the rule with its file and line", got)
	}
}
