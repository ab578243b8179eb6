package emulator_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// Every ContentBlock member the API model defines goes through the Go SDK's serializer and
// is decoded and accepted by the emulator, as the journal shows.
func TestEveryContentBlock(t *testing.T) {
	t.Parallel()
	srv, c := start(t)
	blocks := map[string]types.ContentBlock{
		"text":  &types.ContentBlockMemberText{Value: "hello"},
		"image": &types.ContentBlockMemberImage{Value: types.ImageBlock{Format: types.ImageFormatPng, Source: &types.ImageSourceMemberBytes{Value: pngBytes}}},
		"document": &types.ContentBlockMemberDocument{Value: types.DocumentBlock{Format: types.DocumentFormatPdf, Name: aws.String("Report (final)"),
			Source: &types.DocumentSourceMemberBytes{Value: pdfBytes}, Citations: &types.CitationsConfig{Enabled: aws.Bool(true)}}},
		"video":        &types.ContentBlockMemberVideo{Value: types.VideoBlock{Format: types.VideoFormatMp4, Source: &types.VideoSourceMemberS3Location{Value: types.S3Location{Uri: aws.String("s3://bucket/clip.mp4")}}}},
		"audio":        &types.ContentBlockMemberAudio{Value: types.AudioBlock{Format: types.AudioFormatWav, Source: &types.AudioSourceMemberBytes{Value: []byte("RIFF\x00\x00\x00\x00WAVE")}}},
		"guardContent": &types.ContentBlockMemberGuardContent{Value: &types.GuardrailConverseContentBlockMemberText{Value: types.GuardrailConverseTextBlock{Text: aws.String("check me")}}},
		"cachePoint":   &types.ContentBlockMemberCachePoint{Value: types.CachePointBlock{Type: types.CachePointTypeDefault}},
		"searchResult": &types.ContentBlockMemberSearchResult{Value: types.SearchResultBlock{Source: aws.String("https://example.com"), Title: aws.String("Example"),
			Content: []types.SearchResultContentBlock{{Text: aws.String("result text")}}}},
	}
	assistant := map[string]types.ContentBlock{
		"reasoningContent": &types.ContentBlockMemberReasoningContent{Value: &types.ReasoningContentBlockMemberReasoningText{Value: types.ReasoningTextBlock{Text: aws.String("thinking"), Signature: aws.String("sig")}}},
		"citationsContent": &types.ContentBlockMemberCitationsContent{Value: types.CitationsContentBlock{Content: []types.CitationGeneratedContent{&types.CitationGeneratedContentMemberText{Value: "cited"}}}},
		"toolUse":          &types.ContentBlockMemberToolUse{Value: types.ToolUseBlock{ToolUseId: aws.String("tooluse_1"), Name: aws.String("lookup"), Input: document.NewLazyDocument(map[string]any{"q": "x"})}},
	}
	result := &types.ContentBlockMemberToolResult{Value: types.ToolResultBlock{ToolUseId: aws.String("tooluse_1"), Status: types.ToolResultStatusError, Content: []types.ToolResultContentBlock{
		&types.ToolResultContentBlockMemberText{Value: "not found"},
		&types.ToolResultContentBlockMemberJson{Value: document.NewLazyDocument(map[string]any{"code": 404})},
		&types.ToolResultContentBlockMemberImage{Value: types.ImageBlock{Format: types.ImageFormatJpeg, Source: &types.ImageSourceMemberBytes{Value: jpegBytes}}},
	}}}

	var first, last []types.ContentBlock
	for _, b := range blocks {
		first = append(first, b)
	}
	var mid []types.ContentBlock
	for _, b := range assistant {
		mid = append(mid, b)
	}
	last = []types.ContentBlock{result}
	// An application inference profile resolves to the catalogue's permissive generic model.
	model := "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abcdef123456"
	out := testkit.Converse(t, c, &bedrockruntime.ConverseInput{
		ModelId: aws.String(model),
		Messages: []types.Message{
			{Role: types.ConversationRoleUser, Content: first},
			{Role: types.ConversationRoleAssistant, Content: mid},
			{Role: types.ConversationRoleUser, Content: last},
		},
		System:     []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: "sys"}, &types.SystemContentBlockMemberCachePoint{Value: types.CachePointBlock{Type: types.CachePointTypeDefault}}},
		ToolConfig: &types.ToolConfiguration{Tools: []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{Name: aws.String("lookup"), InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(map[string]any{"type": "object"})}}}}},
	})
	if !strings.Contains(testkit.ReplyText(t, out), "Result of tooluse_1 (error)") {
		t.Errorf("reply %q does not report the error tool result", testkit.ReplyText(t, out))
	}
	checkUsage(t, out.Usage)

	// The journal holds the request as received: every block kind decoded.
	entries := srv.Requests()
	req := string(entries[len(entries)-1].Request)
	for kind := range blocks {
		if !strings.Contains(req, `"`+kind+`"`) {
			t.Errorf("request lacks %s: %s", kind, req)
		}
	}
	if !strings.Contains(req, base64.StdEncoding.EncodeToString(pngBytes)) {
		t.Errorf("image bytes are not base64 in the request")
	}
}

// A reply with reasoning (text and signature, then redacted) and text renders as Bedrock's
// blocks in Converse and as reasoningContent deltas in ConverseStream.
func TestReasoningReply(t *testing.T) {
	t.Parallel()
	reply := func() *emulator.Reply {
		return &emulator.Reply{Content: []emulator.Block{
			{Reasoning: &emulator.Reasoning{Text: "Let me think about it.", Signature: "c2lnbmF0dXJl"}},
			{Reasoning: &emulator.Reasoning{Redacted: []byte{1, 2, 3}}},
			emulator.TextBlock("The answer."),
		}}
	}
	_, c := start(t, emulator.WithBehaviour(emulator.BehaviourFunc(func(context.Context, *emulator.Call) (*emulator.Reply, error) { return reply(), nil })))
	in := []types.Message{testkit.UserText("think")}
	out := testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: aws.String("us.anthropic.claude-sonnet-4-5-20250929-v1:0"), Messages: in})
	content := out.Output.(*types.ConverseOutputMemberMessage).Value.Content
	r0 := content[0].(*types.ContentBlockMemberReasoningContent).Value.(*types.ReasoningContentBlockMemberReasoningText).Value
	r1 := content[1].(*types.ContentBlockMemberReasoningContent).Value.(*types.ReasoningContentBlockMemberRedactedContent).Value
	if aws.ToString(r0.Text) != "Let me think about it." || aws.ToString(r0.Signature) != "c2lnbmF0dXJl" || !cmp.Equal(r1, []byte{1, 2, 3}) {
		t.Errorf("reasoning blocks = %+v, %v", r0, r1)
	}

	s := testkit.ConverseStream(t, c, &bedrockruntime.ConverseStreamInput{ModelId: aws.String("us.anthropic.claude-sonnet-4-5-20250929-v1:0"), Messages: in})
	if s.Err != nil {
		t.Fatal(s.Err)
	}
	if s.Reasoning != "Let me think about it." || s.Signature != "c2lnbmF0dXJl" || !cmp.Equal(s.Redacted, []byte{1, 2, 3}) || s.Text != "The answer." {
		t.Errorf("stream: thinking %q signature %q redacted %v text %q", s.Reasoning, s.Signature, s.Redacted, s.Text)
	}
	// Bedrock sends no contentBlockStart for reasoning or text (docs/wire-facts.md §3.4).
	if starts := strings.Count(strings.Join(s.Events, " "), "contentBlockStart"); starts != 0 {
		t.Errorf("%d contentBlockStart events, want none", starts)
	}
}

// cachePoint blocks: the first request writes the prefix to the cache, the same prefix
// again reads it; usage carries the cache fields and totalTokens adds them
// (docs/wire-facts.md §2.5 item 5).
func TestPromptCacheUsage(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	in := func(question string) *bedrockruntime.ConverseInput {
		return &bedrockruntime.ConverseInput{
			ModelId: aws.String("us.anthropic.claude-3-7-sonnet-20250219-v1:0"),
			System: []types.SystemContentBlock{
				&types.SystemContentBlockMemberText{Value: strings.Repeat("A long, stable system prompt. ", 40)},
				&types.SystemContentBlockMemberCachePoint{Value: types.CachePointBlock{Type: types.CachePointTypeDefault}},
			},
			Messages: []types.Message{testkit.UserText(question)},
		}
	}
	first := testkit.Converse(t, c, in("first question"))
	second := testkit.Converse(t, c, in("second question"))
	checkUsage(t, first.Usage)
	checkUsage(t, second.Usage)
	w, r := aws.ToInt32(first.Usage.CacheWriteInputTokens), aws.ToInt32(second.Usage.CacheReadInputTokens)
	if w != 300 || r != 300 || aws.ToInt32(first.Usage.CacheReadInputTokens) != 0 || aws.ToInt32(second.Usage.CacheWriteInputTokens) != 0 {
		t.Errorf("cache write %d then read %d, want 300 and 300", w, r)
	}
	if len(first.Usage.CacheDetails) != 1 || aws.ToInt32(first.Usage.CacheDetails[0].InputTokens) != 300 || first.Usage.CacheDetails[0].Ttl != types.CacheTTLFiveMinutes {
		t.Errorf("cacheDetails = %+v, want one 5m entry of 300 tokens", first.Usage.CacheDetails)
	}
}
