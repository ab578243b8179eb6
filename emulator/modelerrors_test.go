package emulator_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// The model's own validation errors, in Bedrock's words and at Bedrock's place in the
// exchange: Converse answers HTTP 400; ConverseStream answers HTTP 200 and then a single
// validationException frame, with no event before it (the request of agentjido/req_llm
// test/support/fixtures/amazon_bedrock/amazon_nova_lite_v1_0/converse_stream_validation_exception.json).
// Bedrock's own checks still come before the stream.
func TestModelErrors(t *testing.T) {
	t.Parallel()
	srv, c := start(t)
	text := func(s string) types.ContentBlock { return &types.ContentBlockMemberText{Value: s} }
	user := func(blocks ...types.ContentBlock) types.Message {
		return types.Message{Role: types.ConversationRoleUser, Content: blocks}
	}
	// The req_llm request: "these bytes are not a PNG image", declared png.
	notPNG := &types.ContentBlockMemberImage{Value: types.ImageBlock{Format: types.ImageFormatPng,
		Source: &types.ImageSourceMemberBytes{Value: []byte("these bytes are not a PNG image")}}}
	jpeg := &types.ContentBlockMemberImage{Value: types.ImageBlock{Format: types.ImageFormatPng,
		Source: &types.ImageSourceMemberBytes{Value: []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00")}}}
	// The pydantic-ai conversation: a tool call, then a video s3Location as its result.
	useID := aws.String("tooluse_UheAtnsjflUoKnrs988zuT")
	getFile := &types.ToolConfiguration{Tools: []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{
		Name: aws.String("get_file"), InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(map[string]any{"type": "object", "properties": map[string]any{}})}}}},
		ToolChoice: &types.ToolChoiceMemberAuto{}}
	videoResult := []types.Message{
		user(text("Use the get_file tool now to retrieve a video file, then describe what you received.")),
		{Role: types.ConversationRoleAssistant, Content: []types.ContentBlock{&types.ContentBlockMemberToolUse{Value: types.ToolUseBlock{
			ToolUseId: useID, Name: aws.String("get_file"), Input: document.NewLazyDocument(map[string]any{})}}}},
		user(&types.ContentBlockMemberToolResult{Value: types.ToolResultBlock{ToolUseId: useID, Status: types.ToolResultStatusSuccess,
			Content: []types.ToolResultContentBlock{&types.ToolResultContentBlockMemberVideo{Value: types.VideoBlock{Format: types.VideoFormatMp4,
				Source: &types.VideoSourceMemberS3Location{Value: types.S3Location{Uri: aws.String("s3://pydantic-ai-test-files/test-files/small_video.mp4")}}}}}}}),
	}
	// The ruby_llm conversation: turns of a million characters each, over Nova 2 Lite's
	// context window of a million tokens.
	var massive []types.Message
	for i := range 9 {
		role := types.ConversationRoleUser
		if i%2 == 1 {
			role = types.ConversationRoleAssistant
		}
		massive = append(massive, types.Message{Role: role, Content: []types.ContentBlock{text(strings.Repeat("a", 1_000_000))}})
	}
	const (
		mimeMsg   = "The model returned the following errors: The detected file MIME type text/plain does not match the expected type image/png. Reformat your input and try again."
		tokensMsg = "The model returned the following errors: Input Tokens Exceeded: Number of input tokens exceeds maximum length. Please update the input to try again."
	)
	for _, tc := range []struct {
		name     string
		model    string
		msgs     []types.Message
		tools    *types.ToolConfiguration
		inStream bool // ConverseStream answers HTTP 200 and the error in the stream
		want     string
	}{
		{"text declared as png (Nova Lite)", "amazon.nova-lite-v1:0", []types.Message{user(text("Describe this image."), notPNG)}, nil, true, mimeMsg},
		{"jpeg declared as png (Nova Pro)", "amazon.nova-pro-v1:0", []types.Message{user(text("Describe this image."), jpeg)}, nil, true,
			"The model returned the following errors: The detected file MIME type image/jpeg does not match the expected type image/png. Reformat your input and try again."},
		{"a video in a toolResult (Nova 2 Lite)", "us.amazon.nova-2-lite-v1:0", videoResult, getFile, true,
			"The model returned the following errors: Malformed input request: #/messages/2/content/0: extraneous key [toolResult] is not permitted, please reformat your input and try again."},
		{"input over the context window (Nova 2 Lite)", "us.amazon.nova-2-lite-v1:0", massive, nil, true, tokensMsg},
		{"input over the context window (Nova Micro)", "amazon.nova-micro-v1:0", []types.Message{user(text(strings.Repeat("a ", 300_000)))}, nil, true, tokensMsg},
		{"Bedrock's own check first (Nova Lite)", "amazon.nova-lite-v1:0", []types.Message{user(text("   "), notPNG)}, nil, false,
			"The text field in the ContentBlock object at messages.0.content.0 is blank. Add text to the text field, and try again."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(tc.model), Messages: tc.msgs, ToolConfig: tc.tools})
			if code, msg := testkit.APIError(t, err); code != "ValidationException" || msg != tc.want {
				t.Errorf("Converse: %s %q, want ValidationException %q", code, msg, tc.want)
			}
			out, err := c.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: aws.String(tc.model), Messages: tc.msgs, ToolConfig: tc.tools})
			if !tc.inStream {
				if code, msg := testkit.APIError(t, err); code != "ValidationException" || msg != tc.want {
					t.Errorf("ConverseStream: %s %q before the stream, want ValidationException %q", code, msg, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("ConverseStream: %v; want HTTP 200 and the error in the stream", err)
			}
			stream := testkit.ReadStream(t, out)
			if code, msg := testkit.APIError(t, stream.Err); len(stream.Events) != 0 || code != "ValidationException" || msg != tc.want {
				t.Errorf("stream: events %v, then %s %q; want no event, then ValidationException %q", stream.Events, code, msg, tc.want)
			}
		})
	}
	t.Cleanup(func() {
		// After the subtests: the journal has the stream's status, 200, and its error.
		for _, e := range srv.Requests() {
			if e.Operation == "ConverseStream" && e.Error != nil && e.Error.Message == mimeMsg {
				if e.Status != http.StatusOK {
					t.Errorf("journal: status %d for the in-stream error, want 200", e.Status)
				}
				return
			}
		}
		t.Error("journal: no ConverseStream call with the in-stream error")
	})
}

// CountTokens refuses an Anthropic server tool as Bedrock does (pydantic/pydantic-ai
// tests/models/cassettes/test_anthropic_bedrock_count_tokens/test_anthropic_bedrock_count_tokens_rejects_server_tools.yaml:
// its request body, and the message).
func TestCountTokensServerTool(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	body, _ := json.Marshal(map[string]any{"anthropic_version": "bedrock-2023-05-31", "max_tokens": 1024,
		"messages": []any{map[string]any{"role": "user", "content": "What is the weather in Paris today?"}},
		"tools":    []any{map[string]any{"type": "web_search_20250305", "name": "web_search"}}})
	_, err := c.CountTokens(context.Background(), &bedrockruntime.CountTokensInput{ModelId: aws.String("anthropic.claude-sonnet-4-20250514-v1:0"),
		Input: &types.CountTokensInputMemberInvokeModel{Value: types.InvokeModelTokensRequest{Body: body}}})
	want := "tools.0: Input tag 'web_search_20250305' found using 'type' does not match any of the expected tags: 'bash_20250124', 'custom', 'text_editor_20250124', 'text_editor_20250429', 'text_editor_20250728'"
	if code, msg := testkit.APIError(t, err); code != "ValidationException" || msg != want {
		t.Errorf("CountTokens: %s %q, want ValidationException %q", code, msg, want)
	}
}

// The in-stream error byte for byte: agentjido/req_llm's recorded request to Nova Lite
// (test/support/fixtures/amazon_bedrock/amazon_nova_lite_v1_0/converse_stream_validation_exception.json,
// Apache-2.0) gets HTTP 200, the event-stream content type and the one frame Bedrock sent,
// both given here in base64 as recorded.
func TestModelErrorStreamWire(t *testing.T) {
	t.Parallel()
	srv, _ := start(t)
	const (
		body  = "eyJpbmZlcmVuY2VDb25maWciOnsibWF4VG9rZW5zIjoxNn0sIm1lc3NhZ2VzIjpbeyJjb250ZW50IjpbeyJ0ZXh0IjoiRGVzY3JpYmUgdGhpcyBpbWFnZS4ifSx7ImltYWdlIjp7ImZvcm1hdCI6InBuZyIsInNvdXJjZSI6eyJieXRlcyI6ImRHaGxjMlVnWW5sMFpYTWdZWEpsSUc1dmRDQmhJRkJPUnlCcGJXRm5aUT09In19fV0sInJvbGUiOiJ1c2VyIn1dfQ=="
		frame = "AAABHQAAAGEMuw4xDzpleGNlcHRpb24tdHlwZQcAE3ZhbGlkYXRpb25FeGNlcHRpb24NOmNvbnRlbnQtdHlwZQcAEGFwcGxpY2F0aW9uL2pzb24NOm1lc3NhZ2UtdHlwZQcACWV4Y2VwdGlvbnsibWVzc2FnZSI6IlRoZSBtb2RlbCByZXR1cm5lZCB0aGUgZm9sbG93aW5nIGVycm9yczogVGhlIGRldGVjdGVkIGZpbGUgTUlNRSB0eXBlIHRleHQvcGxhaW4gZG9lcyBub3QgbWF0Y2ggdGhlIGV4cGVjdGVkIHR5cGUgaW1hZ2UvcG5nLiBSZWZvcm1hdCB5b3VyIGlucHV0IGFuZCB0cnkgYWdhaW4uIn1RM9la"
	)
	req, _ := base64.StdEncoding.DecodeString(body)
	resp := post(t, srv.URL+"/model/amazon.nova-lite-v1:0/converse-stream", string(req), nil)
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	want, _ := base64.StdEncoding.DecodeString(frame)
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || ct != "application/vnd.amazon.eventstream" || !bytes.Equal(got, want) {
		t.Errorf("HTTP %d, %s:\n%q\nwant HTTP 200, application/vnd.amazon.eventstream:\n%q", resp.StatusCode, ct, got, want)
	}
}
