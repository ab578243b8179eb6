package upstream

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/catalog"
	"github.com/google/go-cmp/cmp"
)

func str(s string) *string { return &s }

// TestToChat checks the request translation, table by table: the chat completions request
// each Converse request becomes, as JSON.
func TestToChat(t *testing.T) {
	maxTokens, temp, topP := 50, 0.5, 0.9
	for _, tc := range []struct {
		name   string
		req    emulator.ConverseRequest
		stream bool
		want   string
	}{{
		name: "system and text",
		req: emulator.ConverseRequest{System: []emulator.SystemContentBlock{{Text: str("Be brief.")}, {CachePoint: &emulator.CachePointBlock{Type: "default"}}},
			Messages: []emulator.Message{{Role: "user", Content: []emulator.ContentBlock{{Text: str("Hi")}, {Text: str("there")}}}}},
		want: `{"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi\nthere"}]}`,
	}, {
		name: "multi-turn, inference config, stream",
		req: emulator.ConverseRequest{Messages: []emulator.Message{
			{Role: "user", Content: []emulator.ContentBlock{{Text: str("a")}}},
			{Role: "assistant", Content: []emulator.ContentBlock{{Text: str("b")}}},
			{Role: "user", Content: []emulator.ContentBlock{{Text: str("c")}}}},
			InferenceConfig: &emulator.InferenceConfig{MaxTokens: &maxTokens, Temperature: &temp, TopP: &topP, StopSequences: []string{"END"}}},
		stream: true,
		want: `{"model":"m","messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"user","content":"c"}],` +
			`"max_tokens":50,"temperature":0.5,"top_p":0.9,"stop":["END"],"stream":true,"stream_options":{"include_usage":true}}`,
	}, {
		name: "tools, a forced tool, a tool round trip",
		req: emulator.ConverseRequest{Messages: []emulator.Message{
			{Role: "user", Content: []emulator.ContentBlock{{Text: str("weather?")}}},
			{Role: "assistant", Content: []emulator.ContentBlock{{ToolUse: &emulator.ToolUseBlock{ToolUseID: "call_1", Name: "weather", Input: json.RawMessage(`{"city":"Paris"}`)}}}},
			{Role: "user", Content: []emulator.ContentBlock{{ToolResult: &emulator.ToolResultBlock{ToolUseID: "call_1",
				Content: []emulator.ToolResultContentBlock{{JSON: json.RawMessage(`{"c":21}`)}, {Text: str("sunny")}}}}, {Text: str("and so?")}}}},
			ToolConfig: &emulator.ToolConfig{Tools: []emulator.Tool{{ToolSpec: &emulator.ToolSpec{Name: "weather", Description: "the weather",
				InputSchema: emulator.ToolInputSchema{JSON: json.RawMessage(`{"type":"object"}`)}}}},
				ToolChoice: &emulator.ToolChoice{Tool: &emulator.SpecificToolRef{Name: "weather"}}}},
		want: `{"model":"m","messages":[{"role":"user","content":"weather?"},` +
			`{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Paris\"}"}}]},` +
			`{"role":"tool","content":"{\"c\":21}\nsunny","tool_call_id":"call_1"},{"role":"user","content":"and so?"}],` +
			`"tools":[{"type":"function","function":{"name":"weather","description":"the weather","parameters":{"type":"object"}}}],` +
			`"tool_choice":{"function":{"name":"weather"},"type":"function"}}`,
	}, {
		name: "toolChoice any",
		req: emulator.ConverseRequest{Messages: []emulator.Message{{Role: "user", Content: []emulator.ContentBlock{{Text: str("x")}}}},
			ToolConfig: &emulator.ToolConfig{Tools: []emulator.Tool{{ToolSpec: &emulator.ToolSpec{Name: "t", InputSchema: emulator.ToolInputSchema{JSON: json.RawMessage(`{}`)}}}},
				ToolChoice: &emulator.ToolChoice{Any: &struct{}{}}}},
		want: `{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"t","parameters":{}}}],"tool_choice":"required"}`,
	}, {
		name: "an image as a data URL",
		req: emulator.ConverseRequest{Messages: []emulator.Message{{Role: "user", Content: []emulator.ContentBlock{
			{Text: str("what is it?")}, {Image: &emulator.MediaBlock{Format: "jpg", Source: emulator.MediaSource{Bytes: []byte("img")}}}}}}},
		want: `{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"what is it?"},{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,aW1n"}}]}]}`,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := toChat(&tc.req, "m", tc.stream)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(got)
			var g, w any
			if err := json.Unmarshal(b, &g); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(tc.want), &w); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(w, g); d != "" {
				t.Errorf("chat request (-want +got):\n%s\ngot %s", d, b)
			}
		})
	}
}

// TestToChatRefuses checks that what does not translate is refused with a
// ValidationException that names the block and says why.
func TestToChatRefuses(t *testing.T) {
	user := func(b emulator.ContentBlock) emulator.ConverseRequest {
		return emulator.ConverseRequest{Messages: []emulator.Message{{Role: "user", Content: []emulator.ContentBlock{{Text: str("x")}, b}}}}
	}
	for _, tc := range []struct {
		req  emulator.ConverseRequest
		want string
	}{
		{user(emulator.ContentBlock{Document: &emulator.DocumentBlock{Name: "d", Format: "pdf", Source: emulator.DocumentSource{Bytes: []byte("%PDF")}}}), "messages.0.content.1.document: the upstream model (--upstream, OpenAI chat completions) cannot take documents"},
		{user(emulator.ContentBlock{Video: &emulator.MediaBlock{Format: "mp4", Source: emulator.MediaSource{Bytes: []byte("v")}}}), "messages.0.content.1.video: the upstream model (--upstream, OpenAI chat completions) cannot take video"},
		{user(emulator.ContentBlock{Image: &emulator.MediaBlock{Format: "png", Source: emulator.MediaSource{S3Location: &emulator.S3Location{URI: "s3://b/k"}}}}), "cannot take images in Amazon S3"},
		{emulator.ConverseRequest{Messages: []emulator.Message{{Role: "user", Content: []emulator.ContentBlock{{Text: str("x")}}}},
			ToolConfig: &emulator.ToolConfig{Tools: []emulator.Tool{{SystemTool: &emulator.SystemTool{Name: "nova_grounding"}}}}}, "toolConfig.tools.0: the upstream model (--upstream, OpenAI chat completions) cannot take system tools"},
	} {
		_, err := toChat(&tc.req, "m", false)
		var e *emulator.Error
		if !errors.As(err, &e) || e.Type != "ValidationException" || e.Status != 400 || !strings.Contains(e.Message, tc.want) {
			t.Errorf("error %v, want a ValidationException containing %q", err, tc.want)
		}
	}
}

// TestFromChat checks the response translation: content, tool calls, stop reasons, usage.
func TestFromChat(t *testing.T) {
	call := &emulator.Call{RequestID: "req-1"}
	for _, tc := range []struct {
		name, resp string
		want       emulator.Reply
	}{{
		name: "text",
		resp: `{"choices":[{"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":7,"completion_tokens":2,"total_tokens":9}}`,
		want: emulator.Reply{Verbatim: true, Content: []emulator.Block{emulator.TextBlock("Hello")}, StopReason: "end_turn", Usage: &emulator.Usage{InputTokens: 7, OutputTokens: 2}},
	}, {
		name: "length, no usage",
		resp: `{"choices":[{"message":{"content":"Hel"},"finish_reason":"length"}]}`,
		want: emulator.Reply{Verbatim: true, Content: []emulator.Block{emulator.TextBlock("Hel")}, StopReason: "max_tokens"},
	}, {
		name: "tool calls, an ID Bedrock cannot carry, empty arguments",
		resp: `{"choices":[{"message":{"content":null,"tool_calls":[{"id":"call_9","type":"function","function":{"name":"a","arguments":"{\"x\":1}"}},` +
			`{"id":"call 10!","type":"function","function":{"name":"b","arguments":""}}]},"finish_reason":"tool_calls"}]}`,
		want: emulator.Reply{Verbatim: true, Content: []emulator.Block{
			{ToolUse: &emulator.ToolUse{ToolUseID: "call_9", Name: "a", Input: json.RawMessage(`{"x":1}`)}},
			{ToolUse: &emulator.ToolUse{ToolUseID: "tooluse_req-1_1", Name: "b", Input: json.RawMessage(`{}`)}}}, StopReason: "tool_use"},
	}, {
		name: "content filter",
		resp: `{"choices":[{"message":{"content":""},"finish_reason":"content_filter"}]}`,
		want: emulator.Reply{Verbatim: true, Content: []emulator.Block{emulator.TextBlock("")}, StopReason: "content_filtered"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			var resp chatResponse
			if err := json.Unmarshal([]byte(tc.resp), &resp); err != nil {
				t.Fatal(err)
			}
			got, err := fromChat(&resp, call)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(&tc.want, got); d != "" {
				t.Errorf("reply (-want +got):\n%s", d)
			}
		})
	}
	var resp chatResponse
	json.Unmarshal([]byte(`{"choices":[{"message":{"tool_calls":[{"id":"c","function":{"name":"a","arguments":"[1]"}}]}}]}`), &resp)
	if _, err := fromChat(&resp, call); err == nil {
		t.Error("tool arguments that are not a JSON object: no error")
	}
}

// TestReadStream checks that a streamed completion becomes one Reply, its text deltas
// passed on as they come, with tool calls assembled from their fragments and the usage of the
// last event.
func TestReadStream(t *testing.T) {
	sse := strings.Join([]string{
		`data: {"choices":[{"delta":{"role":"assistant","content":"Hel"}}]}`,
		`data: {"choices":[{"delta":{"content":"lo"}}]}`,
		`data: {"choices":[{"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"weather","arguments":""}}]}}]}`,
		`data: {"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}}]}`,
		`data: {"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]}}]}`,
		`data: {"choices":[{"delta":{},"finish_reason":"tool_calls"}]}`,
		`data: {"choices":[],"usage":{"prompt_tokens":11,"completion_tokens":5}}`,
		`data: [DONE]`, ``}, "\n\n")
	var deltas []string
	got, err := readStream(strings.NewReader(sse), &emulator.Call{}, func(d string) bool { deltas = append(deltas, d); return true })
	if err != nil {
		t.Fatal(err)
	}
	want := &emulator.Reply{Verbatim: true, Content: []emulator.Block{emulator.TextBlock("Hello"),
		{ToolUse: &emulator.ToolUse{ToolUseID: "call_1", Name: "weather", Input: json.RawMessage(`{"city":"Paris"}`)}}},
		StopReason: "tool_use", Usage: &emulator.Usage{InputTokens: 11, OutputTokens: 5}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("reply (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"Hel", "lo"}, deltas); d != "" {
		t.Errorf("text deltas (-want +got):\n%s", d)
	}
}

// TestModelMapping checks that patterns match the catalogue ID or the request's, the first
// winning, then the catalogue's upstreamModel, then the default, then the Bedrock ID itself.
func TestModelMapping(t *testing.T) {
	m1, _ := ParseMapping("anthropic.claude-*=llama3.2")
	m2, _ := ParseMapping("qwen")
	u, err := New(Config{URL: "http://x", Models: []Mapping{m1, m2}})
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Model(&emulator.Call{ModelID: "us.anthropic.claude-3-haiku-20240307-v1:0"}); got != "qwen" {
		t.Errorf("profile ID without a catalogue entry: %q, want qwen (the default)", got)
	}
	nova := &catalog.Model{ID: "amazon.nova-micro-v1:0", UpstreamModel: "phi3"}
	if got := u.Model(&emulator.Call{ModelID: "us.amazon.nova-micro-v1:0", Model: nova}); got != "phi3" {
		t.Errorf("catalogue upstreamModel: %q, want phi3 (before the default)", got)
	}
	claude := &catalog.Model{ID: "anthropic.claude-3-haiku-20240307-v1:0", UpstreamModel: "phi3"}
	if got := u.Model(&emulator.Call{ModelID: claude.ID, Model: claude}); got != "llama3.2" {
		t.Errorf("catalogue upstreamModel and a matching pattern: %q, want llama3.2 (the pattern)", got)
	}
	u.cfg.Models = []Mapping{m1}
	if got := u.Model(&emulator.Call{ModelID: "amazon.nova-micro-v1:0"}); got != "amazon.nova-micro-v1:0" {
		t.Errorf("unmapped: %q, want the Bedrock ID", got)
	}
	if _, err := ParseMapping("[=x"); err == nil {
		t.Error("bad pattern: no error")
	}
	if _, err := New(Config{URL: "127.0.0.1:11434"}); err == nil {
		t.Error("URL without a scheme: no error")
	}
}
