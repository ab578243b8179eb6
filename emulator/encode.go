package emulator

import (
	"bytes"
	"encoding/json"
	"sync"

	"github.com/bedrock-emulator/bedrock-emulator/internal/catalog"
)

// The wire form of replies. Bedrock writes compact JSON whose keys are in lexicographic
// order at every modelled level, with raw UTF-8 (docs/wire-facts.md §2.5, §3.3): every struct below
// declares its fields in that order, and encodeJSON turns HTML escaping off. Document values
// (tool input, additionalModelResponseFields, trace) are json.RawMessage, compacted but
// otherwise kept as given.

type wireConverseResponse struct {
	AdditionalModelResponseFields json.RawMessage    `json:"additionalModelResponseFields,omitempty"`
	Metrics                       wireMetrics        `json:"metrics"`
	Output                        wireOutput         `json:"output"`
	PerformanceConfig             *PerformanceConfig `json:"performanceConfig,omitempty"`
	ServiceTier                   *ServiceTier       `json:"serviceTier,omitempty"`
	StopReason                    string             `json:"stopReason"`
	Trace                         json.RawMessage    `json:"trace,omitempty"`
	Usage                         wireUsage          `json:"usage"`
}

type wireMetrics struct {
	LatencyMs int64 `json:"latencyMs"`
}

type wireOutput struct {
	Message wireMessage `json:"message"`
}

type wireMessage struct {
	Content []wireBlock `json:"content"`
	Role    string      `json:"role"`
}

type wireBlock struct {
	CitationsContent *wireCitations `json:"citationsContent,omitempty"`
	ReasoningContent *wireReasoning `json:"reasoningContent,omitempty"`
	Text             *string        `json:"text,omitempty"`
	ToolUse          *wireToolUse   `json:"toolUse,omitempty"`
}

type wireCitations struct {
	Citations []json.RawMessage `json:"citations"`
	Content   []wireGenerated   `json:"content"`
}

type wireGenerated struct {
	Text string `json:"text"`
}

type wireReasoning struct {
	ReasoningText   *wireReasoningText `json:"reasoningText,omitempty"`
	RedactedContent []byte             `json:"redactedContent,omitempty"`
}

type wireReasoningText struct {
	Signature string `json:"signature,omitempty"`
	Text      string `json:"text"`
}

type wireToolUse struct {
	Input     json.RawMessage `json:"input"`
	Name      string          `json:"name"`
	ToolUseID string          `json:"toolUseId"`
}

// wireUsage carries, when a request used cachePoint blocks, the cache fields Bedrock sends:
// the modelled cacheRead/WriteInputTokens and cacheDetails, and the unmodelled
// cache*InputTokenCount duplicates seen in every cached recording (docs/wire-facts.md §2.5 item 5).
// Beside them, the keys the model's catalogue entry says today's Bedrock adds (usageShape).
type wireUsage struct {
	CacheDetails              []wireCacheDetail `json:"cacheDetails,omitempty"`
	CacheReadInputTokenCount  *int              `json:"cacheReadInputTokenCount,omitempty"`
	CacheReadInputTokens      *int              `json:"cacheReadInputTokens,omitempty"`
	CacheWriteInputTokenCount *int              `json:"cacheWriteInputTokenCount,omitempty"`
	CacheWriteInputTokens     *int              `json:"cacheWriteInputTokens,omitempty"`
	InputTokens               int               `json:"inputTokens"`
	OutputTokens              int               `json:"outputTokens"`
	ServerToolUsage           *struct{}         `json:"serverToolUsage,omitempty"`
	TotalTokens               int               `json:"totalTokens"`
}

type wireCacheDetail struct {
	InputTokens int    `json:"inputTokens"`
	TTL         string `json:"ttl"`
}

// usageShape is which optional usage keys an answer carries: the model's (catalog.UsageKeys),
// the cache zeros in Converse answers only (docs/wire-facts.md §8).
type usageShape struct {
	serverTool, cacheZeros bool
}

// The cache zeros are left out of a stream's usage, and when a guardrail intervened: Claude
// Haiku 4.5's input blocked by a guardrail was recorded without them
// (internal/cassette/testdata/real-traffic/req_llm/guardrail_converse_blocked.json; the model
// never ran), which is assumed for output blocked too.
func usageShapeOf(m *catalog.Model, stream bool, r *Reply) usageShape {
	if m == nil {
		return usageShape{}
	}
	return usageShape{serverTool: m.Usage.ServerToolUsage, cacheZeros: m.Usage.CacheZeros && !stream && r.StopReason != "guardrail_intervened"}
}

func (u Usage) wire(shape usageShape) wireUsage {
	w := wireUsage{InputTokens: u.InputTokens, OutputTokens: u.OutputTokens, TotalTokens: u.Total()}
	if shape.serverTool {
		w.ServerToolUsage = &struct{}{}
	}
	if u.Cache || shape.cacheZeros {
		r, cw := u.CacheReadTokens, u.CacheWriteTokens
		w.CacheReadInputTokenCount, w.CacheReadInputTokens = &r, &r
		w.CacheWriteInputTokenCount, w.CacheWriteInputTokens = &cw, &cw
		if cw > 0 {
			ttl := u.CacheTTL
			if ttl == "" {
				ttl = "5m"
			}
			w.CacheDetails = []wireCacheDetail{{InputTokens: cw, TTL: ttl}}
		}
	}
	return w
}

func (b Block) wire() wireBlock {
	switch {
	case b.ToolUse != nil:
		return wireBlock{ToolUse: &wireToolUse{Input: b.ToolUse.input(), Name: b.ToolUse.Name, ToolUseID: b.ToolUse.ToolUseID}}
	case b.Reasoning != nil && b.Reasoning.Redacted != nil:
		return wireBlock{ReasoningContent: &wireReasoning{RedactedContent: b.Reasoning.Redacted}}
	case b.Reasoning != nil:
		return wireBlock{ReasoningContent: &wireReasoning{ReasoningText: &wireReasoningText{Signature: b.Reasoning.Signature, Text: b.Reasoning.Text}}}
	case b.Citations != nil:
		return wireBlock{CitationsContent: &wireCitations{Citations: b.Citations.sorted(), Content: []wireGenerated{{b.Citations.Text}}}}
	case b.Text != nil:
		return wireBlock{Text: b.Text}
	}
	empty := ""
	return wireBlock{Text: &empty}
}

func (t *ToolUse) input() json.RawMessage {
	if len(bytes.TrimSpace(t.Input)) == 0 {
		return json.RawMessage(`{}`)
	}
	return t.Input
}

// sorted returns the citations with their keys sorted at every level: Citation is a modeled
// structure, which Bedrock writes in key order (docs/wire-facts.md §2.5).
func (c *Citations) sorted() []json.RawMessage {
	out := make([]json.RawMessage, len(c.Citations))
	for i, raw := range c.Citations {
		out[i] = sortedJSON(raw)
	}
	return out
}

// sortedJSON re-encodes a JSON value with object keys sorted, numbers kept as written.
func sortedJSON(raw json.RawMessage) json.RawMessage {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return raw // Reply.check refuses invalid JSON before rendering
	}
	return encodeJSON(v)
}

// converseBody renders r as a Converse response body: what encodeJSON writes for
// wireConverseResponse, with text blocks and usage without cache fields (nearly every reply)
// written by hand.
func converseBody(r *Reply, usage Usage, shape usageShape) []byte {
	size := 200
	for _, blk := range r.Content {
		if blk.Text != nil {
			size += len(*blk.Text) + 16
		}
	}
	b := append(make([]byte, 0, size), '{')
	if len(r.AdditionalModelResponseFields) > 0 {
		b = append(b, `"additionalModelResponseFields":`...)
		b = append(append(b, encodeJSON(r.AdditionalModelResponseFields)...), ',')
	}
	b = appendJSONInt(append(b, `"metrics":{`...), "latencyMs", r.LatencyMs)
	b = append(b, `},"output":{"message":{"content":[`...)
	for i, blk := range r.Content {
		if i > 0 {
			b = append(b, ',')
		}
		if blk.Text != nil && blk.ToolUse == nil && blk.Reasoning == nil && blk.Citations == nil {
			b = append(appendJSONString(append(b, `{"text":`...), *blk.Text), '}')
		} else {
			b = append(b, encodeJSON(blk.wire())...)
		}
	}
	b = append(b, `],"role":"assistant"}}`...)
	if r.PerformanceConfig != nil {
		b = append(append(b, `,"performanceConfig":`...), encodeJSON(r.PerformanceConfig)...)
	}
	if r.ServiceTier != nil {
		b = append(append(b, `,"serviceTier":`...), encodeJSON(r.ServiceTier)...)
	}
	b = appendJSONString(append(b, `,"stopReason":`...), r.stopReason())
	if len(r.Trace) > 0 {
		b = append(append(b, `,"trace":`...), encodeJSON(r.Trace)...)
	}
	b = append(b, `,"usage":`...)
	if usage.Cache || shape.cacheZeros {
		b = append(b, encodeJSON(usage.wire(shape))...)
	} else {
		b = appendJSONInt(append(b, '{'), "inputTokens", int64(usage.InputTokens))
		b = appendJSONInt(append(b, ','), "outputTokens", int64(usage.OutputTokens))
		if shape.serverTool {
			b = append(b, `,"serverToolUsage":{}`...)
		}
		b = append(appendJSONInt(append(b, ','), "totalTokens", int64(usage.Total())), '}')
	}
	return append(b, '}')
}

func (r *Reply) stopReason() string {
	if r.StopReason == "" {
		return "end_turn"
	}
	return r.StopReason
}

// errorBody is the body of every error response and exception frame: only the message
// (docs/wire-facts.md §2.3, §3.2).
// The key is "Message" in the authorizer's answers.
func errorBody(e *Error) []byte {
	key := `{"message":`
	if e.authorizer {
		key = `{"Message":`
	}
	b := append(make([]byte, 0, len(key)+len(e.Message)+8), key...)
	return append(appendJSONString(b, e.Message), '}')
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// encodeJSON encodes v compactly with raw UTF-8 (no HTML escaping). The wire types above
// always encode; a failure is a bug and panics.
func encodeJSON(v any) []byte {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("emulator: encoding a reply: " + err.Error())
	}
	out := buf.Bytes()
	return bytes.Clone(out[:len(out)-1]) // drop Encode's newline
}

// compactJSON returns b without insignificant white space (b itself if it is not valid JSON).
func compactJSON(b []byte) []byte {
	var buf bytes.Buffer
	if json.Compact(&buf, b) != nil {
		return b
	}
	return buf.Bytes()
}
