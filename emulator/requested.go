package emulator

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/bedrock-emulator/bedrock-emulator/internal/jsonschema"
)

// What the default generator adds when a request asks for it, in the shapes recorded from
// Bedrock (docs/wire-facts.md §8; every rule deterministic, so the same request gets the same
// answer):
//   - structured output (outputConfig.textFormat json_schema): the text is JSON synthesized
//     from the schema;
//   - citations (a document, or a searchResult in a toolResult, with citations enabled, sent
//     to a model that supports them): citationsContent blocks that cite each such source's
//     first sentence, in place of the text;
//   - reasoning (Claude: additionalModelRequestFields.thinking or reasoning_config enabled;
//     Nova 2: reasoningConfig enabled): a reasoningContent block before the rest. Claude's
//     has text and a signature; Nova 2's text is Bedrock's own "[REDACTED]." and it has no
//     signature.

// asked returns the generator's reply dressed with what the request asks for.
func asked(c *Call, r *Reply) *Reply {
	text := len(r.Content) == 1 && r.Content[0].Text != nil
	if schema, ok := outputSchema(c.Request); ok && text {
		r.Content = []Block{TextBlock(string(jsonschema.Synthesize(schema)))}
	} else if cited := citations(c); len(cited) > 0 && text {
		r.Content = cited
	}
	if b, ok := reasoning(c); ok {
		r.Content = append([]Block{b}, r.Content...)
	}
	return r
}

// outputSchema is the JSON schema of a request's outputConfig.textFormat (type json_schema;
// structure.jsonSchema.schema, a string holding the schema, as the API model has it).
func outputSchema(req *ConverseRequest) (json.RawMessage, bool) {
	if req.OutputConfig == nil || len(req.OutputConfig.TextFormat) == 0 {
		return nil, false
	}
	var f struct {
		Type      string `json:"type"`
		Structure struct {
			JSONSchema *struct {
				Schema string `json:"schema"`
			} `json:"jsonSchema"`
		} `json:"structure"`
	}
	if json.Unmarshal(req.OutputConfig.TextFormat, &f) != nil || f.Type != "json_schema" || f.Structure.JSONSchema == nil {
		return nil, false
	}
	return json.RawMessage(f.Structure.JSONSchema.Schema), true
}

// reasoningNova is the reasoning text Nova 2 Lite answers: Bedrock redacts it (recorded,
// internal/cassette/testdata/real-traffic/ruby_llm/chat_bedrock_nova_2_reasoning_returns_reasoning_content_blocks.yml).
const reasoningNova = "[REDACTED]."

// reasoning is the reasoning block a request asks for, if it asks for one the model gives.
func reasoning(c *Call) (Block, bool) {
	m := c.Model
	if m == nil || len(c.Request.AdditionalModelRequestFields) == 0 {
		return Block{}, false
	}
	type enabled struct {
		Type string `json:"type"`
	}
	var f struct {
		Thinking        *enabled `json:"thinking"`
		ReasoningConfig *enabled `json:"reasoning_config"`
		NovaReasoning   *enabled `json:"reasoningConfig"`
	}
	if json.Unmarshal(c.Request.AdditionalModelRequestFields, &f) != nil {
		return Block{}, false
	}
	on := func(e *enabled) bool { return e != nil && (e.Type == "enabled" || e.Type == "adaptive") }
	switch {
	case m.Provider == "anthropic" && m.Supports.Reasoning && (on(f.Thinking) || on(f.ReasoningConfig)):
		text := "The user asks for an answer from bedrock-emulator"
		if said := lastUserText(c.Request); said != "" {
			text = fmt.Sprintf("The user says: %q. The answer is bedrock-emulator's", said)
		}
		text += ", the same for the same request."
		return Block{Reasoning: &Reasoning{Text: text, Signature: reasoningSignature(c, text)}}, true
	case m.Provider == "amazon" && strings.HasPrefix(m.ID, "amazon.nova-2") && on(f.NovaReasoning):
		return Block{Reasoning: &Reasoning{Text: reasoningNova}}, true
	}
	return Block{}, false
}

// reasoningSignature is a Claude-shaped reasoning signature (base64 of opaque bytes) derived from the
// request and the reasoning text, so it is stable across runs.
func reasoningSignature(c *Call, text string) string {
	b, _ := json.Marshal(c.Request)
	sum := sha256.Sum256(fmt.Appendf(b, "\x00%s\x00%s", c.ModelID, text))
	var raw []byte
	for i := range 3 {
		next := sha256.Sum256(append(sum[:], byte(i)))
		raw = append(raw, next[:]...)
	}
	return base64.StdEncoding.EncodeToString(raw)
}

// lastUserText is the text of the last user message, cut to 200 characters.
func lastUserText(req *ConverseRequest) string {
	if len(req.Messages) == 0 {
		return ""
	}
	var texts []string
	for _, b := range req.Messages[len(req.Messages)-1].Content {
		if b.Text != nil {
			texts = append(texts, *b.Text)
		}
	}
	s := strings.Join(texts, " ")
	if utf8.RuneCountInString(s) > 200 {
		s = string([]rune(s)[:200]) + "…"
	}
	return s
}

// citations are the citationsContent blocks answering the last user message's cited sources:
// per text document with citations enabled, its first sentence cited by character range
// (documentChar: documentIndex counts the request's documents, end excludes, the sentence
// keeps its trailing space); per searchResult with citations enabled in a toolResult, its
// first content block (searchResultLocation: searchResultIndex counts the search results,
// start and end count content blocks, end excluded). Recorded from Claude Haiku 4.5
// (internal/cassette/testdata/real-traffic/ruby_llm/chat_citations_with_bedrock_claude-haiku-4-5_*.yml).
func citations(c *Call) []Block {
	m, req := c.Model, c.Request
	if m == nil || !m.Supports.Citations || m.Provider != "anthropic" || len(req.Messages) == 0 {
		return nil
	}
	docIndex, resultIndex := 0, 0
	var out []Block
	cite := func(generated string, citation map[string]any) {
		raw, _ := json.Marshal(citation)
		out = append(out, Block{Citations: &Citations{Text: generated, Citations: []json.RawMessage{raw}}})
	}
	last := len(req.Messages) - 1
	for n, msg := range req.Messages {
		if msg.Role != RoleUser {
			continue
		}
		for _, b := range msg.Content {
			switch {
			case b.Document != nil:
				text, ok := documentText(b.Document)
				if n == last && ok && b.Document.Citations != nil && b.Document.Citations.Enabled {
					sentence := firstSentence(text)
					cite(strings.TrimSpace(sentence), map[string]any{
						"location":      map[string]any{"documentChar": map[string]int{"documentIndex": docIndex, "start": 0, "end": utf8.RuneCountInString(sentence)}},
						"sourceContent": []map[string]string{{"text": sentence}},
						"title":         b.Document.Name,
					})
				}
				docIndex++
			case b.ToolResult != nil:
				for _, rc := range b.ToolResult.Content {
					sr := rc.SearchResult
					if sr == nil {
						continue
					}
					first, ok := firstText(sr.Content)
					if n == last && ok && sr.Citations != nil && sr.Citations.Enabled {
						cite(strings.TrimSpace(first), map[string]any{
							"location":      map[string]any{"searchResultLocation": map[string]int{"searchResultIndex": resultIndex, "start": 0, "end": 1}},
							"source":        sr.Source,
							"sourceContent": []map[string]string{{"text": first}},
							"title":         sr.Title,
						})
					}
					resultIndex++
				}
			}
		}
	}
	return out
}

// textFormats are the document formats whose bytes are text.
var textFormats = map[string]bool{"txt": true, "md": true, "csv": true, "html": true}

// documentText is a document's text, when it is text: a text source, or the bytes of a text
// format.
func documentText(d *DocumentBlock) (string, bool) {
	switch {
	case d.Source.Text != nil:
		return *d.Source.Text, *d.Source.Text != ""
	case len(d.Source.Bytes) > 0 && textFormats[d.Format] && utf8.Valid(d.Source.Bytes):
		return string(d.Source.Bytes), true
	}
	return "", false
}

// firstText is the text of a searchResult's first content block.
func firstText(content json.RawMessage) (string, bool) {
	var blocks []struct {
		Text string `json:"text"`
	}
	if json.Unmarshal(content, &blocks) != nil || len(blocks) == 0 || blocks[0].Text == "" {
		return "", false
	}
	return blocks[0].Text, true
}

// firstSentence is text up to and including the first sentence end (". ", "! ", "? " or a
// line break) with the white space after it, or all of text.
func firstSentence(text string) string {
	for i := 0; i < len(text); i++ {
		end := text[i] == '\n'
		if strings.ContainsRune(".!?", rune(text[i])) && i+1 < len(text) && (text[i+1] == ' ' || text[i+1] == '\n') {
			end, i = true, i+1
		}
		if end {
			j := i + 1
			for j < len(text) && text[j] == ' ' {
				j++
			}
			return text[:j]
		}
	}
	return text
}
