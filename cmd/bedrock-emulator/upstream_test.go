package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
	"github.com/bedrock-emulator/bedrock-emulator/upstream"
)

// llama is a chat completions server that answers "from llama".
func llama(t *testing.T) *httptest.Server {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"choices":[{"message":{"role":"assistant","content":"from llama"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2}}`))
	}))
	t.Cleanup(up.Close)
	return up
}

// TestRecordUpstream: the recorder records a session with a local model (record in front of
// an emulator with an upstream), and serve --cassette replays it without the model.
func TestRecordUpstream(t *testing.T) {
	u, err := upstream.New(upstream.Config{URL: llama(t).URL, DefaultModel: "llama3.2"})
	if err != nil {
		t.Fatal(err)
	}
	srv := emulator.NewServer(u.Install)
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "local.yaml")
	cmd, url, stderr := startRecord(t, "--out", path, "--upstream", srv.URL)
	in := &bedrockruntime.ConverseInput{ModelId: aws.String("amazon.nova-micro-v1:0"), Messages: []types.Message{testkit.UserText("hi")}}
	if got := testkit.ReplyText(t, testkit.Converse(t, testkit.Client(url), in)); got != "from llama" {
		t.Fatalf("through the recorder: %q", got)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := waitExit(t, cmd); err != nil {
		t.Fatalf("exit: %v (stderr: %s)", err, stderr)
	}
	c, err := cassette.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Interactions) != 1 || !strings.Contains(c.Interactions[0].Response.Body, "from llama") {
		t.Fatalf("cassette: %d interactions", len(c.Interactions))
	}
	replay := startServe(t, nil, "--cassette", path, "--cassette-strict")
	if got := testkit.ReplyText(t, testkit.Converse(t, testkit.Client(replay), in)); got != "from llama" {
		t.Errorf("replayed: %q", got)
	}
}

// TestServeUpstream: serve --upstream sends what scripts leave to the chat completions
// server, with --upstream-model's mapping and the API key from
// BEDROCK_EMULATOR_UPSTREAM_API_KEY; a script still answers what it matches.
func TestServeUpstream(t *testing.T) {
	var mu sync.Mutex
	var models, keys []string
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Model string }
		json.NewDecoder(r.Body).Decode(&req)
		mu.Lock()
		models, keys = append(models, req.Model), append(keys, r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"choices":[{"message":{"role":"assistant","content":"from llama"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2}}`))
	}))
	defer up.Close()
	script := t.TempDir() + "/s.yaml"
	if err := os.WriteFile(script, []byte("version: 1\nrules:\n  - match: {lastUserMessage: scripted}\n    reply: {text: from the script}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	url := startServe(t, []string{"BEDROCK_EMULATOR_UPSTREAM_API_KEY=up-secret"}, "--upstream", up.URL,
		"--upstream-model", "anthropic.claude-*=llama3.2", "--upstream-model", "qwen", "--script", script)
	c := testkit.Client(url)
	for _, tc := range []struct{ model, say, want string }{
		{"us.anthropic.claude-3-haiku-20240307-v1:0", "hi", "from llama"},
		{"amazon.nova-micro-v1:0", "hi", "from llama"},
		{"amazon.nova-micro-v1:0", "scripted", "from the script"},
	} {
		out := testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: aws.String(tc.model), Messages: []types.Message{testkit.UserText(tc.say)}})
		if got := testkit.ReplyText(t, out); got != tc.want {
			t.Errorf("%s %q: %q, want %q", tc.model, tc.say, got, tc.want)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(models, ",") != "llama3.2,qwen" || keys[0] != "Bearer up-secret" {
		t.Errorf("upstream models %v, keys %v", models, keys)
	}
}
