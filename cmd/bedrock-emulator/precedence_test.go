package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/bedrock-emulator/bedrock-emulator/client"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// A recorded interaction beats a script: with every example script loaded, the cassette's
// interaction #0 (a ConverseStream that throttling.yaml would have throttled) is answered
// with the recording, and a request the cassette does not hold falls through to the scripts.
func TestServeCassetteBeatsScripts(t *testing.T) {
	t.Parallel()
	url := startServe(t, nil, "--script", "../../fixtures/examples/", "--cassette", "../../conformance/testdata/real-bedrock.yaml")
	// Interaction #0's request, as recorded (a Bearer key, which --auth any accepts).
	body := `{"messages":[{"role":"user","content":[{"text":"Say this is a test"}]}],"inferenceConfig":{"maxTokens":10,"temperature":0.8,"topP":1,"stopSequences":["|"]}}`
	req, _ := http.NewRequest(http.MethodPost, url+"/model/amazon.titan-text-lite-v1/converse-stream", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer test-key")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got, want := resp.Header.Get("x-amzn-RequestId"), "77f2fab1-08a9-4235-a402-e0e5f3a5e117"; resp.StatusCode != 200 || got != want {
		t.Errorf("interaction #0: status %d, request ID %q, want 200 and the recorded %q", resp.StatusCode, got, want)
	}

	c := client.New(url)
	for _, tt := range []struct{ ask, want string }{
		{"throttle me", "Finally through."}, // through the retryer, from throttling.yaml
		{"Create a list of 3 pop songs.", ""}, // no example matches (playlist's wants a system prompt): the generator
	} {
		got, err := say(c, tt.ask)
		if err != nil || tt.want != "" && got != tt.want || tt.want == "" && got == "Finally through." {
			t.Errorf("%q: %q, %v; want %q", tt.ask, got, err, tt.want)
		}
	}
}

// DELETE /_emulator/scripts resets what it says: no script answers and strict mode is off,
// so the default generator answers again.
func TestServeDeleteScripts(t *testing.T) {
	t.Parallel()
	url := startServe(t, nil, "--script", "../../fixtures/examples/playlist.yaml", "--strict")
	c := testkit.Client(url, testkit.NoRetry)
	if _, err := say(c, "hello"); testkit.ErrorCode(err) != "ValidationException" {
		t.Fatalf("strict mode before DELETE: %v", err)
	}
	req, _ := http.NewRequest(http.MethodDelete, url+"/_emulator/scripts", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE: %v %v", resp, err)
	}
	if got, err := say(c, "hello"); err != nil || got == "" {
		t.Errorf("after DELETE: %q, %v; want the default generator's reply", got, err)
	}
}
