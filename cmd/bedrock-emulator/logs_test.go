package main

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmw "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// stopped stops a served binary with SIGTERM and returns its log lines (JSON, --log-format
// json), once it has exited: every request's line is written by then.
func stopped(t *testing.T, cmd *exec.Cmd, stderr *strings.Builder) []map[string]any {
	t.Helper()
	cmd.Process.Signal(syscall.SIGTERM)
	if err := waitExit(t, cmd); err != nil {
		t.Fatalf("exit: %v (stderr: %s)", err, stderr)
	}
	var lines []map[string]any
	sc := bufio.NewScanner(strings.NewReader(stderr.String()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l map[string]any
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("not a JSON log line: %s", sc.Text())
		}
		lines = append(lines, l)
	}
	return lines
}

// find returns the first log line whose fields include want.
func findLine(lines []map[string]any, want map[string]any) map[string]any {
	for _, l := range lines {
		ok := true
		for k, v := range want {
			if l[k] != v {
				ok = false
			}
		}
		if ok {
			return l
		}
	}
	return nil
}

// The logs say what was loaded, what each request asked and who answered it (a script rule
// with its file and line, a cassette interaction, the generator, validation), its error type
// and message, its stream events; unknown paths at WARN; bodies at debug level, the
// credentials redacted; and the stop.
func TestServeLogs(t *testing.T) {
	t.Parallel()
	cmd, url, stderr := start(t, nil, "serve", "--addr", "127.0.0.1:0", "--log-format", "json", "--log-level", "debug",
		"--script", "../../fixtures/examples/", "--cassette", "../../conformance/testdata/real-bedrock.yaml")
	c := testkit.Client(url, testkit.NoRetry)
	ctx := context.Background()
	say(c, "throttle me")                                             // throttling.yaml's first rule
	say(c, "hello")                                                   // the generator
	testkit.ConverseStream(t, c, &bedrockruntime.ConverseStreamInput{ // the generator, streamed
		ModelId: aws.String("amazon.nova-micro-v1:0"), Messages: []types.Message{testkit.UserText("stream it")}})
	c.Converse(ctx, &bedrockruntime.ConverseInput{ModelId: aws.String("no.such-model"), Messages: []types.Message{testkit.UserText("x")}})
	// The cassette's interaction #0, as recorded.
	body := `{"messages":[{"role":"user","content":[{"text":"Say this is a test"}]}],"inferenceConfig":{"maxTokens":10,"temperature":0.8,"topP":1,"stopSequences":["|"]}}`
	req, _ := http.NewRequest(http.MethodPost, url+"/model/amazon.titan-text-lite-v1/converse-stream", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer secret-api-key-1234")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	if resp, err := http.Get(url + "/model/x/convers"); err == nil {
		resp.Body.Close()
	}
	lines := stopped(t, cmd, stderr)

	banner := findLine(lines, map[string]any{"msg": "serving"})
	if banner == nil || banner["admin"] != url+"/_emulator" || banner["auth"] != "any" ||
		!strings.Contains(banner["scripts"].(string), "throttling.yaml (3 rules)") || !strings.Contains(banner["cassettes"].(string), "real-bedrock.yaml") {
		t.Errorf("start banner: %v", banner)
	}
	for _, tt := range []struct {
		name string
		want map[string]any
	}{
		{"script rule", map[string]any{"msg": "request", "status": 429.0, "errorType": "ThrottlingException",
			"error":      "Too many requests, please wait before trying again.",
			"answeredBy": `script rule "throttle call 1" (../../fixtures/examples/throttling.yaml:8)`, "model": "anthropic.claude-3-haiku-20240307-v1:0"}},
		{"generator", map[string]any{"msg": "request", "op": "Converse", "status": 200.0, "answeredBy": "generator"}},
		{"stream", map[string]any{"msg": "request", "op": "ConverseStream", "answeredBy": "generator"}},
		{"validation", map[string]any{"msg": "request", "status": 400.0, "model": "no.such-model", "answeredBy": "validation", "errorType": "ValidationException"}},
		{"cassette", map[string]any{"msg": "request", "answeredBy": "cassette ../../conformance/testdata/real-bedrock.yaml #0", "status": 200.0}},
		{"unknown operation", map[string]any{"level": "WARN", "method": "GET", "path": "/model/x/convers"}},
		{"debug bodies", map[string]any{"level": "DEBUG", "msg": "request bodies", "path": "/model/amazon.titan-text-lite-v1/converse-stream"}},
		{"stop", map[string]any{"msg": "stopped"}},
	} {
		if findLine(lines, tt.want) == nil {
			t.Errorf("%s: no log line with %v", tt.name, tt.want)
		}
	}
	// The request line's record is made by hand (handler.log): it keeps its time.
	if l := findLine(lines, map[string]any{"msg": "request", "op": "Converse", "answeredBy": "generator"}); l != nil && l["time"] == nil {
		t.Errorf("request line without its time: %v", l)
	}
	if l := findLine(lines, map[string]any{"msg": "request", "op": "ConverseStream", "answeredBy": "generator"}); l != nil && !(l["events"].(float64) > 3) {
		t.Errorf("stream events: %v", l["events"])
	}
	if l := findLine(lines, map[string]any{"msg": "request bodies", "path": "/model/amazon.titan-text-lite-v1/converse-stream"}); l != nil {
		if !strings.Contains(l["request"].(string), "Say this is a test") {
			t.Errorf("debug line without the request body: %v", l)
		}
	}
	if strings.Contains(stderr.String(), "secret-api-key-1234") {
		t.Error("the log holds the API key")
	}
}

// Request IDs differ between two fresh servers, unless --request-id-seed asks for the same.
func TestServeRequestIDs(t *testing.T) {
	t.Parallel()
	first := func(args ...string) string {
		url := startServe(t, nil, args...)
		out, err := testkit.Client(url).Converse(context.Background(), &bedrockruntime.ConverseInput{
			ModelId: aws.String("amazon.nova-micro-v1:0"), Messages: []types.Message{testkit.UserText("hi")}})
		if err != nil {
			t.Fatal(err)
		}
		id, _ := awsmw.GetRequestIDMetadata(out.ResultMetadata)
		return id
	}
	if a, b := first(), first(); a == "" || a == b {
		t.Errorf("two fresh servers answered request IDs %q and %q, want two different ones", a, b)
	}
	if a, b := first("--request-id-seed", "ci"), first("--request-id-seed", "ci"); a == "" || a != b {
		t.Errorf("two servers seeded alike answered request IDs %q and %q, want the same", a, b)
	}
}
