package emulator_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

const (
	haiku45 = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
	nova2   = "us.amazon.nova-2-lite-v1:0"
)

// blockKinds names a Converse reply's blocks.
func blockKinds(t *testing.T, out *bedrockruntime.ConverseOutput) []string {
	t.Helper()
	var kinds []string
	for _, b := range testkit.Message(t, out).Content {
		switch b := b.(type) {
		case *types.ContentBlockMemberText:
			kinds = append(kinds, "text")
		case *types.ContentBlockMemberReasoningContent:
			kinds = append(kinds, "reasoning")
		case *types.ContentBlockMemberCitationsContent:
			kinds = append(kinds, "citations")
		case *types.ContentBlockMemberToolUse:
			kinds = append(kinds, "toolUse")
		default:
			kinds = append(kinds, fmt.Sprintf("%T", b))
		}
	}
	return kinds
}

// TestReasoningAskedFor: Claude with thinking or reasoning_config enabled, and Nova 2 Lite
// with reasoningConfig enabled, answer a reasoning block before the text, the same every
// time; Claude's has text and a signature, Nova 2's is "[REDACTED]." without one, as recorded
// (testdata/real-traffic ruby_llm *thinking*, *nova_2_reasoning*). A stream sends Claude's as
// text deltas then a signature delta.
func TestReasoningAskedFor(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	tests := []struct {
		name, model, fields string
		wantText            string // "" means any non-empty text
		wantSignature       bool
	}{
		{"Claude reasoning_config", haiku45, `{"reasoning_config":{"type":"enabled","budget_tokens":1024}}`, "", true},
		{"Claude thinking", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", `{"thinking":{"type":"enabled","budget_tokens":1024}}`, "", true},
		{"Claude 3.7 thinking", "us.anthropic.claude-3-7-sonnet-20250219-v1:0", `{"thinking":{"type":"enabled","budget_tokens":1024}}`, "", true},
		{"Nova 2 reasoningConfig", nova2, `{"reasoningConfig":{"type":"enabled","maxReasoningEffort":"low"}}`, "[REDACTED].", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var fields map[string]any
			if err := json.Unmarshal([]byte(tt.fields), &fields); err != nil {
				t.Fatal(err)
			}
			in := &bedrockruntime.ConverseInput{ModelId: aws.String(tt.model), Messages: []types.Message{testkit.UserText("What is 15 * 23?")},
				AdditionalModelRequestFields: document.NewLazyDocument(fields)}
			out := testkit.Converse(t, c, in)
			if diff := cmp.Diff([]string{"reasoning", "text"}, blockKinds(t, out)); diff != "" {
				t.Fatalf("blocks (-want +got):\n%s", diff)
			}
			rt := testkit.Message(t, out).Content[0].(*types.ContentBlockMemberReasoningContent).Value.(*types.ReasoningContentBlockMemberReasoningText).Value
			text, sig := aws.ToString(rt.Text), aws.ToString(rt.Signature)
			if text == "" || tt.wantText != "" && text != tt.wantText || (sig != "") != tt.wantSignature {
				t.Errorf("reasoning text %q signature %q, want text %q and a signature: %v", text, sig, tt.wantText, tt.wantSignature)
			}
			again := testkit.Message(t, testkit.Converse(t, c, in)).Content[0].(*types.ContentBlockMemberReasoningContent).Value.(*types.ReasoningContentBlockMemberReasoningText).Value
			if aws.ToString(again.Text) != text || aws.ToString(again.Signature) != sig {
				t.Errorf("a second call reasoned %q %q, want the same as the first", aws.ToString(again.Text), aws.ToString(again.Signature))
			}
			if out.Usage == nil || int(aws.ToInt32(out.Usage.OutputTokens)) <= len(testkit.ReplyText(t, out))/4 {
				t.Errorf("output tokens %v do not count the reasoning", out.Usage)
			}

			s := testkit.ConverseStream(t, c, &bedrockruntime.ConverseStreamInput{ModelId: in.ModelId, Messages: in.Messages, AdditionalModelRequestFields: in.AdditionalModelRequestFields})
			if s.Reasoning != text || s.Signature != sig {
				t.Errorf("stream reasoned %q signed %q, want %q %q", s.Reasoning, s.Signature, text, sig)
			}
		})
	}

	// Not asked for, or asked of a model without it: no reasoning.
	for _, in := range []*bedrockruntime.ConverseInput{
		{ModelId: aws.String(haiku45), Messages: []types.Message{testkit.UserText("Hi")}},
		{ModelId: aws.String(haiku45), Messages: []types.Message{testkit.UserText("Hi")},
			AdditionalModelRequestFields: document.NewLazyDocument(map[string]any{"thinking": map[string]any{"type": "disabled"}})},
		{ModelId: aws.String("anthropic.claude-3-haiku-20240307-v1:0"), Messages: []types.Message{testkit.UserText("Hi")},
			AdditionalModelRequestFields: document.NewLazyDocument(map[string]any{"thinking": map[string]any{"type": "enabled", "budget_tokens": 1024}})},
	} {
		if diff := cmp.Diff([]string{"text"}, blockKinds(t, testkit.Converse(t, c, in))); diff != "" {
			t.Errorf("%s %v: blocks (-want +got):\n%s", aws.ToString(in.ModelId), in.AdditionalModelRequestFields, diff)
		}
	}
}

// rubyFacts is the document of the recorded citation requests (ruby_llm
// chat_citations_with_bedrock_claude-haiku-4-5_*.yml).
const rubyFacts = "The Ruby programming language was created by Yukihiro Matsumoto in 1993. Ruby was designed to make programmers happy and productive. Ruby on Rails is a popular web framework built with Ruby. RubyLLM is a Ruby library for working with large language models.\n"

// TestCitationsAskedFor: a text document with citations enabled gets a citationsContent
// block citing its first sentence, with the location, source content and title Claude Haiku
// 4.5 was recorded answering for the same document; a stream sends the citation delta then
// the text deltas in one block.
func TestCitationsAskedFor(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	msgs := []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{
		&types.ContentBlockMemberText{Value: "Who created Ruby and when? Use the document."},
		&types.ContentBlockMemberDocument{Value: types.DocumentBlock{Format: types.DocumentFormatTxt, Name: aws.String("facts"),
			Source:    &types.DocumentSourceMemberText{Value: rubyFacts},
			Citations: &types.CitationsConfig{Enabled: aws.Bool(true)}}},
	}}}
	out := testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: aws.String(haiku45), Messages: msgs})
	if diff := cmp.Diff([]string{"citations"}, blockKinds(t, out)); diff != "" {
		t.Fatalf("blocks (-want +got):\n%s", diff)
	}
	cc := testkit.Message(t, out).Content[0].(*types.ContentBlockMemberCitationsContent).Value
	first := "The Ruby programming language was created by Yukihiro Matsumoto in 1993. "
	if len(cc.Citations) != 1 || len(cc.Content) != 1 {
		t.Fatalf("citations %d, content %d, want 1 and 1", len(cc.Citations), len(cc.Content))
	}
	cit := cc.Citations[0]
	loc, ok := cit.Location.(*types.CitationLocationMemberDocumentChar)
	if !ok || aws.ToInt32(loc.Value.DocumentIndex) != 0 || aws.ToInt32(loc.Value.Start) != 0 || aws.ToInt32(loc.Value.End) != 73 {
		t.Errorf("location %#v, want documentChar 0, 0..73 as recorded", cit.Location)
	}
	if aws.ToString(cit.Title) != "facts" || len(cit.SourceContent) != 1 || cit.SourceContent[0].(*types.CitationSourceContentMemberText).Value != first {
		t.Errorf("title %q, source content %#v, want facts and %q", aws.ToString(cit.Title), cit.SourceContent, first)
	}
	if got := cc.Content[0].(*types.CitationGeneratedContentMemberText).Value; got != strings.TrimSpace(first) {
		t.Errorf("generated %q, want %q", got, strings.TrimSpace(first))
	}

	s := testkit.ConverseStream(t, c, &bedrockruntime.ConverseStreamInput{ModelId: aws.String(haiku45), Messages: msgs})
	if len(s.Citations) != 1 || s.Text != strings.TrimSpace(first) {
		t.Errorf("stream: %d citation deltas, text %q; want 1 and %q", len(s.Citations), s.Text, strings.TrimSpace(first))
	}
	if diff := cmp.Diff([]string{"messageStart", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"}, fold(s.Events)); diff != "" {
		t.Errorf("stream events (-want +got):\n%s", diff)
	}

	// Citations not enabled, or a model without them: plain text.
	plain := []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{
		&types.ContentBlockMemberText{Value: "Who created Ruby?"},
		&types.ContentBlockMemberDocument{Value: types.DocumentBlock{Format: types.DocumentFormatTxt, Name: aws.String("facts"), Source: &types.DocumentSourceMemberText{Value: rubyFacts}}},
	}}}
	if diff := cmp.Diff([]string{"text"}, blockKinds(t, testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: aws.String(haiku45), Messages: plain}))); diff != "" {
		t.Errorf("without citations enabled: blocks (-want +got):\n%s", diff)
	}
}

// TestCitationsOfSearchResults: a searchResult with citations enabled in a toolResult gets a
// citation of its first content block (searchResultLocation), as recorded (ruby_llm
// chat_citations_with_bedrock_claude-haiku-4-5_cites_tool_results_returned_as_search_results.yml).
func TestCitationsOfSearchResults(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	tools := &types.ToolConfiguration{Tools: []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{
		Name: aws.String("knowledge_base"), InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(map[string]any{"type": "object"})}}}}}
	msgs := []types.Message{
		testkit.UserText("Who created Ruby? Search the knowledge base first and cite your sources."),
		{Role: types.ConversationRoleAssistant, Content: []types.ContentBlock{&types.ContentBlockMemberToolUse{Value: types.ToolUseBlock{
			ToolUseId: aws.String("tooluse_1"), Name: aws.String("knowledge_base"), Input: document.NewLazyDocument(map[string]any{"query": "Ruby"})}}}},
		{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberToolResult{Value: types.ToolResultBlock{
			ToolUseId: aws.String("tooluse_1"), Content: []types.ToolResultContentBlock{&types.ToolResultContentBlockMemberSearchResult{Value: types.SearchResultBlock{
				Source: aws.String("https://example.com/ruby-facts"), Title: aws.String("Ruby Facts"),
				Content:   []types.SearchResultContentBlock{{Text: aws.String("The Ruby programming language was created by Yukihiro Matsumoto in 1993.")}},
				Citations: &types.CitationsConfig{Enabled: aws.Bool(true)}}}}}}}},
	}
	out := testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: aws.String(haiku45), Messages: msgs, ToolConfig: tools})
	if diff := cmp.Diff([]string{"citations"}, blockKinds(t, out)); diff != "" {
		t.Fatalf("blocks (-want +got):\n%s", diff)
	}
	cit := testkit.Message(t, out).Content[0].(*types.ContentBlockMemberCitationsContent).Value.Citations[0]
	loc, ok := cit.Location.(*types.CitationLocationMemberSearchResultLocation)
	if !ok || aws.ToInt32(loc.Value.SearchResultIndex) != 0 || aws.ToInt32(loc.Value.Start) != 0 || aws.ToInt32(loc.Value.End) != 1 ||
		aws.ToString(cit.Source) != "https://example.com/ruby-facts" || aws.ToString(cit.Title) != "Ruby Facts" {
		t.Errorf("citation %#v (location %#v), want searchResultLocation 0, 0..1 with the result's source and title", cit, cit.Location)
	}
}

// TestStructuredOutput: outputConfig with a JSON schema gets a text block holding JSON that
// the schema's required properties are in, in the schema's order, as Claude Haiku 4.5 was
// recorded answering (ruby_llm chat_with_schema_*.yml: {"name":"John","age":30}).
func TestStructuredOutput(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	schema := `{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"}},"required":["name","age"],"additionalProperties":false}`
	out := testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: aws.String(haiku45),
		Messages: []types.Message{testkit.UserText("Generate a person named John who is 30 years old")},
		OutputConfig: &types.OutputConfig{TextFormat: &types.OutputFormat{Type: types.OutputFormatTypeJsonSchema,
			Structure: &types.OutputFormatStructureMemberJsonSchema{Value: types.JsonSchemaDefinition{Schema: aws.String(schema), Name: aws.String("response")}}}}})
	text := testkit.ReplyText(t, out)
	var person struct {
		Name *string
		Age  *int
	}
	if err := json.Unmarshal([]byte(text), &person); err != nil || person.Name == nil || person.Age == nil || !strings.HasPrefix(text, `{"name":`) {
		t.Errorf("structured output %q (%v), want JSON with name then age", text, err)
	}
}

// TestUsageKeysPerModel: Claude 4.5's Converse usage has the cache counts as zeros without
// a cachePoint, Nova 2's and Claude 3's have none, and no stream's has them (recorded, see
// docs/wire-facts.md §8). The SDK does not decode serverToolUsage; the replay test of the
// recordings checks it on the wire.
func TestUsageKeysPerModel(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	for _, tt := range []struct {
		model string
		zeros bool
	}{{haiku45, true}, {"us.anthropic.claude-sonnet-4-5-20250929-v1:0", true}, {nova2, false}, {"anthropic.claude-3-haiku-20240307-v1:0", false}} {
		msgs := []types.Message{testkit.UserText("Hi")}
		u := testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: aws.String(tt.model), Messages: msgs}).Usage
		if got := u.CacheReadInputTokens != nil && u.CacheWriteInputTokens != nil && *u.CacheReadInputTokens == 0 && *u.CacheWriteInputTokens == 0; got != tt.zeros {
			t.Errorf("%s: Converse usage %+v, want the cache zeros: %v", tt.model, u, tt.zeros)
		}
		s := testkit.ConverseStream(t, c, &bedrockruntime.ConverseStreamInput{ModelId: aws.String(tt.model), Messages: msgs})
		if s.Usage == nil || s.Usage.CacheReadInputTokens != nil {
			t.Errorf("%s: stream usage %+v, want no cache counts", tt.model, s.Usage)
		}
	}
}

// fold drops repeats of an event kind in a row.
func fold(events []string) []string {
	var out []string
	for _, e := range events {
		if len(out) == 0 || out[len(out)-1] != e {
			out = append(out, e)
		}
	}
	return out
}
