package emulator

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
)

// The hand-written JSON of appendjson.go and of the stream's frequent events must be byte
// for byte what encodeJSON writes for the wire structs; these tests hold them to it.

var jsonStringSeeds = []string{
	"", "plain words", ` leading space`, `quote " and backslash \`, "<b>&amp;</b>",
	"\x00\x01\x07\b\t\n\v\f\r\x1b\x1f\x7f", "Grüße, 日本語, 🙂", "line\u2028para\u2029end",
	"bad \xff\xfe utf-8 \xc3", "\xe2\x80", "\u00a0nbsp", `{"json":"inside"}`,
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range jsonStringSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := encodeJSON(s)
		if got := appendJSONString(nil, s); !bytes.Equal(want, got) {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	})
}

func TestAppendJSONString(t *testing.T) {
	t.Parallel()
	for _, s := range jsonStringSeeds {
		if want, got := encodeJSON(s), appendJSONString([]byte("prefix"), s); !bytes.Equal(append([]byte("prefix"), want...), got) {
			t.Errorf("appendJSONString(%q) = %s, want prefix%s", s, got, want)
		}
	}
}

// FuzzStreamEvents checks every hand-written event against its wire struct.
func FuzzStreamEvents(f *testing.F) {
	for _, s := range jsonStringSeeds {
		f.Add(s, uint8(0), uint8(0))
	}
	f.Add("x", uint8(12), uint8(59))
	f.Fuzz(func(t *testing.T, part string, index, n uint8) {
		i := int(index)
		w := eventWriter{n: int(n)}
		var got [][]byte
		w.yield = func(ev event) bool { got = append(got, slices.Clone(ev.Payload)); return true }
		w.textDelta(i, textDelta, part, 0)
		w.textDelta(i, reasoningDelta, part, 0)
		w.textDelta(i, toolInputDelta, part, 0)
		w.blockStop(i)
		want := [][]byte{
			encodeJSON(evBlockDelta{ContentBlockIndex: i, Delta: wireDelta{Text: &part}, P: padding(int(n))}),
			encodeJSON(evBlockDelta{ContentBlockIndex: i, Delta: wireDelta{ReasoningContent: &wireReasoningDelta{Text: &part}}, P: padding(int(n) + 1)}),
			encodeJSON(evBlockDelta{ContentBlockIndex: i, Delta: wireDelta{ToolUse: &wireToolUseDelta{Input: part}}, P: padding(int(n) + 2)}),
			encodeJSON(evBlockStop{ContentBlockIndex: i, P: padding(int(n) + 3)}),
		}
		for k := range want {
			if !bytes.Equal(want[k], got[k]) {
				t.Errorf("event %d:\n got %s\nwant %s", k, got[k], want[k])
			}
		}
	})
}

// TestStreamEventsStop checks that rendering stops when the consumer does.
func TestStreamEventsStop(t *testing.T) {
	t.Parallel()
	text := "one two three four"
	reply := &Reply{Content: []Block{{Text: &text}, {Text: &text}}}
	var types []string
	for ev := range streamEvents(reply, Usage{}, usageShape{}) {
		types = append(types, ev.Type)
		if len(types) == 3 {
			break
		}
	}
	if want := []string{"messageStart", "contentBlockDelta", "contentBlockDelta"}; !slices.Equal(want, types) {
		t.Errorf("events = %q, want %q", types, want)
	}
	all := 0
	for range streamEvents(reply, Usage{}, usageShape{}) {
		all++
	}
	if all != 1+2*(4+1)+2 {
		t.Errorf("%d events, want %d", all, 1+2*(4+1)+2)
	}
}

// converseWire is the reference rendering of a Converse body: the wire struct encodeJSON
// encodes.
func converseWire(r *Reply, usage Usage, shape usageShape) wireConverseResponse {
	content := make([]wireBlock, len(r.Content))
	for i, b := range r.Content {
		content[i] = b.wire()
	}
	return wireConverseResponse{
		AdditionalModelResponseFields: r.AdditionalModelResponseFields,
		Metrics:                       wireMetrics{LatencyMs: r.LatencyMs},
		Output:                        wireOutput{Message: wireMessage{Content: content, Role: RoleAssistant}},
		PerformanceConfig:             r.PerformanceConfig,
		ServiceTier:                   r.ServiceTier,
		StopReason:                    r.stopReason(),
		Trace:                         r.Trace,
		Usage:                         usage.wire(shape),
	}
}

func TestConverseBody(t *testing.T) {
	t.Parallel()
	text := func(s string) *string { return &s }
	tests := []struct {
		name  string
		reply Reply
		usage Usage
		shape usageShape
	}{
		{name: "empty", reply: Reply{}},
		{name: "text", reply: Reply{Content: []Block{TextBlock("Hi <b>&</b> \"x\"\n\u2028 Grüße")}, LatencyMs: 412}, usage: Usage{InputTokens: 3, OutputTokens: 9}},
		{name: "blocks", reply: Reply{Content: []Block{
			{Reasoning: &Reasoning{Text: "think", Signature: "sig"}},
			{Reasoning: &Reasoning{Redacted: []byte{1, 2, 3}}},
			TextBlock(""),
			{},
			{ToolUse: &ToolUse{ToolUseID: "tooluse_1", Name: "get", Input: json.RawMessage(` { "b" : 1, "a" : [ 2 ] } `)}},
			{ToolUse: &ToolUse{ToolUseID: "tooluse_2", Name: "none"}},
			{Citations: &Citations{Text: "cited", Citations: []json.RawMessage{json.RawMessage(`{"title":"t","location":{"documentChar":{"start":1,"end":2}}}`)}}},
			{Text: text("text beside a tool"), ToolUse: &ToolUse{ToolUseID: "tooluse_3", Name: "both", Input: json.RawMessage(`{}`)}},
		}, StopReason: "tool_use"}},
		{name: "every top-level field", reply: Reply{
			Content:                       []Block{TextBlock("a"), TextBlock("b")},
			AdditionalModelResponseFields: json.RawMessage(` {"stop_sequence" : null, "x":"<&>"} `),
			Trace:                         json.RawMessage(`{"guardrail": {"modelOutput": ["a"]}}`),
			PerformanceConfig:             &PerformanceConfig{Latency: "optimized"},
			ServiceTier:                   &ServiceTier{Type: "priority"},
			StopReason:                    "max_tokens",
			LatencyMs:                     -1,
		}, usage: Usage{InputTokens: 1, OutputTokens: 2, CacheReadTokens: 3, CacheWriteTokens: 4, Cache: true, CacheTTL: "1h"}},
		{name: "cache without write", reply: Reply{Content: []Block{TextBlock("c")}}, usage: Usage{InputTokens: 5, Cache: true}},
		{name: "today's keys", reply: Reply{Content: []Block{TextBlock("d")}}, usage: Usage{InputTokens: 5, OutputTokens: 1}, shape: usageShape{serverTool: true}},
		{name: "Claude 4.5's cache zeros", reply: Reply{Content: []Block{TextBlock("d")}}, usage: Usage{InputTokens: 5, OutputTokens: 1}, shape: usageShape{serverTool: true, cacheZeros: true}},
		{name: "cache zeros and a cache write", reply: Reply{Content: []Block{TextBlock("d")}}, usage: Usage{InputTokens: 5, CacheWriteTokens: 7, Cache: true}, shape: usageShape{serverTool: true, cacheZeros: true}},
		{name: "empty performance config", reply: Reply{PerformanceConfig: &PerformanceConfig{}, AdditionalModelResponseFields: json.RawMessage(`null`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			want := encodeJSON(converseWire(&tt.reply, tt.usage, tt.shape))
			if got := converseBody(&tt.reply, tt.usage, tt.shape); !bytes.Equal(want, got) {
				t.Errorf("converseBody:\n got %s\nwant %s", got, want)
			}
		})
	}
}

func FuzzConverseBody(f *testing.F) {
	for _, s := range jsonStringSeeds {
		f.Add(s, s, int64(200), 1, 2)
	}
	f.Fuzz(func(t *testing.T, a, b string, latency int64, in, out int) {
		r := Reply{Content: []Block{TextBlock(a), TextBlock(b)}, LatencyMs: latency, StopReason: b}
		u := Usage{InputTokens: in, OutputTokens: out}
		for _, shape := range []usageShape{{}, {serverTool: true}} {
			if want, got := encodeJSON(converseWire(&r, u, shape)), converseBody(&r, u, shape); !bytes.Equal(want, got) {
				t.Errorf("converseBody, %+v:\n got %s\nwant %s", shape, got, want)
			}
		}
	})
}

func TestErrorBody(t *testing.T) {
	t.Parallel()
	for _, msg := range jsonStringSeeds {
		want := encodeJSON(struct {
			Message string `json:"message"`
		}{msg})
		if got := errorBody(&Error{Message: msg}); !bytes.Equal(want, got) {
			t.Errorf("errorBody(%q) = %s, want %s", msg, got, want)
		}
		want = encodeJSON(struct {
			Message string `json:"Message"`
		}{msg})
		if got := errorBody(&Error{Message: msg, authorizer: true}); !bytes.Equal(want, got) {
			t.Errorf("authorizer errorBody(%q) = %s, want %s", msg, got, want)
		}
	}
}
