package emulator

import (
	"encoding/json"
	"strings"
)

// The formats of Meta Llama, Mistral and Cohere Command R.

// llamaFormat is Meta Llama's body: a prompt in, a generation out. Shapes from real
// traffic: responses in openllmetry's test_meta_llama3_completion.yaml and
// opentelemetry-python-contrib's test_invoke_model_with_content[meta.llama].yaml
// (generation, prompt_token_count, generation_token_count, stop_reason "stop" or "length"),
// and the stream in Arize-ai/openinference's should-handle-meta-llama-streaming.json (one
// chunk a token, the prompt count in the first only, the generation count running).
type llamaFormat struct{}

var llamaSchema = &nativeSchema{required: []string{"prompt"}, props: map[string]string{
	"prompt": "String", "max_gen_len": "Integer", "temperature": "Number", "top_p": "Number", "images": "JSONArray",
}}

func (llamaFormat) schema() *nativeSchema { return llamaSchema }

func (llamaFormat) request(obj map[string]any) (*ConverseRequest, *Error) {
	var in struct {
		Prompt      string   `json:"prompt"`
		MaxGenLen   *int     `json:"max_gen_len"`
		Temperature *float64 `json:"temperature"`
		TopP        *float64 `json:"top_p"`
	}
	if e := into(obj, &in, false); e != nil {
		return nil, e
	}
	return &ConverseRequest{Messages: userMessage(promptText(in.Prompt)),
		InferenceConfig: &InferenceConfig{MaxTokens: in.MaxGenLen, Temperature: in.Temperature, TopP: in.TopP}}, nil
}

// lengthOrStop is the stop reason of Llama and Mistral text completion.
func lengthOrStop(r *Reply) string {
	if r.stopReason() == "max_tokens" {
		return "length"
	}
	return "stop"
}

type llamaOut struct {
	Generation           string  `json:"generation"`
	PromptTokenCount     *int    `json:"prompt_token_count"`
	GenerationTokenCount int     `json:"generation_token_count"`
	StopReason           *string `json:"stop_reason"`
}

func (llamaFormat) response(n *nativeReply) []byte {
	return encodeJSON(llamaOut{textOf(n.reply), ptr(n.usage.InputTokens), n.usage.OutputTokens, ptr(lengthOrStop(n.reply))})
}

func (llamaFormat) chunks(n *nativeReply) []nativeChunk {
	at, text := n.joined()
	parts := n.parts(at, text, 1)
	counts := cumulative(parts, n.usage.OutputTokens)
	out := make([]nativeChunk, len(parts))
	for i, p := range parts {
		c := llamaOut{Generation: p, GenerationTokenCount: counts[i]}
		if i == 0 {
			c.PromptTokenCount = ptr(n.usage.InputTokens)
		}
		if i < len(parts)-1 {
			out[i] = delta(encodeJSON(c), p)
			continue
		}
		c.StopReason = ptr(lengthOrStop(n.reply))
		out[i] = delta(withMember(encodeJSON(c), "amazon-bedrock-invocationMetrics", n.metrics()), p)
	}
	return out
}

// mistralFormat is Mistral's text completion body ({"prompt"} in, {"outputs":[{"text",
// "stop_reason"}]} out: opentelemetry-python-contrib's
// test_invoke_model_with_content[mistral.mistral].yaml), or its chat completion body
// ({"messages"} in, {"choices":[…]} out, from Bedrock's "Mistral AI chat completion" guide).
// unverified: the stream chunks, each a one-output (or one-choice) body whose stop reason
// is null until the last, follow those bodies; no recording was found.
type mistralFormat struct{ chat bool }

var (
	mistralTextSchema = &nativeSchema{required: []string{"prompt"}, props: map[string]string{
		"prompt": "String", "max_tokens": "Integer", "stop": "JSONArray", "temperature": "Number",
		"top_p": "Number", "top_k": "Integer",
	}}
	mistralChatSchema = &nativeSchema{required: []string{"messages"}, props: map[string]string{
		"messages": "JSONArray", "tools": "JSONArray", "tool_choice": "String", "max_tokens": "Integer",
		"top_p": "Number", "temperature": "Number", "response_format": "JSONObject",
	}}
)

func (f mistralFormat) schema() *nativeSchema {
	if f.chat {
		return mistralChatSchema
	}
	return mistralTextSchema
}

func (f mistralFormat) request(obj map[string]any) (*ConverseRequest, *Error) {
	var in struct {
		Prompt      string   `json:"prompt"`
		Stop        []string `json:"stop"`
		MaxTokens   *int     `json:"max_tokens"`
		Temperature *float64 `json:"temperature"`
		TopP        *float64 `json:"top_p"`
		Messages    []struct {
			Role       string `json:"role"`
			Content    string `json:"content"`
			ToolCallID string `json:"tool_call_id"`
			ToolCalls  []struct {
				ID       string `json:"id"`
				Function struct {
					Name      string `json:"name"`
					Arguments string `json:"arguments"`
				} `json:"function"`
			} `json:"tool_calls"`
		} `json:"messages"`
		Tools []struct {
			Function struct {
				Name        string          `json:"name"`
				Description string          `json:"description"`
				Parameters  json.RawMessage `json:"parameters"`
			} `json:"function"`
		} `json:"tools"`
		ToolChoice string `json:"tool_choice"`
	}
	if e := into(obj, &in, false); e != nil {
		return nil, e
	}
	req := &ConverseRequest{InferenceConfig: &InferenceConfig{MaxTokens: in.MaxTokens, Temperature: in.Temperature, TopP: in.TopP, StopSequences: in.Stop}}
	if !f.chat {
		req.Messages = userMessage(promptText(in.Prompt))
		return req, nil
	}
	for _, m := range in.Messages {
		switch m.Role {
		case "system":
			req.System = append(req.System, SystemContentBlock{Text: ptr(m.Content)})
		case "tool":
			appendBlock(req, RoleUser, ContentBlock{ToolResult: &ToolResultBlock{ToolUseID: m.ToolCallID,
				Content: []ToolResultContentBlock{{Text: ptr(m.Content)}}}})
		default:
			if m.Content != "" {
				appendBlock(req, m.Role, ContentBlock{Text: ptr(m.Content)})
			}
			for _, c := range m.ToolCalls {
				appendBlock(req, m.Role, ContentBlock{ToolUse: &ToolUseBlock{ToolUseID: c.ID, Name: c.Function.Name,
					Input: json.RawMessage(c.Function.Arguments)}})
			}
		}
	}
	if len(in.Tools) > 0 && in.ToolChoice != "none" {
		tc := &ToolConfig{}
		for _, t := range in.Tools {
			tc.Tools = append(tc.Tools, Tool{ToolSpec: &ToolSpec{Name: t.Function.Name, Description: t.Function.Description,
				InputSchema: ToolInputSchema{JSON: t.Function.Parameters}}})
		}
		if in.ToolChoice == "any" {
			tc.ToolChoice = &ToolChoice{Any: &struct{}{}}
		}
		req.ToolConfig = tc
	}
	return req, nil
}

// appendBlock adds a block to the last message if it has role, else in a new message.
func appendBlock(req *ConverseRequest, role string, b ContentBlock) {
	if n := len(req.Messages); n > 0 && req.Messages[n-1].Role == role {
		req.Messages[n-1].Content = append(req.Messages[n-1].Content, b)
		return
	}
	req.Messages = append(req.Messages, Message{Role: role, Content: []ContentBlock{b}})
}

type mistralOutput struct {
	Text       string  `json:"text"`
	StopReason *string `json:"stop_reason"`
}

type mistralToolCall struct {
	ID       string `json:"id"`
	Function struct {
		Name      string `json:"name"`
		Arguments string `json:"arguments"`
	} `json:"function"`
}

type mistralChoice struct {
	Index   int `json:"index"`
	Message struct {
		Role      string            `json:"role"`
		Content   string            `json:"content"`
		ToolCalls []mistralToolCall `json:"tool_calls,omitempty"`
	} `json:"message"`
	StopReason *string `json:"stop_reason"`
}

// chatStop is the chat completion stop reason.
func (f mistralFormat) chatStop(r *Reply) string {
	if r.stopReason() == "tool_use" {
		return "tool_calls"
	}
	return lengthOrStop(r)
}

func (f mistralFormat) choice(n *nativeReply, text string, stop *string, tools bool) mistralChoice {
	var c mistralChoice
	c.Message.Role, c.Message.Content, c.StopReason = RoleAssistant, text, stop
	if tools {
		for _, b := range n.reply.Content {
			if b.ToolUse != nil {
				var tc mistralToolCall
				tc.ID = b.ToolUse.ToolUseID
				if strings.HasPrefix(tc.ID, "tooluse_") {
					tc.ID = nativeID(n.call, tc.ID, 9, alnum)
				}
				tc.Function.Name, tc.Function.Arguments = b.ToolUse.Name, string(compactJSON(b.ToolUse.input()))
				c.Message.ToolCalls = append(c.Message.ToolCalls, tc)
			}
		}
	}
	return c
}

func (f mistralFormat) response(n *nativeReply) []byte {
	if f.chat {
		return encodeJSON(map[string]any{"choices": []mistralChoice{f.choice(n, textOf(n.reply), ptr(f.chatStop(n.reply)), true)}})
	}
	return encodeJSON(map[string]any{"outputs": []mistralOutput{{textOf(n.reply), ptr(lengthOrStop(n.reply))}}})
}

func (f mistralFormat) chunks(n *nativeReply) []nativeChunk {
	at, text := n.joined()
	parts := n.parts(at, text, 1)
	out := make([]nativeChunk, len(parts))
	for i, p := range parts {
		last := i == len(parts)-1
		var body []byte
		switch {
		case f.chat:
			var stop *string
			if last {
				stop = ptr(f.chatStop(n.reply))
			}
			body = encodeJSON(map[string]any{"choices": []mistralChoice{f.choice(n, p, stop, last)}})
		default:
			var stop *string
			if last {
				stop = ptr(lengthOrStop(n.reply))
			}
			body = encodeJSON(map[string]any{"outputs": []mistralOutput{{p, stop}}})
		}
		if last {
			body = withMember(body, "amazon-bedrock-invocationMetrics", n.metrics())
		}
		out[i] = delta(body, p)
	}
	return out
}

// cohereFormat is Cohere Command R's chat body: a message and a chat history in; a text,
// the history with the new turn added, and a finish reason out (opentelemetry-python-contrib's
// test_invoke_model_with_content[cohere.command-r].yaml: response_id, text, generation_id,
// chat_history, finish_reason). unverified: the stream events (stream-start,
// text-generation, stream-end carrying the whole response) are those of Cohere's own chat
// API, as client fixtures for Bedrock reproduce them; no recording was found.
type cohereFormat struct{}

var cohereSchema = &nativeSchema{required: []string{"message"}, props: map[string]string{
	"message": "String", "chat_history": "JSONArray", "documents": "JSONArray", "search_queries_only": "Boolean",
	"preamble": "String", "max_tokens": "Integer", "temperature": "Number", "p": "Number", "k": "Number",
	"prompt_truncation": "String", "frequency_penalty": "Number", "presence_penalty": "Number", "seed": "Integer",
	"return_prompt": "Boolean", "tools": "JSONArray", "tool_results": "JSONArray", "stop_sequences": "JSONArray",
	"raw_prompting": "Boolean",
}}

func (cohereFormat) schema() *nativeSchema { return cohereSchema }

type cohereTurn struct {
	Role    string `json:"role"`
	Message string `json:"message"`
}

type cohereRequest struct {
	Message       string       `json:"message"`
	ChatHistory   []cohereTurn `json:"chat_history"`
	Preamble      *string      `json:"preamble"`
	MaxTokens     *int         `json:"max_tokens"`
	Temperature   *float64     `json:"temperature"`
	P             *float64     `json:"p"`
	StopSequences []string     `json:"stop_sequences"`
	Tools         []struct {
		Name                 string `json:"name"`
		Description          string `json:"description"`
		ParameterDefinitions map[string]struct {
			Description string `json:"description"`
			Type        string `json:"type"`
			Required    bool   `json:"required"`
		} `json:"parameter_definitions"`
	} `json:"tools"`
}

func (cohereFormat) request(obj map[string]any) (*ConverseRequest, *Error) {
	var in cohereRequest
	if e := into(obj, &in, false); e != nil {
		return nil, e
	}
	req := &ConverseRequest{InferenceConfig: &InferenceConfig{MaxTokens: in.MaxTokens, Temperature: in.Temperature, TopP: in.P, StopSequences: in.StopSequences}}
	if in.Preamble != nil {
		req.System = []SystemContentBlock{{Text: in.Preamble}}
	}
	for _, t := range in.ChatHistory {
		role := RoleUser
		if t.Role == "CHATBOT" {
			role = RoleAssistant
		}
		appendBlock(req, role, ContentBlock{Text: ptr(t.Message)})
	}
	appendBlock(req, RoleUser, ContentBlock{Text: ptr(in.Message)})
	if len(in.Tools) > 0 {
		tc := &ToolConfig{}
		for _, t := range in.Tools {
			tc.Tools = append(tc.Tools, Tool{ToolSpec: &ToolSpec{Name: t.Name, Description: t.Description,
				InputSchema: ToolInputSchema{JSON: cohereSchemaOf(t.ParameterDefinitions)}}})
		}
		req.ToolConfig = tc
	}
	return req, nil
}

// cohereSchemaOf turns Cohere's parameter definitions into a JSON schema.
func cohereSchemaOf(defs map[string]struct {
	Description string `json:"description"`
	Type        string `json:"type"`
	Required    bool   `json:"required"`
}) json.RawMessage {
	props := map[string]any{}
	required := []string{}
	for name, d := range defs {
		t := d.Type
		switch t {
		case "str", "":
			t = "string"
		case "int":
			t = "integer"
		case "float":
			t = "number"
		case "bool":
			t = "boolean"
		}
		props[name] = map[string]string{"type": t, "description": d.Description}
		if d.Required {
			required = append(required, name)
		}
	}
	return encodeJSON(map[string]any{"type": "object", "properties": props, "required": required})
}

// cohereFinish is the finish reason Command R reports ("COMPLETE", "MAX_TOKENS" in the
// recordings; "STOP_SEQUENCE" from Cohere's API reference).
func cohereFinish(r *Reply) string {
	switch r.stopReason() {
	case "max_tokens":
		return "MAX_TOKENS"
	case "stop_sequence":
		return "STOP_SEQUENCE"
	}
	return "COMPLETE"
}

type cohereToolCall struct {
	Name       string          `json:"name"`
	Parameters json.RawMessage `json:"parameters"`
}

type cohereResponse struct {
	ResponseID   string           `json:"response_id"`
	Text         string           `json:"text"`
	GenerationID string           `json:"generation_id"`
	ChatHistory  []cohereTurn     `json:"chat_history"`
	ToolCalls    []cohereToolCall `json:"tool_calls,omitempty"`
	FinishReason string           `json:"finish_reason"`
}

func (cohereFormat) out(n *nativeReply) cohereResponse {
	text := textOf(n.reply)
	var history []cohereTurn
	for _, m := range n.call.Request.Messages {
		role := "USER"
		if m.Role == RoleAssistant {
			role = "CHATBOT"
		}
		for _, b := range m.Content {
			if b.Text != nil {
				history = append(history, cohereTurn{role, *b.Text})
			}
		}
	}
	history = append(history, cohereTurn{"CHATBOT", text})
	r := cohereResponse{
		ResponseID: nativeID(n.call, "response", 8, "0123456789abcdef") + "/" + nativeUUID(n.call, "response"),
		Text:       text, GenerationID: nativeUUID(n.call, "generation"), ChatHistory: history,
		FinishReason: cohereFinish(n.reply),
	}
	for _, b := range n.reply.Content {
		if b.ToolUse != nil {
			r.ToolCalls = append(r.ToolCalls, cohereToolCall{b.ToolUse.Name, compactJSON(b.ToolUse.input())})
		}
	}
	return r
}

func (f cohereFormat) response(n *nativeReply) []byte { return encodeJSON(f.out(n)) }

func (f cohereFormat) chunks(n *nativeReply) []nativeChunk {
	type cohereEvent struct {
		IsFinished   bool            `json:"is_finished"`
		EventType    string          `json:"event_type"`
		GenerationID string          `json:"generation_id,omitempty"`
		Text         *string         `json:"text,omitempty"`
		Response     *cohereResponse `json:"response,omitempty"`
		FinishReason string          `json:"finish_reason,omitempty"`
	}
	r := f.out(n)
	out := []nativeChunk{{json: encodeJSON(cohereEvent{EventType: "stream-start", GenerationID: r.GenerationID})}}
	at, _ := n.joined()
	for _, p := range n.parts(at, r.Text, 1) {
		if p != "" {
			out = append(out, delta(encodeJSON(cohereEvent{EventType: "text-generation", Text: ptr(p)}), p))
		}
	}
	end := encodeJSON(cohereEvent{IsFinished: true, EventType: "stream-end", Response: &r, FinishReason: r.FinishReason})
	return append(out, nativeChunk{json: withMember(end, "amazon-bedrock-invocationMetrics", n.metrics())})
}
