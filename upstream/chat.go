package upstream

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

// The OpenAI chat completions wire format, as far as the translation uses it
// (https://platform.openai.com/docs/api-reference/chat/create; Ollama, vLLM, llama.cpp's
// server, LM Studio and LiteLLM serve the same shapes).

type chatRequest struct {
	Model         string         `json:"model"`
	Messages      []chatMessage  `json:"messages"`
	MaxTokens     *int           `json:"max_tokens,omitempty"`
	Temperature   *float64       `json:"temperature,omitempty"`
	TopP          *float64       `json:"top_p,omitempty"`
	Stop          []string       `json:"stop,omitempty"`
	Tools         []chatTool     `json:"tools,omitempty"`
	ToolChoice    any            `json:"tool_choice,omitempty"`
	Stream        bool           `json:"stream,omitempty"`
	StreamOptions *streamOptions `json:"stream_options,omitempty"`
}

type streamOptions struct {
	IncludeUsage bool `json:"include_usage"`
}

type chatMessage struct {
	Role string `json:"role"`
	// Content is a string, a list of chatParts, or nil (an assistant turn of tool calls only).
	Content    any            `json:"content"`
	ToolCalls  []chatToolCall `json:"tool_calls,omitempty"`
	ToolCallID string         `json:"tool_call_id,omitempty"`
}

type chatPart struct {
	Type     string    `json:"type"`
	Text     string    `json:"text,omitempty"`
	ImageURL *imageURL `json:"image_url,omitempty"`
}

type imageURL struct {
	URL string `json:"url"`
}

type chatTool struct {
	Type     string       `json:"type"`
	Function chatFunction `json:"function"`
}

type chatFunction struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Parameters  json.RawMessage `json:"parameters,omitempty"`
}

type chatToolCall struct {
	// Index orders the calls of a streamed delta.
	Index    *int   `json:"index,omitempty"`
	ID       string `json:"id,omitempty"`
	Type     string `json:"type,omitempty"`
	Function struct {
		Name      string `json:"name,omitempty"`
		Arguments string `json:"arguments"`
	} `json:"function"`
}

type chatResponse struct {
	Choices []chatChoice `json:"choices"`
	Usage   *chatUsage   `json:"usage"`
}

type chatChoice struct {
	Message      chatResult `json:"message"`
	FinishReason string     `json:"finish_reason"`
}

type chatResult struct {
	Content   *string        `json:"content"`
	ToolCalls []chatToolCall `json:"tool_calls"`
}

type chatUsage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
}

// untranslatable is the ValidationException of a request the upstream cannot be given. The
// message is the emulator's own, saying so: Bedrock's model would have taken the block.
func untranslatable(path, what string) *emulator.Error {
	return &emulator.Error{Type: "ValidationException", Status: http.StatusBadRequest,
		Message: fmt.Sprintf("bedrock-emulator: %s: the upstream model (--upstream, OpenAI chat completions) cannot take %s", path, what)}
}

// toChat translates a Converse request into a chat completions request for model.
func toChat(req *emulator.ConverseRequest, model string, stream bool) (*chatRequest, error) {
	out := &chatRequest{Model: model}
	if stream {
		out.Stream, out.StreamOptions = true, &streamOptions{IncludeUsage: true}
	}
	var system []string
	for i, b := range req.System {
		switch {
		case b.Text != nil:
			system = append(system, *b.Text)
		case b.GuardContent != nil && b.GuardContent.Text != nil:
			system = append(system, b.GuardContent.Text.Text)
		case b.CachePoint != nil:
		default:
			return nil, untranslatable(fmt.Sprintf("system.%d", i), "this block")
		}
	}
	if len(system) > 0 {
		out.Messages = append(out.Messages, chatMessage{Role: "system", Content: strings.Join(system, "\n")})
	}
	for i, m := range req.Messages {
		msgs, err := messages(m, fmt.Sprintf("messages.%d", i))
		if err != nil {
			return nil, err
		}
		out.Messages = append(out.Messages, msgs...)
	}
	if ic := req.InferenceConfig; ic != nil {
		out.MaxTokens, out.Temperature, out.TopP, out.Stop = ic.MaxTokens, ic.Temperature, ic.TopP, ic.StopSequences
	}
	if tc := req.ToolConfig; tc != nil {
		for i, t := range tc.Tools {
			switch {
			case t.ToolSpec != nil:
				out.Tools = append(out.Tools, chatTool{Type: "function", Function: chatFunction{
					Name: t.ToolSpec.Name, Description: t.ToolSpec.Description, Parameters: t.ToolSpec.InputSchema.JSON}})
			case t.CachePoint != nil:
			default:
				return nil, untranslatable(fmt.Sprintf("toolConfig.tools.%d", i), "system tools")
			}
		}
		if c := tc.ToolChoice; c != nil && len(out.Tools) > 0 {
			switch {
			case c.Auto != nil:
				out.ToolChoice = "auto"
			case c.Any != nil:
				out.ToolChoice = "required"
			case c.Tool != nil:
				out.ToolChoice = map[string]any{"type": "function", "function": map[string]string{"name": c.Tool.Name}}
			}
		}
	}
	return out, nil
}

// messages translates one Converse turn: an assistant turn into one assistant message (text
// and tool calls); a user turn into a tool message per toolResult, then a user message of the
// rest, if any. Tool use IDs pass as they are, so the upstream sees the IDs it gave.
func messages(m emulator.Message, path string) ([]chatMessage, error) {
	var parts []chatPart
	var calls []chatToolCall
	var out []chatMessage
	for j, b := range m.Content {
		at := fmt.Sprintf("%s.content.%d", path, j)
		switch {
		case b.Text != nil:
			parts = append(parts, chatPart{Type: "text", Text: *b.Text})
		case b.GuardContent != nil && b.GuardContent.Text != nil:
			parts = append(parts, chatPart{Type: "text", Text: b.GuardContent.Text.Text})
		case b.Image != nil:
			u, err := dataURL(b.Image, at+".image")
			if err != nil {
				return nil, err
			}
			parts = append(parts, chatPart{Type: "image_url", ImageURL: &imageURL{URL: u}})
		case b.ToolUse != nil:
			c := chatToolCall{ID: b.ToolUse.ToolUseID, Type: "function"}
			c.Function.Name, c.Function.Arguments = b.ToolUse.Name, string(b.ToolUse.Input)
			calls = append(calls, c)
		case b.ToolResult != nil:
			text, err := resultText(b.ToolResult, at+".toolResult")
			if err != nil {
				return nil, err
			}
			out = append(out, chatMessage{Role: "tool", ToolCallID: b.ToolResult.ToolUseID, Content: text})
		case b.CachePoint != nil, b.ReasoningContent != nil:
			// A cache point is Bedrock's own; earlier reasoning is not sent back to an
			// OpenAI-compatible model.
		case b.Document != nil:
			return nil, untranslatable(at+".document", "documents")
		case b.Video != nil:
			return nil, untranslatable(at+".video", "video")
		case b.Audio != nil:
			return nil, untranslatable(at+".audio", "audio")
		default:
			return nil, untranslatable(at, "this block")
		}
	}
	if m.Role == emulator.RoleAssistant {
		msg := chatMessage{Role: "assistant", ToolCalls: calls}
		if text := joinText(parts); text != "" || len(calls) == 0 {
			msg.Content = text
		}
		return append(out, msg), nil
	}
	if len(parts) > 0 {
		out = append(out, chatMessage{Role: "user", Content: userContent(parts)})
	}
	return out, nil
}

// userContent is a user message's content: a string when it is all text, else the parts.
func userContent(parts []chatPart) any {
	for _, p := range parts {
		if p.Type != "text" {
			return parts
		}
	}
	return joinText(parts)
}

func joinText(parts []chatPart) string {
	var texts []string
	for _, p := range parts {
		texts = append(texts, p.Text)
	}
	return strings.Join(texts, "\n")
}

// dataURL is an image as a data URL, the form chat completions servers take inline images in.
func dataURL(img *emulator.MediaBlock, path string) (string, error) {
	if img.Source.Bytes == nil {
		return "", untranslatable(path+".source.s3Location", "images in Amazon S3")
	}
	format := img.Format
	if format == "jpg" {
		format = "jpeg"
	}
	return "data:image/" + format + ";base64," + base64.StdEncoding.EncodeToString(img.Source.Bytes), nil
}

// resultText is a tool result's content as the text of a tool message: text as it is, JSON
// compacted, one block a line.
func resultText(r *emulator.ToolResultBlock, path string) (string, error) {
	var lines []string
	for k, c := range r.Content {
		switch {
		case c.Text != nil:
			lines = append(lines, *c.Text)
		case c.JSON != nil:
			lines = append(lines, string(c.JSON))
		default:
			return "", untranslatable(fmt.Sprintf("%s.content.%d", path, k), "tool results other than text and json")
		}
	}
	if r.Status == "error" && len(lines) == 0 {
		lines = append(lines, "error")
	}
	return strings.Join(lines, "\n"), nil
}

// stopReason is the Converse stopReason of a chat completions finish_reason. "stop" is both
// a natural end and a stop sequence in chat completions, so it is end_turn.
func stopReason(finish string, calls int) string {
	switch {
	case calls > 0 || finish == "tool_calls" || finish == "function_call":
		return "tool_use"
	case finish == "length":
		return "max_tokens"
	case finish == "content_filter":
		return "content_filtered"
	}
	return "end_turn"
}

// toolUseID matches the API model's ToolUseId (internal/spec/bedrock-runtime.json: pattern
// [a-zA-Z0-9_.:-]+, 1 to 64 characters).
var toolUseID = regexp.MustCompile(`^[a-zA-Z0-9_.:-]{1,64}$`)

// toolUse is the Converse toolUse of an upstream tool call. An ID Bedrock could not carry
// (none, or one outside ToolUseId's pattern) is replaced by one made from the call's
// position in the request, the same every time the same call is answered.
func toolUse(c chatToolCall, call *emulator.Call, i int) (emulator.Block, error) {
	id := c.ID
	if !toolUseID.MatchString(id) {
		id = fmt.Sprintf("tooluse_%s_%d", call.RequestID, i)
		if !toolUseID.MatchString(id) {
			id = fmt.Sprintf("tooluse_%d_%d", call.Seq, i)
		}
	}
	input := strings.TrimSpace(c.Function.Arguments)
	if input == "" {
		input = "{}"
	}
	if !json.Valid([]byte(input)) || input[0] != '{' {
		return emulator.Block{}, fmt.Errorf("tool call %q: arguments are not a JSON object: %.200q", c.Function.Name, input)
	}
	return emulator.Block{ToolUse: &emulator.ToolUse{ToolUseID: id, Name: c.Function.Name, Input: json.RawMessage(input)}}, nil
}

// fromChat translates a chat completions response into a Reply.
func fromChat(resp *chatResponse, call *emulator.Call) (*emulator.Reply, error) {
	if len(resp.Choices) == 0 {
		return nil, fmt.Errorf("the response has no choices")
	}
	ch := resp.Choices[0]
	reply := &emulator.Reply{Verbatim: true}
	if c := ch.Message.Content; c != nil && *c != "" {
		reply.Content = append(reply.Content, emulator.TextBlock(*c))
	}
	for i, c := range ch.Message.ToolCalls {
		b, err := toolUse(c, call, i)
		if err != nil {
			return nil, err
		}
		reply.Content = append(reply.Content, b)
	}
	if len(reply.Content) == 0 {
		reply.Content = append(reply.Content, emulator.TextBlock(""))
	}
	reply.StopReason = stopReason(ch.FinishReason, len(ch.Message.ToolCalls))
	reply.Usage = usage(resp.Usage)
	return reply, nil
}

// usage is the Converse usage of the upstream's; nil (the emulator estimates it) when the
// upstream sent none.
func usage(u *chatUsage) *emulator.Usage {
	if u == nil {
		return nil
	}
	return &emulator.Usage{InputTokens: u.PromptTokens, OutputTokens: u.CompletionTokens}
}
