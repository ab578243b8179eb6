package emulator

import (
	"encoding/base64"
	"encoding/json"
	"regexp"
	"strings"

	"github.com/bedrock-emulator/bedrock-emulator/internal/catalog"
)

// anthropicFormat is Anthropic's Messages API as Bedrock takes it. Shapes from real traffic:
// responses in openllmetry's test_anthropic_3_completion_string_content.yaml and
// opentelemetry-python-contrib's test_invoke_model_with_content_tool_call[anthropic.claude]
// (key order id, type, role, model, content, stop_reason, stop_sequence, usage), cache usage
// in openllmetry's test_invoke_model_cache_tokens.yaml, and stream events in
// test_invoke_model_with_response_stream_with_content_tool_call[anthropic.claude].yaml.
type anthropicFormat struct{ model *catalog.Model }

var anthropicSchema = &nativeSchema{
	required: []string{"max_tokens", "anthropic_version"},
	props: map[string]string{
		"anthropic_version": "String", "anthropic_beta": "JSONArray", "max_tokens": "Integer",
		"messages": "JSONArray", "system": "", "temperature": "Number", "top_p": "Number", "top_k": "Integer",
		"stop_sequences": "JSONArray", "tools": "JSONArray", "tool_choice": "JSONObject", "thinking": "JSONObject",
		"output_config": "JSONObject", "context_management": "JSONObject",
	},
	prefix:     `#: subject must not be valid against schema {"required":["messages"]}`,
	prefixWhen: "messages",
}

func (anthropicFormat) schema() *nativeSchema { return anthropicSchema }

type anthropicRequest struct {
	MaxTokens     *int               `json:"max_tokens"`
	Messages      []anthropicMessage `json:"messages"`
	System        json.RawMessage    `json:"system"`
	Temperature   *float64           `json:"temperature"`
	TopP          *float64           `json:"top_p"`
	StopSequences []string           `json:"stop_sequences"`
	Tools         []struct {
		Name        string          `json:"name"`
		Description string          `json:"description"`
		InputSchema json.RawMessage `json:"input_schema"`
	} `json:"tools"`
	ToolChoice *struct {
		Type string `json:"type"`
		Name string `json:"name"`
	} `json:"tool_choice"`
}

type anthropicMessage struct {
	Role    string          `json:"role"`
	Content json.RawMessage `json:"content"`
}

type anthropicBlockIn struct {
	Type         string          `json:"type"`
	Text         string          `json:"text"`
	CacheControl json.RawMessage `json:"cache_control"`
	Source       *struct {
		Type      string `json:"type"`
		MediaType string `json:"media_type"`
		Data      string `json:"data"`
	} `json:"source"`
	ID        string          `json:"id"`
	Name      string          `json:"name"`
	Input     json.RawMessage `json:"input"`
	ToolUseID string          `json:"tool_use_id"`
	Content   json.RawMessage `json:"content"`
	IsError   bool            `json:"is_error"`
	Thinking  string          `json:"thinking"`
	Signature string          `json:"signature"`
	Data      string          `json:"data"`
}

func (f anthropicFormat) request(obj map[string]any) (*ConverseRequest, *Error) {
	if obj["messages"] == nil {
		// unverified: a body without messages is the text completion API, which the
		// Claude models the catalogue has do not take.
		return nil, malformed(false, "#: required key [messages] not found")
	}
	var in anthropicRequest
	if e := into(obj, &in, false); e != nil {
		return nil, e
	}
	req := &ConverseRequest{}
	for _, m := range in.Messages {
		content, e := anthropicContent(m.Content)
		if e != nil {
			return nil, e
		}
		req.Messages = append(req.Messages, Message{Role: m.Role, Content: content})
	}
	if len(in.System) > 0 {
		var s string
		if json.Unmarshal(in.System, &s) == nil {
			req.System = []SystemContentBlock{{Text: &s}}
		} else {
			blocks, e := anthropicContent(in.System)
			if e != nil {
				return nil, e
			}
			for _, b := range blocks {
				req.System = append(req.System, SystemContentBlock{Text: b.Text, CachePoint: b.CachePoint})
			}
		}
	}
	req.InferenceConfig = &InferenceConfig{MaxTokens: in.MaxTokens, Temperature: in.Temperature, TopP: in.TopP, StopSequences: in.StopSequences}
	if len(in.Tools) > 0 {
		tc := &ToolConfig{}
		for _, t := range in.Tools {
			tc.Tools = append(tc.Tools, Tool{ToolSpec: &ToolSpec{Name: t.Name, Description: t.Description,
				InputSchema: ToolInputSchema{JSON: t.InputSchema}}})
		}
		if c := in.ToolChoice; c != nil {
			switch c.Type {
			case "any":
				tc.ToolChoice = &ToolChoice{Any: &struct{}{}}
			case "tool":
				tc.ToolChoice = &ToolChoice{Tool: &SpecificToolRef{Name: c.Name}}
			case "auto":
				tc.ToolChoice = &ToolChoice{Auto: &struct{}{}}
			}
		}
		req.ToolConfig = tc
	}
	return req, nil
}

// anthropicContent converts message content, a string or a list of blocks.
func anthropicContent(raw json.RawMessage) ([]ContentBlock, *Error) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return []ContentBlock{{Text: &s}}, nil
	}
	var blocks []anthropicBlockIn
	if err := json.Unmarshal(raw, &blocks); err != nil {
		return nil, malformed(false, anthropicSchema.prefix+"#/messages: "+err.Error())
	}
	var out []ContentBlock
	for _, b := range blocks {
		switch b.Type {
		case "text":
			out = append(out, ContentBlock{Text: ptr(b.Text)})
		case "image", "document":
			data, _ := base64.StdEncoding.DecodeString(sourceData(b))
			format := "png"
			if b.Source != nil {
				format = strings.TrimPrefix(b.Source.MediaType[strings.IndexByte(b.Source.MediaType, '/')+1:], "x-")
			}
			if b.Type == "image" {
				out = append(out, ContentBlock{Image: &MediaBlock{Format: format, Source: MediaSource{Bytes: data}}})
			} else {
				out = append(out, ContentBlock{Document: &DocumentBlock{Format: format, Name: "document", Source: DocumentSource{Bytes: data}}})
			}
		case "tool_use":
			out = append(out, ContentBlock{ToolUse: &ToolUseBlock{ToolUseID: b.ID, Name: b.Name, Input: b.Input}})
		case "tool_result":
			r := &ToolResultBlock{ToolUseID: b.ToolUseID}
			if b.IsError {
				r.Status = "error"
			}
			if len(b.Content) > 0 {
				inner, e := anthropicContent(b.Content)
				if e != nil {
					return nil, e
				}
				for _, c := range inner {
					r.Content = append(r.Content, ToolResultContentBlock{Text: c.Text, Image: c.Image, Document: c.Document})
				}
			}
			out = append(out, ContentBlock{ToolResult: r})
		case "thinking":
			out = append(out, ContentBlock{ReasoningContent: &ReasoningContentBlock{ReasoningText: &ReasoningText{Text: b.Thinking, Signature: b.Signature}}})
		case "redacted_thinking":
			data, _ := base64.StdEncoding.DecodeString(b.Data)
			out = append(out, ContentBlock{ReasoningContent: &ReasoningContentBlock{RedactedContent: data}})
		}
		if len(b.CacheControl) > 0 {
			out = append(out, ContentBlock{CachePoint: &CachePointBlock{Type: "default"}})
		}
	}
	return out, nil
}

func sourceData(b anthropicBlockIn) string {
	if b.Source == nil {
		return ""
	}
	return b.Source.Data
}

// anthropicModelName is the "model" Claude reports: its ID without the provider and the
// Bedrock version ("anthropic.claude-3-sonnet-20240229-v1:0" → "claude-3-sonnet-20240229").
func (f anthropicFormat) modelName() string {
	return anthropicVersionSuffix.ReplaceAllString(strings.TrimPrefix(f.model.ID, "anthropic."), "")
}

var anthropicVersionSuffix = regexp.MustCompile(`-v\d+(:\d+)?$`)

// anthropicStopReason maps a stop reason; a guardrail's intervention leaves it null (a live-test
// report without a citable source, docs/wire-facts.md §7.6: "body.stop_reason: null").
func anthropicStopReason(r *Reply) *string {
	if r.stopReason() == stopGuardrail {
		return nil
	}
	s := r.stopReason()
	return &s
}

// anthropicToolID is a tool use ID in Claude's form ("toolu_bdrk_01…"); IDs the emulator
// generated in Converse's form are rewritten, others kept.
func anthropicToolID(c *Call, id string) string {
	if strings.HasPrefix(id, "tooluse_") {
		return "toolu_bdrk_01" + nativeID(c, id, 22, alnum)
	}
	return id
}

type anthropicText struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type anthropicToolUse struct {
	Type  string          `json:"type"`
	ID    string          `json:"id"`
	Name  string          `json:"name"`
	Input json.RawMessage `json:"input"`
}

type anthropicThinking struct {
	Type      string `json:"type"`
	Thinking  string `json:"thinking"`
	Signature string `json:"signature"`
}

type anthropicRedacted struct {
	Type string `json:"type"`
	Data string `json:"data"`
}

type anthropicUsage struct {
	InputTokens              int  `json:"input_tokens"`
	CacheCreationInputTokens *int `json:"cache_creation_input_tokens,omitempty"`
	CacheReadInputTokens     *int `json:"cache_read_input_tokens,omitempty"`
	OutputTokens             int  `json:"output_tokens"`
}

// anthropicMessageDelta is the stream event that ends a message: its stop reason and usage.
type anthropicMessageDelta struct {
	Type  string `json:"type"`
	Delta struct {
		StopReason   *string `json:"stop_reason"`
		StopSequence *string `json:"stop_sequence"`
	} `json:"delta"`
	Usage struct {
		OutputTokens int `json:"output_tokens"`
	} `json:"usage"`
}

type anthropicMessageOut struct {
	ID           string         `json:"id"`
	Type         string         `json:"type"`
	Role         string         `json:"role"`
	Model        string         `json:"model"`
	Content      []any          `json:"content"`
	StopReason   *string        `json:"stop_reason"`
	StopSequence *string        `json:"stop_sequence"`
	Usage        anthropicUsage `json:"usage"`
}

func (f anthropicFormat) blocks(n *nativeReply) []any {
	out := []any{}
	for _, b := range n.reply.Content {
		switch {
		case b.Text != nil:
			out = append(out, anthropicText{Type: "text", Text: *b.Text})
		case b.Citations != nil:
			out = append(out, anthropicText{Type: "text", Text: b.Citations.Text})
		case b.ToolUse != nil:
			out = append(out, anthropicToolUse{Type: "tool_use", ID: anthropicToolID(n.call, b.ToolUse.ToolUseID),
				Name: b.ToolUse.Name, Input: compactJSON(b.ToolUse.input())})
		case b.Reasoning != nil && b.Reasoning.Redacted != nil:
			out = append(out, anthropicRedacted{Type: "redacted_thinking", Data: base64.StdEncoding.EncodeToString(b.Reasoning.Redacted)})
		case b.Reasoning != nil:
			out = append(out, anthropicThinking{Type: "thinking", Thinking: b.Reasoning.Text, Signature: b.Reasoning.Signature})
		}
	}
	return out
}

func (f anthropicFormat) usage(n *nativeReply, output int) anthropicUsage {
	u := anthropicUsage{InputTokens: n.usage.InputTokens, OutputTokens: output}
	if n.usage.Cache {
		u.CacheCreationInputTokens, u.CacheReadInputTokens = ptr(n.usage.CacheWriteTokens), ptr(n.usage.CacheReadTokens)
	}
	return u
}

func (f anthropicFormat) message(n *nativeReply) anthropicMessageOut {
	var stopSeq *string
	if n.stop != "" {
		stopSeq = &n.stop
	}
	return anthropicMessageOut{
		ID: "msg_bdrk_01" + nativeID(n.call, "msg", 22, alnum), Type: "message", Role: RoleAssistant,
		Model: f.modelName(), Content: f.blocks(n), StopReason: anthropicStopReason(n.reply),
		StopSequence: stopSeq, Usage: f.usage(n, n.usage.OutputTokens),
	}
}

func (f anthropicFormat) response(n *nativeReply) []byte { return encodeJSON(f.message(n)) }

// chunks are Claude's stream events: message_start (the message without content, one
// output token), per block content_block_start, deltas and content_block_stop,
// message_delta with the stop reason and output tokens, message_stop with the metrics.
func (f anthropicFormat) chunks(n *nativeReply) []nativeChunk {
	var out []nativeChunk
	add := func(v any) { out = append(out, nativeChunk{json: encodeJSON(v)}) }
	addDelta := func(text string, v any) { out = append(out, delta(encodeJSON(v), text)) }
	type blockEvent struct {
		Type         string `json:"type"`
		Index        int    `json:"index"`
		ContentBlock any    `json:"content_block,omitempty"`
		Delta        any    `json:"delta,omitempty"`
	}
	type textDelta struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	type jsonDelta struct {
		Type        string `json:"type"`
		PartialJSON string `json:"partial_json"`
	}
	type thinkingDelta struct {
		Type     string `json:"type"`
		Thinking string `json:"thinking"`
	}
	type signatureDelta struct {
		Type      string `json:"type"`
		Signature string `json:"signature"`
	}

	start := f.message(n)
	start.Content, start.StopReason, start.StopSequence = []any{}, nil, nil
	start.Usage = f.usage(n, 1)
	add(struct {
		Type    string              `json:"type"`
		Message anthropicMessageOut `json:"message"`
	}{"message_start", start})
	for i, b := range f.blocks(n) {
		switch b := b.(type) {
		case anthropicText:
			add(blockEvent{Type: "content_block_start", Index: i, ContentBlock: anthropicText{Type: "text"}})
			for _, part := range n.parts(i, b.Text, 1) {
				addDelta(part, blockEvent{Type: "content_block_delta", Index: i, Delta: textDelta{"text_delta", part}})
			}
		case anthropicToolUse:
			add(blockEvent{Type: "content_block_start", Index: i,
				ContentBlock: anthropicToolUse{Type: b.Type, ID: b.ID, Name: b.Name, Input: json.RawMessage("{}")}})
			// Claude sends an empty partial first, then the input in pieces.
			for _, part := range append([]string{""}, splitBytes(string(b.Input), 24)...) {
				addDelta(part, blockEvent{Type: "content_block_delta", Index: i, Delta: jsonDelta{"input_json_delta", part}})
			}
		case anthropicThinking:
			add(blockEvent{Type: "content_block_start", Index: i, ContentBlock: anthropicThinking{Type: "thinking"}})
			for _, part := range n.parts(i, b.Thinking, 1) {
				addDelta(part, blockEvent{Type: "content_block_delta", Index: i, Delta: thinkingDelta{"thinking_delta", part}})
			}
			if b.Signature != "" {
				addDelta("", blockEvent{Type: "content_block_delta", Index: i, Delta: signatureDelta{"signature_delta", b.Signature}})
			}
		case anthropicRedacted:
			add(blockEvent{Type: "content_block_start", Index: i, ContentBlock: b})
		}
		add(blockEvent{Type: "content_block_stop", Index: i})
	}
	msg := f.message(n)
	var md anthropicMessageDelta
	md.Type, md.Delta.StopReason, md.Delta.StopSequence, md.Usage.OutputTokens = "message_delta", msg.StopReason, msg.StopSequence, n.usage.OutputTokens
	add(md)
	add(struct {
		Type    string                      `json:"type"`
		Metrics wireInvocationMetricsNative `json:"amazon-bedrock-invocationMetrics"`
	}{"message_stop", n.metrics()})
	return out
}
