package emulator

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bedrock-emulator/bedrock-emulator/internal/jsonschema"
)

// The default generator answers every call no behaviour answered. Its reply depends only on
// the request, so the same request always gets the same answer:
//   - with toolChoice any or tool, a toolUse block for the first (or the named) tool, with an
//     input synthesized from the tool's JSON schema, and stopReason tool_use;
//   - with toolChoice auto (or none), the same for the first tool the last user message makes
//     relevant (relevantTool says when), unless Options.Tools is ToolsNever; string
//     properties of the input take the user's words where they name the property
//     (toolInput);
//   - after tool results, a text that reports them;
//   - otherwise a text that names the model and quotes the last user text.
//
// What the request asks for is then added (requested.go): structured output, citations,
// reasoning. The text is then cut at the first stop sequence (stop_sequence) or at maxTokens
// (max_tokens).
type generator struct{ tools ToolPolicy }

func (g generator) Respond(_ context.Context, c *Call, _ Next) (*Reply, error) {
	req := c.Request
	var spec *ToolSpec
	var input json.RawMessage
	if tc := req.ToolConfig; tc != nil && tc.ToolChoice != nil && (tc.ToolChoice.Any != nil || tc.ToolChoice.Tool != nil) {
		if spec = chosenTool(tc); spec != nil {
			input = jsonschema.Synthesize(spec.InputSchema.JSON)
		}
	} else if g.tools == ToolsAuto {
		if spec = relevantTool(req); spec != nil {
			input = toolInput(spec, req)
		}
	}
	if spec != nil {
		return asked(c, &Reply{
			Content:    []Block{{ToolUse: &ToolUse{ToolUseID: toolUseID(c, 0), Name: spec.Name, Input: input}}},
			StopReason: "tool_use",
		}), nil
	}
	return asked(c, &Reply{Content: []Block{TextBlock(defaultText(c))}}), nil
}

func chosenTool(tc *ToolConfig) *ToolSpec {
	for _, t := range tc.Tools {
		if t.ToolSpec == nil {
			continue
		}
		if tc.ToolChoice.Tool == nil || t.ToolSpec.Name == tc.ToolChoice.Tool.Name {
			return t.ToolSpec
		}
	}
	return nil
}

// toolUseID is a Bedrock-shaped tool use ID ("tooluse_" and 22 URL-safe characters) derived
// from the request, so it is stable across runs.
func toolUseID(c *Call, n int) string {
	b, _ := json.Marshal(c.Request)
	sum := sha256.Sum256(fmt.Appendf(b, "\x00%s\x00%d", c.ModelID, n))
	return "tooluse_" + base64.RawURLEncoding.EncodeToString(sum[:])[:22]
}

func defaultText(c *Call) string {
	msgs := c.Request.Messages
	if len(msgs) == 0 {
		return "Hello from bedrock-emulator."
	}
	last := msgs[len(msgs)-1]
	var results []string
	var texts []string
	media := 0
	for _, b := range last.Content {
		switch {
		case b.ToolResult != nil:
			results = append(results, toolResultSummary(b.ToolResult))
		case b.Text != nil:
			texts = append(texts, *b.Text)
		case b.Image != nil, b.Document != nil, b.Video != nil, b.Audio != nil:
			media++
		}
	}
	name := c.ModelID
	if c.Model != nil && c.Model.Name != "" {
		name = c.Model.Name
	}
	if len(results) > 0 {
		return "Thanks for the tool results. " + strings.Join(results, " ")
	}
	s := "This is bedrock-emulator answering as " + name + "."
	if media > 0 {
		s += " I received " + strconv.Itoa(media) + " attachment(s)."
	}
	if len(texts) > 0 {
		s += " You said: " + strings.Join(texts, " ")
	}
	return s
}

func toolResultSummary(r *ToolResultBlock) string {
	var parts []string
	for _, c := range r.Content {
		switch {
		case c.Text != nil:
			parts = append(parts, *c.Text)
		case c.JSON != nil:
			parts = append(parts, string(compactJSON(c.JSON)))
		}
	}
	status := r.Status
	if status == "" {
		status = "success"
	}
	return fmt.Sprintf("Result of %s (%s): %s.", r.ToolUseID, status, strings.Join(parts, " "))
}

// finish applies the request's stop sequences and maxTokens to a reply's text and fills in
// what the reply left to the emulator (usage, latency). It is applied to every reply.
func finish(r *Reply, req *ConverseRequest, maxTokens int) {
	stop := ""
	if !r.Verbatim && (r.StopReason == "" || r.StopReason == "end_turn") {
		if ic := req.InferenceConfig; ic != nil && len(ic.StopSequences) > 0 {
			if maxTokens > 0 {
				trimText(r, maxTokens, ic.StopSequences)
			}
			stop = cutAtStopSequence(r, ic.StopSequences)
		}
		if maxTokens > 0 {
			cutAtMaxTokens(r, maxTokens)
		}
	}
	if r.AdditionalModelResponseFields == nil {
		r.AdditionalModelResponseFields = responseFields(req.AdditionalModelResponseFieldPaths, stop)
	}
}

// responseFields answers additionalModelResponseFieldPaths: an object with the last
// segment of each JSON pointer as a member. "/stop_sequence" holds the stop sequence that
// ended the reply (or null), as Claude's native response does; every other field is null,
// since the emulator has no native response to read it from.
func responseFields(paths []string, stop string) json.RawMessage {
	if len(paths) == 0 {
		return nil
	}
	fields := make(map[string]any, len(paths))
	for _, p := range paths {
		name := p[strings.LastIndexByte(p, '/')+1:]
		if name == "" {
			continue
		}
		fields[name] = nil
		if name == "stop_sequence" && stop != "" {
			fields[name] = stop
		}
	}
	b, _ := json.Marshal(fields)
	return b
}

// trimText cuts every text block of r past what maxTokens could keep plus the longest stop
// sequence: text that is cut at maxTokens anyway, and so no stop sequence can end in. Bedrock
// takes 2500 stop sequences (its API model), and searching a long text for each is slow.
func trimText(r *Reply, maxTokens int, stops []string) {
	keep := maxTokens * 4
	for _, s := range stops {
		keep = max(keep, maxTokens*4+utf8.RuneCountInString(s))
	}
	content := r.Content
	for i, b := range content {
		if b.Text != nil && len(*b.Text) > keep {
			if &content[0] == &r.Content[0] {
				content = slices.Clone(content) // a behaviour may reuse its reply
			}
			content[i] = TextBlock(truncateTokens(*b.Text, (keep+3)/4))
		}
	}
	r.Content = content
}

func cutAtStopSequence(r *Reply, stops []string) string {
	for i, b := range r.Content {
		if b.Text == nil {
			continue
		}
		cut, which := -1, ""
		for _, s := range stops {
			if s == "" {
				continue
			}
			if j := strings.Index(*b.Text, s); j >= 0 && (cut < 0 || j < cut) {
				cut, which = j, s
			}
		}
		if cut >= 0 {
			r.Content = append(r.Content[:i:i], TextBlock((*b.Text)[:cut]))
			r.StopReason = "stop_sequence"
			return which
		}
	}
	return ""
}

func cutAtMaxTokens(r *Reply, max int) {
	used := 0
	for i, b := range r.Content {
		n := outputTokens([]Block{b})
		if used+n <= max {
			used += n
			continue
		}
		if b.Text != nil {
			r.Content = append(r.Content[:i:i], TextBlock(truncateTokens(*b.Text, max-used)))
		} else {
			r.Content = r.Content[:i]
		}
		r.StopReason = "max_tokens"
		return
	}
}
