package upstream_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
	"github.com/bedrock-emulator/bedrock-emulator/upstream"
)

const model = "anthropic.claude-3-haiku-20240307-v1:0"

// fake is an OpenAI-compatible chat completions server written for these tests: it keeps
// the requests it gets and answers them with answer.
type fake struct {
	mu       sync.Mutex
	requests []map[string]any
	auth     []string
	answer   func(w http.ResponseWriter, r *http.Request, req map[string]any)
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1/chat/completions" {
		http.NotFound(w, r)
		return
	}
	var req map[string]any
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.requests = append(f.requests, req)
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	f.mu.Unlock()
	f.answer(w, r, req)
}

// nth is the i-th request the upstream got, failing the test at once if it got fewer.
func (f *fake) nth(t *testing.T, i int) map[string]any {
	t.Helper()
	reqs := f.got()
	if len(reqs) <= i {
		t.Fatalf("the upstream got %d requests, want %d at least", len(reqs), i+1)
	}
	return reqs[i]
}

func (f *fake) got() []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

// completion answers a chat completion: text, or tool calls when the request offers tools
// and has no tool result yet, streamed when the request asks for a stream.
func completion(w http.ResponseWriter, _ *http.Request, req map[string]any) {
	msgs := req["messages"].([]any)
	last := msgs[len(msgs)-1].(map[string]any)
	text, finish := "Hello from upstream", "stop"
	var calls []any
	if last["content"] == "long" {
		text = strings.Repeat("word ", 200)
	} else if last["role"] == "tool" {
		text = "It is " + last["content"].(string)
	} else if req["tools"] != nil {
		text, finish = "", "tool_calls"
		calls = []any{map[string]any{"id": "call_abc", "type": "function", "function": map[string]any{"name": "weather", "arguments": `{"city":"Paris"}`}}}
	}
	usage := map[string]any{"prompt_tokens": 12, "completion_tokens": 4, "total_tokens": 16}
	if req["stream"] != true {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"choices": []any{map[string]any{"index": 0,
			"message": map[string]any{"role": "assistant", "content": text, "tool_calls": calls}, "finish_reason": finish}}, "usage": usage})
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	send := func(v any) {
		b, _ := json.Marshal(v)
		fmt.Fprintf(w, "data: %s\n\n", b)
	}
	delta := func(d map[string]any) { send(map[string]any{"choices": []any{map[string]any{"index": 0, "delta": d}}}) }
	for _, word := range strings.SplitAfter(text, " ") {
		if word != "" {
			delta(map[string]any{"content": word})
		}
	}
	if calls != nil {
		delta(map[string]any{"tool_calls": []any{map[string]any{"index": 0, "id": "call_abc", "type": "function", "function": map[string]any{"name": "weather", "arguments": ""}}}})
		for _, part := range []string{`{"city":`, `"Paris"}`} {
			delta(map[string]any{"tool_calls": []any{map[string]any{"index": 0, "function": map[string]any{"arguments": part}}}})
		}
	}
	send(map[string]any{"choices": []any{map[string]any{"index": 0, "delta": map[string]any{}, "finish_reason": finish}}})
	send(map[string]any{"choices": []any{}, "usage": usage})
	fmt.Fprint(w, "data: [DONE]\n\n")
}

// start serves an emulator whose upstream is f, mapping every Claude model to "tiny".
func start(t *testing.T, f http.Handler, cfg upstream.Config) (*bedrockruntime.Client, *emulator.Server) {
	t.Helper()
	up := httptest.NewServer(f)
	t.Cleanup(up.Close)
	if cfg.URL == "" {
		cfg.URL = up.URL
	}
	cfg.Models = append(cfg.Models, upstream.Mapping{Pattern: "anthropic.claude-*", Model: "tiny"})
	u, err := upstream.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := emulator.NewServer(u.Install)
	t.Cleanup(srv.Close)
	return testkit.Client(srv.URL), srv
}

func weatherTools() *types.ToolConfiguration {
	return &types.ToolConfiguration{Tools: []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{
		Name: aws.String("weather"), Description: aws.String("the weather in a city"),
		InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(map[string]any{"type": "object",
			"properties": map[string]any{"city": map[string]any{"type": "string"}}})}}}}}
}

// TestConverse: a Converse call is answered by the upstream, with its model mapped, its
// system prompt and inference config passed, its API key sent, its usage kept.
func TestConverse(t *testing.T) {
	f := &fake{answer: completion}
	c, srv := start(t, f, upstream.Config{APIKey: "up-key"})
	out := testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: aws.String("us." + model),
		System:          []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: "Be brief."}},
		Messages:        []types.Message{testkit.UserText("Hi")},
		InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(64), Temperature: aws.Float32(0.25)}})
	if got := testkit.ReplyText(t, out); got != "Hello from upstream" {
		t.Errorf("text %q", got)
	}
	if out.StopReason != types.StopReasonEndTurn || aws.ToInt32(out.Usage.InputTokens) != 12 || aws.ToInt32(out.Usage.OutputTokens) != 4 {
		t.Errorf("stop %q usage %+v", out.StopReason, out.Usage)
	}
	reqs := f.got()
	if len(reqs) != 1 {
		t.Fatalf("%d upstream requests", len(reqs))
	}
	r := reqs[0]
	if r["model"] != "tiny" || r["max_tokens"] != 64.0 || r["temperature"] != 0.25 || r["stream"] != nil {
		t.Errorf("upstream request %v", r)
	}
	if sys := r["messages"].([]any)[0].(map[string]any); sys["role"] != "system" || sys["content"] != "Be brief." {
		t.Errorf("system message %v", sys)
	}
	if f.auth[0] != "Bearer up-key" {
		t.Errorf("Authorization %q", f.auth[0])
	}
	if e := srv.Requests()[0]; !strings.HasPrefix(e.AnsweredBy, "upstream tiny") {
		t.Errorf("answered by %q", e.AnsweredBy)
	}
}

// TestMaxTokens: the upstream's answer is the model's, already within maxTokens: the
// emulator does not cut it by its own token estimate.
func TestMaxTokens(t *testing.T) {
	c, _ := start(t, &fake{answer: completion}, upstream.Config{})
	out := testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: []types.Message{testkit.UserText("Hi")},
		InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(2), StopSequences: []string{"from"}}})
	if got := testkit.ReplyText(t, out); got != "Hello from upstream" || out.StopReason != types.StopReasonEndTurn {
		t.Errorf("%q, stop %q", got, out.StopReason)
	}
}

// TestConverseStream: the upstream's SSE becomes ConverseStream events: its text deltas, a
// tool use start and input, the stop reason, the usage in metadata.
func TestConverseStream(t *testing.T) {
	f := &fake{answer: completion}
	c, _ := start(t, f, upstream.Config{})
	s := testkit.ConverseStream(t, c, &bedrockruntime.ConverseStreamInput{ModelId: aws.String(model),
		Messages: []types.Message{testkit.UserText("Hi")}})
	if s.Err != nil || s.Text != "Hello from upstream" || strings.Join(s.Deltas, "|") != "Hello |from |upstream" {
		t.Errorf("stream err %v, deltas %q", s.Err, s.Deltas)
	}
	if s.StopReason != types.StopReasonEndTurn || aws.ToInt32(s.Usage.OutputTokens) != 4 || aws.ToInt32(s.Usage.InputTokens) != 12 {
		t.Errorf("stop %q usage %+v", s.StopReason, s.Usage)
	}
	if r := f.nth(t, 0); r["stream"] != true || r["stream_options"].(map[string]any)["include_usage"] != true {
		t.Errorf("upstream request %v", r)
	}

	s = testkit.ConverseStream(t, c, &bedrockruntime.ConverseStreamInput{ModelId: aws.String(model),
		Messages: []types.Message{testkit.UserText("Weather in Paris?")}, ToolConfig: weatherTools()})
	if s.ToolStart == nil || aws.ToString(s.ToolStart.ToolUseId) != "call_abc" || aws.ToString(s.ToolStart.Name) != "weather" ||
		s.ToolInput != `{"city":"Paris"}` || s.StopReason != types.StopReasonToolUse {
		t.Errorf("tool stream: start %+v input %q stop %q", s.ToolStart, s.ToolInput, s.StopReason)
	}
}

// TestToolRoundTrip: a tool call comes back as toolUse with the upstream's ID, and the next
// turn's toolResult goes to the upstream as a tool message answering that ID.
func TestToolRoundTrip(t *testing.T) {
	f := &fake{answer: completion}
	c, _ := start(t, f, upstream.Config{})
	in := &bedrockruntime.ConverseInput{ModelId: aws.String(model), ToolConfig: weatherTools(),
		Messages: []types.Message{testkit.UserText("Weather in Paris?")}}
	out := testkit.Converse(t, c, in)
	msg := testkit.Message(t, out)
	use, ok := msg.Content[0].(*types.ContentBlockMemberToolUse)
	if !ok || out.StopReason != types.StopReasonToolUse {
		t.Fatalf("content %#v, stop %q", msg.Content, out.StopReason)
	}
	if aws.ToString(use.Value.ToolUseId) != "call_abc" || aws.ToString(use.Value.Name) != "weather" {
		t.Errorf("tool use %+v", use.Value)
	}
	in.Messages = append(in.Messages, msg, testkit.ToolResultText(use.Value.ToolUseId, "sunny"))
	out = testkit.Converse(t, c, in)
	if got := testkit.ReplyText(t, out); got != "It is sunny" {
		t.Errorf("second turn %q", got)
	}
	msgs := f.nth(t, 1)["messages"].([]any)
	asst, tool := msgs[1].(map[string]any), msgs[2].(map[string]any)
	if id := asst["tool_calls"].([]any)[0].(map[string]any)["id"]; id != "call_abc" || tool["role"] != "tool" || tool["tool_call_id"] != "call_abc" {
		t.Errorf("second upstream request's turns %v", msgs)
	}
}

// TestValidationFirst: a request Bedrock rejects is answered by the emulator's validation and
// never reaches the upstream; one the upstream cannot take is refused, saying so.
func TestValidationFirst(t *testing.T) {
	f := &fake{answer: completion}
	c, _ := start(t, f, upstream.Config{})
	_, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(model),
		Messages: []types.Message{testkit.UserText("Hi")}, InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(0)}})
	if code, _ := testkit.APIError(t, err); code != "ValidationException" {
		t.Errorf("maxTokens 0: %v", err)
	}
	_, err = c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(model),
		Messages: []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{
			&types.ContentBlockMemberText{Value: "Summarize"},
			&types.ContentBlockMemberDocument{Value: types.DocumentBlock{Name: aws.String("doc"), Format: types.DocumentFormatTxt,
				Source: &types.DocumentSourceMemberBytes{Value: []byte("text")}}}}}}})
	if code, msg := testkit.APIError(t, err); code != "ValidationException" || !strings.Contains(msg, "cannot take documents") {
		t.Errorf("document: %s %q", code, msg)
	}
	if n := len(f.got()); n != 0 {
		t.Errorf("%d requests reached the upstream", n)
	}
}

// TestFailures: an upstream that throttles, fails, is down, is slow or refuses the request is
// answered with Bedrock's modeled errors, in Converse and before a ConverseStream's events,
// and its reason is logged.
func TestFailures(t *testing.T) {
	status := func(code int, body string) func(http.ResponseWriter, *http.Request, map[string]any) {
		return func(w http.ResponseWriter, _ *http.Request, _ map[string]any) { http.Error(w, body, code) }
	}
	slow := func(_ http.ResponseWriter, r *http.Request, _ map[string]any) { <-r.Context().Done() }
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	for _, tc := range []struct {
		name   string
		answer func(http.ResponseWriter, *http.Request, map[string]any)
		cfg    upstream.Config
		code   string
		msg    string
		reason string
	}{
		{"throttling", status(429, `{"error":{"message":"rate limit reached"}}`), upstream.Config{}, "ThrottlingException", "Too many requests, please wait before trying again.", "rate limit reached"},
		{"5xx", status(500, "boom"), upstream.Config{}, "ServiceUnavailableException", "Bedrock is unable to process your request.", "HTTP 500: boom"},
		{"down", completion, upstream.Config{URL: down.URL}, "ServiceUnavailableException", "Bedrock is unable to process your request.", "connection refused"},
		{"slow", slow, upstream.Config{Timeout: 200 * time.Millisecond}, "ModelTimeoutException", "", "context deadline exceeded"},
		{"4xx", status(404, `{"error":"model \"tiny\" not found, try pulling it first"}`), upstream.Config{}, "ValidationException",
			`The model returned the following errors: model "tiny" not found, try pulling it first`, "not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var log bytes.Buffer
			tc.cfg.Logger = slog.New(slog.NewTextHandler(&log, nil))
			c, _ := start(t, &fake{answer: tc.answer}, tc.cfg)
			_, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: []types.Message{testkit.UserText("Hi")}})
			code, msg := testkit.APIError(t, err)
			if code != tc.code || (tc.msg != "" && msg != tc.msg) {
				t.Errorf("Converse: %s %q, want %s %q", code, msg, tc.code, tc.msg)
			}
			if !strings.Contains(log.String(), tc.reason) {
				t.Errorf("log %q lacks the reason %q", log.String(), tc.reason)
			}
			out, err := c.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: aws.String(model), Messages: []types.Message{testkit.UserText("Hi")}})
			if err == nil {
				s := testkit.ReadStream(t, out)
				err = s.Err
			}
			if code := testkit.ErrorCode(err); code != tc.code {
				t.Errorf("ConverseStream: %v, want %s", err, tc.code)
			}
		})
	}
}

// TestFailuresBoto3: an upstream that throttles or fails, as TestFailures, seen through boto3
// (testdata/boto3_upstream.py failures). It skips where python3 or boto3 is missing.
func TestFailuresBoto3(t *testing.T) {
	if err := exec.Command("python3", "-c", "import boto3").Run(); err != nil {
		t.Skip("boto3 is not installed (python3 -c 'import boto3' failed)")
	}
	answer := func(w http.ResponseWriter, _ *http.Request, req map[string]any) {
		msgs := req["messages"].([]any)
		if msgs[len(msgs)-1].(map[string]any)["content"] == "throttle" {
			http.Error(w, `{"error":{"message":"rate limit reached"}}`, http.StatusTooManyRequests)
			return
		}
		http.Error(w, "boom", http.StatusInternalServerError)
	}
	_, srv := start(t, &fake{answer: answer}, upstream.Config{})
	if out, err := exec.Command("python3", filepath.Join("testdata", "boto3_upstream.py"), srv.URL, "failures").CombinedOutput(); err != nil {
		t.Fatalf("boto3: %v\n%s", err, out)
	}
}

// TestInvokeModel: an InvokeModel native body is answered by the upstream too, as the
// Converse request it amounts to, in the provider's native response.
func TestInvokeModel(t *testing.T) {
	f := &fake{answer: completion}
	c, _ := start(t, f, upstream.Config{})
	out, err := c.InvokeModel(context.Background(), &bedrockruntime.InvokeModelInput{ModelId: aws.String(model),
		ContentType: aws.String("application/json"),
		Body:        []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":100,"system":"Be brief.","messages":[{"role":"user","content":"Hi"}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	var resp struct {
		Content []struct{ Text string }
		Usage   struct {
			InputTokens  int `json:"input_tokens"`
			OutputTokens int `json:"output_tokens"`
		}
	}
	if err := json.Unmarshal(out.Body, &resp); err != nil || len(resp.Content) != 1 || resp.Content[0].Text != "Hello from upstream" || resp.Usage.OutputTokens != 4 {
		t.Errorf("InvokeModel: %s (%v)", out.Body, err)
	}
	if r := f.nth(t, 0); r["max_tokens"] != 100.0 || r["model"] != "tiny" {
		t.Errorf("upstream request %v", r)
	}
}

// TestImage: an image goes to the upstream as a data URL beside the text.
func TestImage(t *testing.T) {
	f := &fake{answer: completion}
	c, _ := start(t, f, upstream.Config{})
	png := []byte("\x89PNG\r\n\x1a\n fake")
	testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: []types.Message{{Role: types.ConversationRoleUser,
		Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "What is this?"},
			&types.ContentBlockMemberImage{Value: types.ImageBlock{Format: types.ImageFormatPng, Source: &types.ImageSourceMemberBytes{Value: png}}}}}}})
	parts, _ := f.nth(t, 0)["messages"].([]any)[0].(map[string]any)["content"].([]any)
	want := "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
	if len(parts) != 2 || parts[1].(map[string]any)["image_url"].(map[string]any)["url"] != want {
		t.Errorf("user content %v", parts)
	}
}

// held is an upstream that streams "Hel", then holds its stream until release is closed (or
// the request ends), then sends "lo", the stop and the usage; or, when broken is set, breaks
// the connection instead.
func held(release <-chan struct{}, broken bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, `data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"}}]}`+"\n\n")
		http.NewResponseController(w).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		if broken {
			panic(http.ErrAbortHandler)
		}
		fmt.Fprint(w, `data: {"choices":[{"index":0,"delta":{"content":"lo"}}]}`+"\n\n"+
			`data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}`+"\n\n"+
			`data: {"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":2}}`+"\n\n"+
			"data: [DONE]\n\n")
	}
}

// TestConverseStreamLive: the upstream's stream is relayed as it comes. The upstream holds
// its stream after the first delta until the client has read that delta, so the test only
// passes if the first delta reaches the client before the upstream's last chunk is sent;
// the rest, the stop reason and the upstream's usage follow at the end.
func TestConverseStreamLive(t *testing.T) {
	release := make(chan struct{})
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	t.Cleanup(free)
	c, _ := start(t, held(release, false), upstream.Config{})
	// Without the relay, the emulator would wait for the held upstream: the deadline turns
	// that into a failure instead of a hang.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := c.ConverseStream(ctx, &bedrockruntime.ConverseStreamInput{ModelId: aws.String(model),
		Messages: []types.Message{testkit.UserText("Hi")}})
	if err != nil {
		t.Fatalf("ConverseStream before the upstream's end: %v", err)
	}
	events := out.GetStream().Events()
	for first := false; !first; {
		ev, ok := <-events
		if !ok {
			t.Fatalf("the stream ended before the first delta: %v", out.GetStream().Err())
		}
		if d, ok := ev.(*types.ConverseStreamOutputMemberContentBlockDelta); ok {
			if txt, ok := d.Value.Delta.(*types.ContentBlockDeltaMemberText); !ok || txt.Value != "Hel" {
				t.Fatalf("first delta %#v, want text Hel", d.Value.Delta)
			}
			first = true
		}
	}
	free()
	s := testkit.ReadStream(t, out)
	if s.Err != nil || s.Text != "lo" || s.StopReason != types.StopReasonEndTurn ||
		aws.ToInt32(s.Usage.InputTokens) != 7 || aws.ToInt32(s.Usage.OutputTokens) != 2 {
		t.Errorf("rest of the stream: err %v, text %q, stop %q, usage %+v", s.Err, s.Text, s.StopReason, s.Usage)
	}
	if want := []string{"contentBlockDelta", "contentBlockStop", "messageStop", "metadata"}; strings.Join(s.Events, " ") != strings.Join(want, " ") {
		t.Errorf("rest of the events %q, want %q", s.Events, want)
	}
}

// TestConverseStreamLiveBreaks: an upstream whose stream breaks off after the first delta
// ends the ConverseStream with an exception frame, after the delta already relayed.
func TestConverseStreamLiveBreaks(t *testing.T) {
	release := make(chan struct{})
	close(release)
	c, _ := start(t, held(release, true), upstream.Config{})
	s := testkit.ConverseStream(t, c, &bedrockruntime.ConverseStreamInput{ModelId: aws.String(model),
		Messages: []types.Message{testkit.UserText("Hi")}})
	if s.Text != "Hel" || testkit.ErrorCode(s.Err) != "ServiceUnavailableException" {
		t.Errorf("text %q, err %v; want Hel, then ServiceUnavailableException", s.Text, s.Err)
	}
}

// TestConverseStreamLiveTimeout: an upstream that stops sending past the timeout, once its
// stream has begun, ends the ConverseStream with a modelStreamErrorException (the event
// union has no modelTimeoutException).
func TestConverseStreamLiveTimeout(t *testing.T) {
	c, _ := start(t, held(make(chan struct{}), false), upstream.Config{Timeout: 200 * time.Millisecond})
	s := testkit.ConverseStream(t, c, &bedrockruntime.ConverseStreamInput{ModelId: aws.String(model),
		Messages: []types.Message{testkit.UserText("Hi")}})
	if s.Text != "Hel" || testkit.ErrorCode(s.Err) != "ModelStreamErrorException" {
		t.Errorf("text %q, err %v; want Hel, then ModelStreamErrorException", s.Text, s.Err)
	}
}

// TestInvokeModelStream: InvokeModelWithResponseStream through the upstream: the native
// stream's chunks carry the upstream's text deltas, stop reason and usage.
func TestInvokeModelStream(t *testing.T) {
	f := &fake{answer: completion}
	c, _ := start(t, f, upstream.Config{})
	got := testkit.InvokeModelStream(t, c, &bedrockruntime.InvokeModelWithResponseStreamInput{ModelId: aws.String(model),
		ContentType: aws.String("application/json"),
		Body:        []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":100,"messages":[{"role":"user","content":"Hi"}]}`)})
	if got.Err != nil {
		t.Fatal(got.Err)
	}
	var text, stop string
	var outTokens int
	for _, b := range got.Chunks {
		var c struct {
			Type  string
			Delta struct {
				Text       string
				StopReason string `json:"stop_reason"`
			}
			Usage struct {
				OutputTokens int `json:"output_tokens"`
			}
		}
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatalf("chunk %s: %v", b, err)
		}
		switch c.Type {
		case "content_block_delta":
			text += c.Delta.Text
		case "message_delta":
			stop, outTokens = c.Delta.StopReason, c.Usage.OutputTokens
		}
	}
	if text != "Hello from upstream" || stop != "end_turn" || outTokens != 4 {
		t.Errorf("text %q stop %q output tokens %d; chunks:\n%s", text, stop, outTokens, bytes.Join(got.Chunks, []byte("\n")))
	}
	if r := f.nth(t, 0); r["stream"] != true || r["model"] != "tiny" {
		t.Errorf("upstream request %v", r)
	}
}

// TestCatalogueUpstreamModel: a --models file's upstreamModel picks the upstream model of
// its model's calls, also through an inference profile ID, where no pattern matches.
func TestCatalogueUpstreamModel(t *testing.T) {
	models := filepath.Join(t.TempDir(), "models.json")
	if err := os.WriteFile(models, []byte(`{"models":[{"id":"amazon.nova-micro-v1:0","upstreamModel":"phi3"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	f := &fake{answer: completion}
	up := httptest.NewServer(f)
	t.Cleanup(up.Close)
	u, err := upstream.New(upstream.Config{URL: up.URL, Models: []upstream.Mapping{{Pattern: "anthropic.claude-*", Model: "tiny"}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := emulator.NewServer(u.Install, emulator.WithModelsFile(models))
	t.Cleanup(srv.Close)
	c := testkit.Client(srv.URL)
	for _, id := range []string{"us.amazon.nova-micro-v1:0", model} {
		testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: aws.String(id), Messages: []types.Message{testkit.UserText("Hi")}})
	}
	if a, b := f.nth(t, 0)["model"], f.nth(t, 1)["model"]; a != "phi3" || b != "tiny" {
		t.Errorf("upstream models %v, %v; want phi3 (catalogue), tiny (pattern)", a, b)
	}
}
