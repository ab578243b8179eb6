package emulator_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

const claudeHaiku = "anthropic.claude-3-haiku-20240307-v1:0"

// CountTokens counts what the same request reports as inputTokens, Converse-shaped and
// InvokeModel-shaped alike.
func TestCountTokens(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	ctx := context.Background()
	messages := []types.Message{testkit.UserText("What is the weather in Paris, and what should I wear there?"), testkit.AssistantText("Let me check."), testkit.UserText("Thanks.")}
	system := []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: "You are a helpful travel assistant."}}
	tools := &types.ToolConfiguration{Tools: []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{
		Name: aws.String("get_weather"), Description: aws.String("Get the weather for a location"),
		InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(map[string]any{
			"type": "object", "properties": map[string]any{"location": map[string]any{"type": "string"}}})},
	}}}}

	out := testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: aws.String(claudeHaiku), Messages: messages, System: system, ToolConfig: tools})
	counted, err := c.CountTokens(ctx, &bedrockruntime.CountTokensInput{ModelId: aws.String(claudeHaiku),
		Input: &types.CountTokensInputMemberConverse{Value: types.ConverseTokensRequest{Messages: messages, System: system, ToolConfig: tools}}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := aws.ToInt32(counted.InputTokens), aws.ToInt32(out.Usage.InputTokens); got != want || got == 0 {
		t.Errorf("CountTokens = %d, Converse inputTokens = %d: want them equal and not 0", got, want)
	}

	body := []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":100,"system":"Be brief.",
		"messages":[{"role":"user","content":[{"type":"text","text":"Tell me a long story about the sea."}]}]}`)
	inv, err := c.InvokeModel(ctx, &bedrockruntime.InvokeModelInput{ModelId: aws.String(claudeHaiku), Body: body})
	if err != nil {
		t.Fatal(err)
	}
	header := awsmiddleware.GetRawResponse(inv.ResultMetadata).(*smithyhttp.Response).Header
	counted, err = c.CountTokens(ctx, &bedrockruntime.CountTokensInput{ModelId: aws.String(claudeHaiku),
		Input: &types.CountTokensInputMemberInvokeModel{Value: types.InvokeModelTokensRequest{Body: body}}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strconv.Itoa(int(aws.ToInt32(counted.InputTokens))), header.Get("X-Amzn-Bedrock-Input-Token-Count"); got != want {
		t.Errorf("CountTokens = %s, InvokeModel X-Amzn-Bedrock-Input-Token-Count = %s: want them equal", got, want)
	}
}

func TestCountTokensErrors(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	hello := &types.CountTokensInputMemberConverse{Value: types.ConverseTokensRequest{Messages: []types.Message{testkit.UserText("Hello, world!")}}}
	for _, tc := range []struct {
		name, model       string
		input             types.CountTokensInput
		wantCode, wantMsg string
	}{
		// pydantic-ai's test_bedrock_inference_profile_count_tokens.yaml: 200 for a model
		// that runs through profiles only, named by its foundation model ID.
		{name: "profile-only model by its ID", model: "anthropic.claude-sonnet-4-20250514-v1:0", input: hello},
		{"inference profile", "us.anthropic.claude-sonnet-4-20250514-v1:0", hello, "ValidationException", "The provided model doesn't support counting tokens."},
		{"not Claude", "amazon.nova-micro-v1:0", hello, "ValidationException", "The provided model doesn't support counting tokens."},
		// pydantic-ai's test_bedrock_count_tokens_error.yaml.
		{"unknown model", "does-not-exist-model-v1:0", hello, "ValidationException", "The provided model identifier is invalid."},
		{"conversation rules apply", claudeHaiku, &types.CountTokensInputMemberConverse{Value: types.ConverseTokensRequest{
			Messages: []types.Message{testkit.UserText("a"), testkit.UserText("b")}}}, "ValidationException",
			"A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again."},
		{"malformed native body", claudeHaiku, &types.CountTokensInputMemberInvokeModel{Value: types.InvokeModelTokensRequest{Body: []byte(`{"messages":[]}`)}},
			"ValidationException", `Malformed input request: #: subject must not be valid against schema {"required":["messages"]}#: required key [max_tokens] not found#: required key [anthropic_version] not found, please reformat your input and try again.`},
		{"over 200,000 tokens", claudeHaiku, &types.CountTokensInputMemberConverse{Value: types.ConverseTokensRequest{
			Messages: []types.Message{testkit.UserText(strings.Repeat("abcd", 200001))}}}, "ValidationException", "prompt is too long: 200001 tokens > 200000 maximum"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, err := c.CountTokens(context.Background(), &bedrockruntime.CountTokensInput{ModelId: aws.String(tc.model), Input: tc.input})
			if tc.wantCode == "" {
				if err != nil || aws.ToInt32(out.InputTokens) == 0 {
					t.Fatalf("CountTokens = %+v, %v", out, err)
				}
				return
			}
			code, msg := testkit.APIError(t, err)
			if code != tc.wantCode || msg != tc.wantMsg {
				t.Errorf("error = %s %q, want %s %q", code, msg, tc.wantCode, tc.wantMsg)
			}
		})
	}
}
