package emulator

import (
	"bytes"
	"encoding/json"
	"sync"
)

// The wire form of replies. Bedrock writes compact JSON whose keys are in lexicographic
// order at every modelled level, with raw UTF-8 (GROUND-TRUTH §2.5, §3.3): every struct below
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
// cache*InputTokenCount duplicates seen in every cached recording (GROUND-TRUTH §2.5 item 5).
type wireUsage struct {
	CacheDetails              []wireCacheDetail `json:"cacheDetails,omitempty"`
	CacheReadInputTokenCount  *int              `json:"cacheReadInputTokenCount,omitempty"`
	CacheReadInputTokens      *int              `json:"cacheReadInputTokens,omitempty"`
	CacheWriteInputTokenCount *int              `json:"cacheWriteInputTokenCount,omitempty"`
	CacheWriteInputTokens     *int              `json:"cacheWriteInputTokens,omitempty"`
	InputTokens               int               `json:"inputTokens"`
	OutputTokens              int               `json:"outputTokens"`
	TotalTokens               int               `json:"totalTokens"`
}

type wireCacheDetail struct {
	InputTokens int    `json:"inputTokens"`
	TTL         string `json:"ttl"`
}

func (u Usage) wire() wireUsage {
	w := wireUsage{InputTokens: u.InputTokens, OutputTokens: u.OutputTokens, TotalTokens: u.Total()}
	if u.Cache {
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
// structure, which Bedrock writes in key order (GROUND-TRUTH §2.5).
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

// converseBody renders r as a Converse response body.
func converseBody(r *Reply, usage Usage) []byte {
	content := make([]wireBlock, len(r.Content))
	for i, b := range r.Content {
		content[i] = b.wire()
	}
	return encodeJSON(wireConverseResponse{
		AdditionalModelResponseFields: r.AdditionalModelResponseFields,
		Metrics:                       wireMetrics{LatencyMs: r.LatencyMs},
		Output:                        wireOutput{Message: wireMessage{Content: content, Role: RoleAssistant}},
		PerformanceConfig:             r.PerformanceConfig,
		ServiceTier:                   r.ServiceTier,
		StopReason:                    r.stopReason(),
		Trace:                         r.Trace,
		Usage:                         usage.wire(),
	})
}

func (r *Reply) stopReason() string {
	if r.StopReason == "" {
		return "end_turn"
	}
	return r.StopReason
}

// errorBody is the body of every error response and exception frame: only the message
// (GROUND-TRUTH §2.3, §3.2).
func errorBody(e *Error) []byte {
	if e.authorizer {
		return encodeJSON(struct {
			Message string `json:"Message"`
		}{e.Message})
	}
	return encodeJSON(struct {
		Message string `json:"message"`
	}{e.Message})
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
