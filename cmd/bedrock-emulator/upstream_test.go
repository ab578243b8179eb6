package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

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
