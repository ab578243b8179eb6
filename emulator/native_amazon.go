package emulator

import (
	"encoding/json"
)

// novaFormat is Amazon Nova's messages-v1 body, Converse's shapes under other names.
// Shapes from real traffic: responses in openllmetry's test_nova_cross_region_invoke.yaml and
// opentelemetry-python-contrib's test_invoke_model_with_content_tool_call[amazon.nova].yaml
// (key order output, stopReason, usage; toolUse name, toolUseId, input; usage with
// cacheRead/WriteInputTokenCount), and streams in
// test_invoke_model_with_response_stream_with_content_tool_call[amazon.nova].yaml, where
// every text delta has a block index of its own and its own contentBlockStop.
type novaFormat struct{ v2 bool }

var (
	novaSchema = &nativeSchema{required: []string{"messages"}, props: map[string]string{
		"schemaVersion": "String", "system": "JSONArray", "messages": "JSONArray",
		"inferenceConfig": "JSONObject", "toolConfig": "JSONObject",
	}}
	nova2Schema = &nativeSchema{required: novaSchema.required, props: novaSchema.props, terse: true}
)

func (f novaFormat) schema() *nativeSchema {
	if f.v2 {
		return nova2Schema
	}
	return novaSchema
}

func (f novaFormat) request(obj map[string]any) (*ConverseRequest, *Error) {
	var in struct {
		System          []SystemContentBlock `json:"system"`
		Messages        []Message            `json:"messages"`
		ToolConfig      *ToolConfig          `json:"toolConfig"`
		InferenceConfig *struct {
			MaxTokens     *int     `json:"maxTokens"`
			MaxNewTokens  *int     `json:"max_new_tokens"`
			Temperature   *float64 `json:"temperature"`
			TopP          *float64 `json:"topP"`
			StopSequences []string `json:"stopSequences"`
		} `json:"inferenceConfig"`
	}
	if e := into(obj, &in, f.v2); e != nil {
		return nil, e
	}
	req := &ConverseRequest{System: in.System, Messages: in.Messages, ToolConfig: in.ToolConfig}
	if ic := in.InferenceConfig; ic != nil {
		max := ic.MaxTokens
		if max == nil {
			max = ic.MaxNewTokens
		}
		req.InferenceConfig = &InferenceConfig{MaxTokens: max, Temperature: ic.Temperature, TopP: ic.TopP, StopSequences: ic.StopSequences}
	}
	return req, nil
}

// novaToolID is a tool use ID in Nova's form, a UUID; IDs the emulator generated in
// Converse's form are rewritten, others kept.
func novaToolID(c *Call, id string) string {
	if len(id) > 8 && id[:8] == "tooluse_" {
		return nativeUUID(c, id)
	}
	return id
}

type novaText struct {
	Text string `json:"text"`
}

type novaToolUse struct {
	ToolUse struct {
		Name      string          `json:"name"`
		ToolUseID string          `json:"toolUseId"`
		Input     json.RawMessage `json:"input"`
	} `json:"toolUse"`
}

type novaReasoning struct {
	ReasoningContent struct {
		ReasoningText struct {
			Text string `json:"text"`
		} `json:"reasoningText"`
	} `json:"reasoningContent"`
}

type novaUsage struct {
	InputTokens               int  `json:"inputTokens"`
	OutputTokens              int  `json:"outputTokens"`
	TotalTokens               *int `json:"totalTokens,omitempty"`
	CacheReadInputTokenCount  int  `json:"cacheReadInputTokenCount"`
	CacheWriteInputTokenCount int  `json:"cacheWriteInputTokenCount"`
}

func (f novaFormat) usage(n *nativeReply, total bool) novaUsage {
	u := novaUsage{InputTokens: n.usage.InputTokens, OutputTokens: n.usage.OutputTokens,
		CacheReadInputTokenCount: n.usage.CacheReadTokens, CacheWriteInputTokenCount: n.usage.CacheWriteTokens}
	if total {
		u.TotalTokens = ptr(n.usage.Total())
	}
	return u
}

func (f novaFormat) response(n *nativeReply) []byte {
	content := []any{}
	for _, b := range n.reply.Content {
		switch {
		case b.Text != nil:
			content = append(content, novaText{*b.Text})
		case b.Citations != nil:
			content = append(content, novaText{b.Citations.Text})
		case b.ToolUse != nil:
			var t novaToolUse
			t.ToolUse.Name, t.ToolUse.ToolUseID, t.ToolUse.Input = b.ToolUse.Name, novaToolID(n.call, b.ToolUse.ToolUseID), compactJSON(b.ToolUse.input())
			content = append(content, t)
		case b.Reasoning != nil && b.Reasoning.Redacted == nil:
			var r novaReasoning
			r.ReasoningContent.ReasoningText.Text = b.Reasoning.Text
			content = append(content, r)
		}
	}
	var out novaResponse
	out.Output.Message = novaMessage{Content: content, Role: RoleAssistant}
	out.StopReason, out.Usage = n.reply.stopReason(), f.usage(n, true)
	return encodeJSON(out)
}

type novaResponse struct {
	Output struct {
		Message novaMessage `json:"message"`
	} `json:"output"`
	StopReason string    `json:"stopReason"`
	Usage      novaUsage `json:"usage"`
}

type novaMessage struct {
	Content []any  `json:"content"`
	Role    string `json:"role"`
}

// novaToolStart is a contentBlockStart event's body; Nova writes toolUseId before name.
type novaToolStart struct {
	Start struct {
		ToolUse struct {
			ToolUseID string `json:"toolUseId"`
			Name      string `json:"name"`
		} `json:"toolUse"`
	} `json:"start"`
	ContentBlockIndex int `json:"contentBlockIndex"`
}

type novaMetadata struct {
	Metadata struct {
		Usage   novaUsage `json:"usage"`
		Metrics struct{}  `json:"metrics"`
		Trace   struct{}  `json:"trace"`
	} `json:"metadata"`
	Metrics wireInvocationMetricsNative `json:"amazon-bedrock-invocationMetrics"`
}

func (f novaFormat) chunks(n *nativeReply) []nativeChunk {
	var out []nativeChunk
	add := func(v any) { out = append(out, nativeChunk{json: encodeJSON(v)}) }
	type index struct {
		ContentBlockIndex int `json:"contentBlockIndex"`
	}
	type deltaEvent struct {
		Delta             any `json:"delta"`
		ContentBlockIndex int `json:"contentBlockIndex"`
	}
	add(map[string]any{"messageStart": map[string]string{"role": RoleAssistant}})
	i := 0
	for ci, b := range n.reply.Content {
		switch {
		case b.Text != nil || b.Citations != nil:
			text := textOf(&Reply{Content: []Block{b}})
			for _, part := range n.parts(ci, text, 1) {
				out = append(out, delta(encodeJSON(map[string]any{"contentBlockDelta": deltaEvent{novaText{part}, i}}), part))
				add(map[string]any{"contentBlockStop": index{i}})
				i++
			}
		case b.ToolUse != nil:
			var start novaToolStart
			start.Start.ToolUse.ToolUseID, start.Start.ToolUse.Name = novaToolID(n.call, b.ToolUse.ToolUseID), b.ToolUse.Name
			start.ContentBlockIndex = i
			add(map[string]any{"contentBlockStart": start})
			// Nova sends a tool's whole input in one delta (docs/wire-facts.md §3.4).
			input := string(compactJSON(b.ToolUse.input()))
			out = append(out, delta(encodeJSON(map[string]any{"contentBlockDelta": deltaEvent{map[string]any{"toolUse": map[string]string{
				"input": input}}, i}}), input))
			add(map[string]any{"contentBlockStop": index{i}})
			i++
		}
	}
	add(map[string]any{"messageStop": map[string]string{"stopReason": n.reply.stopReason()}})
	var meta novaMetadata
	meta.Metadata.Usage, meta.Metrics = f.usage(n, false), n.metrics()
	add(meta)
	return out
}

// titanFormat is Amazon Titan Text's body. Shapes from real traffic: responses in
// openllmetry's test_titan_completion.yaml and test_invoke_model_metrics.yaml
// ({"inputTextTokenCount", "results":[{"tokenCount","outputText","completionReason"}]}), and
// streams in opentelemetry-python-contrib's and Arize-ai/openinference's (chunks of many
// words, the counts and reason null until the last).
type titanFormat struct{}

var titanSchema = &nativeSchema{required: []string{"inputText"}, props: map[string]string{
	"inputText": "String", "textGenerationConfig": "JSONObject",
}}

func (titanFormat) schema() *nativeSchema { return titanSchema }

func (titanFormat) request(obj map[string]any) (*ConverseRequest, *Error) {
	var in struct {
		InputText string `json:"inputText"`
		Config    *struct {
			MaxTokenCount *int     `json:"maxTokenCount"`
			Temperature   *float64 `json:"temperature"`
			TopP          *float64 `json:"topP"`
			StopSequences []string `json:"stopSequences"`
		} `json:"textGenerationConfig"`
	}
	if e := into(obj, &in, false); e != nil {
		return nil, e
	}
	req := &ConverseRequest{Messages: userMessage(in.InputText)}
	if c := in.Config; c != nil {
		req.InferenceConfig = &InferenceConfig{MaxTokens: c.MaxTokenCount, Temperature: c.Temperature, TopP: c.TopP, StopSequences: c.StopSequences}
	}
	return req, nil
}

// titanCompletion is Titan's completionReason for a stop reason.
func titanCompletion(r *Reply) string {
	switch r.stopReason() {
	case "max_tokens":
		return "LENGTH"
	case "stop_sequence":
		return "STOP_CRITERIA_MET"
	case stopGuardrail, "content_filtered":
		return "CONTENT_FILTERED"
	}
	return "FINISH"
}

func (titanFormat) response(n *nativeReply) []byte {
	type result struct {
		TokenCount       int    `json:"tokenCount"`
		OutputText       string `json:"outputText"`
		CompletionReason string `json:"completionReason"`
	}
	return encodeJSON(struct {
		InputTextTokenCount int      `json:"inputTextTokenCount"`
		Results             []result `json:"results"`
	}{n.usage.InputTokens, []result{{n.usage.OutputTokens, textOf(n.reply), titanCompletion(n.reply)}}})
}

// titanWordsPerChunk is how many words a Titan chunk carries: its chunks are long (a
// sentence or more in the recordings).
const titanWordsPerChunk = 40

func (titanFormat) chunks(n *nativeReply) []nativeChunk {
	type chunk struct {
		OutputText                string  `json:"outputText"`
		Index                     int     `json:"index"`
		TotalOutputTextTokenCount *int    `json:"totalOutputTextTokenCount"`
		CompletionReason          *string `json:"completionReason"`
		InputTextTokenCount       *int    `json:"inputTextTokenCount"`
	}
	at, text := n.joined()
	parts := n.parts(at, text, titanWordsPerChunk)
	out := make([]nativeChunk, len(parts))
	for i, p := range parts {
		c := chunk{OutputText: p}
		if i == 0 {
			c.InputTextTokenCount = ptr(n.usage.InputTokens)
		}
		if i < len(parts)-1 {
			out[i] = delta(encodeJSON(c), p)
			continue
		}
		c.TotalOutputTextTokenCount, c.CompletionReason = ptr(n.usage.OutputTokens), ptr(titanCompletion(n.reply))
		out[i] = delta(withMember(encodeJSON(c), "amazon-bedrock-invocationMetrics", n.metrics()), p)
	}
	return out
}
