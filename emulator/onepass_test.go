package emulator_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/api"
	"github.com/bedrock-emulator/bedrock-emulator/internal/spec"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// TestRealBodiesReadInOnePass: the Converse bodies real clients send are read in one pass,
// without the generic tree that only invalid bodies need (spec.DecodeBody): those the AWS
// SDK for Go sends, with every kind of content block and configuration it serializes, and
// the valid ones of the real recordings (clients in Python, JavaScript, Ruby, Go, PHP and
// Elixir; SOURCES.md).
func TestRealBodiesReadInOnePass(t *testing.T) {
	t.Parallel()
	srv := emulator.NewServer()
	t.Cleanup(srv.Close)
	c := testkit.Client(srv.URL)
	model := aws.String("anthropic.claude-3-5-sonnet-20240620-v1:0")
	toolUseID := aws.String("tooluse_1")
	testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: model,
		System:   []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: "Be brief."}},
		Messages: []types.Message{testkit.UserText("hi"), testkit.AssistantText("Hello."), testkit.UserText("Again, \"quoted\"\n\té")},
		InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(100), Temperature: aws.Float32(0.5),
			TopP: aws.Float32(0.9), StopSequences: []string{"END"}},
		RequestMetadata: map[string]string{"team": "search"},
	})
	testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: model, Messages: []types.Message{{Role: types.ConversationRoleUser,
		Content: []types.ContentBlock{
			&types.ContentBlockMemberText{Value: "What is in these?"},
			&types.ContentBlockMemberImage{Value: types.ImageBlock{Format: types.ImageFormatPng,
				Source: &types.ImageSourceMemberBytes{Value: []byte("\x89PNG\r\n\x1a\n")}}},
			&types.ContentBlockMemberDocument{Value: types.DocumentBlock{Format: types.DocumentFormatTxt, Name: aws.String("notes"),
				Source: &types.DocumentSourceMemberBytes{Value: []byte("some notes")}}},
		}}}})
	tools := &types.ToolConfiguration{
		Tools: []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{Name: aws.String("get_weather"),
			Description: aws.String("The weather of a city"),
			InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(map[string]any{
				"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}}, "required": []string{"city"}})}}}},
		ToolChoice: &types.ToolChoiceMemberAuto{},
	}
	testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: model, ToolConfig: tools,
		AdditionalModelRequestFields: document.NewLazyDocument(map[string]any{"top_k": 5}),
		Messages: []types.Message{
			testkit.UserText("Weather in Paris?"),
			{Role: types.ConversationRoleAssistant, Content: []types.ContentBlock{&types.ContentBlockMemberToolUse{Value: types.ToolUseBlock{
				ToolUseId: toolUseID, Name: aws.String("get_weather"), Input: document.NewLazyDocument(map[string]any{"city": "Paris"})}}}},
			{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberToolResult{Value: types.ToolResultBlock{
				ToolUseId: toolUseID, Status: types.ToolResultStatusSuccess, Content: []types.ToolResultContentBlock{
					&types.ToolResultContentBlockMemberJson{Value: document.NewLazyDocument(map[string]any{"celsius": 21})}}}}}},
		}})
	testkit.ConverseStream(t, c, &bedrockruntime.ConverseStreamInput{ModelId: model, Messages: []types.Message{testkit.UserText("stream")}})

	entries, err := srv.Wait(context.Background(), 4)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Status != 200 || !spec.ReadsInOnePass(e.Operation, e.Request, &emulator.ConverseRequest{}) {
			t.Errorf("%s from the AWS SDK for Go: status %d, not read in one pass:\n%s", e.Operation, e.Status, e.Request)
		}
	}

	checked := 0
	for _, name := range addedRecordings(t) {
		rec, _, err := testkit.ImportReal(name)
		if err != nil {
			t.Fatalf("import %s: %v", name, err)
		}
		for _, i := range rec.Interactions {
			op, _, ok := api.ModelOperation(i.Request.URL)
			if !ok || op != emulator.OpConverse && op != emulator.OpConverseStream {
				continue
			}
			body := []byte(i.Request.Body)
			if vs, err := spec.DecodeBody(op, body, &emulator.ConverseRequest{}); vs != nil || err != nil {
				continue // the tree path's: it has violations to word
			}
			checked++
			if !spec.ReadsInOnePass(op, body, &emulator.ConverseRequest{}) {
				t.Errorf("%s #%d: valid, and not read in one pass:\n%s", name, i.ID, body)
			}
		}
	}
	if checked < 20 {
		t.Errorf("%d valid Converse bodies among the recordings, want at least 20", checked)
	}
}
