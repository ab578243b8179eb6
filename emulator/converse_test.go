package emulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	smithydoc "github.com/aws/smithy-go/document"
	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// Minimal files of each format, enough for the format checks.
var (
	pngBytes  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")
	jpegBytes = []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00}
	webpBytes = []byte("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00")
	pdfBytes  = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
)

// The seed walkthrough (seeds/003): a basic call, the reply appended, an image turn, then a
// system prompt, all against Claude 3 Sonnet; then response metadata.
func TestSeedWalkthrough(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	model := aws.String("anthropic.claude-3-sonnet-20240229-v1:0")
	cfg := &types.InferenceConfiguration{MaxTokens: aws.Int32(2000), Temperature: aws.Float32(0)}

	msgs := []types.Message{testkit.UserText("How are you today?")}
	out := testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: model, Messages: msgs, InferenceConfig: cfg})
	if got := testkit.ReplyText(t, out); !strings.Contains(got, "How are you today?") {
		t.Errorf("reply %q does not quote the prompt", got)
	}
	msgs = append(msgs, out.Output.(*types.ConverseOutputMemberMessage).Value)

	msgs = append(msgs, types.Message{Role: types.ConversationRoleUser, Content: []types.ContentBlock{
		&types.ContentBlockMemberText{Value: "Image 1:"},
		&types.ContentBlockMemberImage{Value: types.ImageBlock{Format: types.ImageFormatWebp, Source: &types.ImageSourceMemberBytes{Value: webpBytes}}},
		&types.ContentBlockMemberText{Value: "Please describe the image."},
	}})
	out = testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: model, Messages: msgs, InferenceConfig: cfg})
	msgs = append(msgs, out.Output.(*types.ConverseOutputMemberMessage).Value)

	msgs = append(msgs, testkit.UserText("Can you please summarize our conversation so far?"))
	out = testkit.Converse(t, c, &bedrockruntime.ConverseInput{
		ModelId: model, Messages: msgs, InferenceConfig: cfg,
		System: []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: "Please respond to all requests in the style of a pirate."}},
	})
	if out.StopReason != types.StopReasonEndTurn {
		t.Errorf("stopReason = %q, want end_turn", out.StopReason)
	}
	checkUsage(t, out.Usage)
	if out.Metrics == nil || aws.ToInt64(out.Metrics.LatencyMs) <= 0 {
		t.Errorf("metrics = %+v, want a positive latencyMs", out.Metrics)
	}
}

// The aws-samples notebook (seeds/002): one-shot calls across its ten models, with
// temperature, maxTokens and topP; and the same through ConverseStream.
func TestSeedModels(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	for _, id := range []string{
		"amazon.titan-text-express-v1",
		"amazon.titan-text-lite-v1",
		"anthropic.claude-3-5-sonnet-20240620-v1:0",
		"anthropic.claude-3-haiku-20240307-v1:0",
		"cohere.command-r-plus-v1:0",
		"cohere.command-r-v1:0",
		"meta.llama3-1-70b-instruct-v1:0",
		"meta.llama3-1-8b-instruct-v1:0",
		"mistral.mistral-large-2407-v1:0",
		"mistral.mixtral-8x7b-instruct-v0:1",
	} {
		t.Run(id, func(t *testing.T) {
			cfg := &types.InferenceConfiguration{Temperature: aws.Float32(0), MaxTokens: aws.Int32(2000), TopP: aws.Float32(0.9)}
			msgs := []types.Message{testkit.UserText("What is the capital of Italy?")}
			out := testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: aws.String(id), Messages: msgs, InferenceConfig: cfg})
			text := testkit.ReplyText(t, out)
			checkUsage(t, out.Usage)
			s := testkit.ConverseStream(t, c, &bedrockruntime.ConverseStreamInput{ModelId: aws.String(id), Messages: msgs, InferenceConfig: cfg})
			if s.Err != nil {
				t.Fatalf("stream error: %v", s.Err)
			}
			if s.Text != text {
				t.Errorf("stream text %q != Converse text %q", s.Text, text)
			}
			if diff := cmp.Diff(out.Usage, s.Usage, cmp.AllowUnexported(types.TokenUsage{})); diff != "" {
				t.Errorf("stream usage differs from Converse (-converse +stream):\n%s", diff)
			}
		})
	}
}

// The notebook's playlist conversation: system prompt, additionalModelRequestFields (top_k),
// two user turns with the reply in between.
func TestSeedPlaylistConversation(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	in := &bedrockruntime.ConverseInput{
		ModelId: aws.String("anthropic.claude-3-5-sonnet-20240620-v1:0"),
		System: []types.SystemContentBlock{&types.SystemContentBlockMemberText{
			Value: "You are an app that creates playlists for a radio station that plays rock and pop music.Only return song names and the artist."}},
		Messages:                     []types.Message{testkit.UserText("Create a list of 3 pop songs.")},
		InferenceConfig:              &types.InferenceConfiguration{Temperature: aws.Float32(0.5)},
		AdditionalModelRequestFields: document.NewLazyDocument(map[string]any{"top_k": 200}),
	}
	out := testkit.Converse(t, c, in)
	in.Messages = append(in.Messages, out.Output.(*types.ConverseOutputMemberMessage).Value, testkit.UserText("Make sure the songs are by artists from the United Kingdom."))
	out = testkit.Converse(t, c, in)
	if got := testkit.ReplyText(t, out); !strings.Contains(got, "United Kingdom") {
		t.Errorf("reply %q does not answer the last turn", got)
	}
}

// The notebook's document conversation: Llama 3.1 8B reads a document.
func TestSeedDocument(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	out := testkit.Converse(t, c, &bedrockruntime.ConverseInput{
		ModelId: aws.String("meta.llama3-1-8b-instruct-v1:0"),
		Messages: []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{
			&types.ContentBlockMemberText{Value: "Briefly describe the document."},
			&types.ContentBlockMemberDocument{Value: types.DocumentBlock{
				Format: types.DocumentFormatPdf, Name: aws.String("MyDocument"),
				Source: &types.DocumentSourceMemberBytes{Value: pdfBytes},
			}},
		}}},
	})
	if got := testkit.ReplyText(t, out); !strings.Contains(got, "1 attachment") {
		t.Errorf("reply %q does not acknowledge the document", got)
	}
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	in := &bedrockruntime.ConverseInput{ModelId: aws.String("amazon.nova-micro-v1:0"), Messages: []types.Message{testkit.UserText("same question")}}
	a, b := testkit.Converse(t, c, in), testkit.Converse(t, c, in)
	if testkit.ReplyText(t, a) != testkit.ReplyText(t, b) || *a.Usage.TotalTokens != *b.Usage.TotalTokens {
		t.Errorf("two identical requests got different replies")
	}
}

func TestStopSequencesAndMaxTokens(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	model := aws.String("anthropic.claude-3-haiku-20240307-v1:0")
	out := testkit.Converse(t, c, &bedrockruntime.ConverseInput{
		ModelId:         model,
		Messages:        []types.Message{testkit.UserText("Count: one two STOP three")},
		InferenceConfig: &types.InferenceConfiguration{StopSequences: []string{"STOP", "two"}},
	})
	if out.StopReason != types.StopReasonStopSequence {
		t.Errorf("stopReason = %q, want stop_sequence", out.StopReason)
	}
	if got := testkit.ReplyText(t, out); !strings.HasSuffix(got, "one ") {
		t.Errorf("text %q is not cut before the first stop sequence", got)
	}

	out = testkit.Converse(t, c, &bedrockruntime.ConverseInput{
		ModelId:         model,
		Messages:        []types.Message{testkit.UserText(strings.Repeat("long prompt ", 50))},
		InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(5)},
	})
	if out.StopReason != types.StopReasonMaxTokens {
		t.Errorf("stopReason = %q, want max_tokens", out.StopReason)
	}
	if *out.Usage.OutputTokens != 5 {
		t.Errorf("outputTokens = %d, want 5", *out.Usage.OutputTokens)
	}
	if got := testkit.ReplyText(t, out); len([]rune(got)) != 20 {
		t.Errorf("text %q: want 5 tokens of 4 characters", got)
	}
}

var weatherTool = &types.ToolConfiguration{Tools: []types.Tool{
	&types.ToolMemberToolSpec{Value: types.ToolSpecification{
		Name:        aws.String("get_weather"),
		Description: aws.String("Current weather for a city"),
		InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(map[string]any{
			"type": "object",
			"properties": map[string]any{
				"city":  map[string]any{"type": "string"},
				"unit":  map[string]any{"type": "string", "enum": []string{"celsius", "fahrenheit"}},
				"days":  map[string]any{"type": "integer", "minimum": 1},
				"notes": map[string]any{"type": "string"},
			},
			"required": []string{"city", "unit", "days"},
		})},
	}},
}}

// A forced tool call, then the tool result round trip (Converse and ConverseStream).
func TestToolUseRoundTrip(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	model := aws.String("anthropic.claude-3-5-sonnet-20240620-v1:0")
	tools := *weatherTool
	tools.ToolChoice = &types.ToolChoiceMemberAny{}
	msgs := []types.Message{testkit.UserText("What's the weather in Paris?")}
	out := testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: model, Messages: msgs, ToolConfig: &tools})
	if out.StopReason != types.StopReasonToolUse {
		t.Fatalf("stopReason = %q, want tool_use", out.StopReason)
	}
	reply := out.Output.(*types.ConverseOutputMemberMessage).Value
	use, ok := reply.Content[0].(*types.ContentBlockMemberToolUse)
	if !ok || len(reply.Content) != 1 {
		t.Fatalf("content = %#v, want one toolUse", reply.Content)
	}
	if got := aws.ToString(use.Value.Name); got != "get_weather" {
		t.Errorf("tool name = %q", got)
	}
	if id := aws.ToString(use.Value.ToolUseId); !strings.HasPrefix(id, "tooluse_") || len(id) != 30 {
		t.Errorf("toolUseId = %q, want tooluse_ and 22 characters", id)
	}
	var input map[string]any
	if err := use.Value.Input.UnmarshalSmithyDocument(&input); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"city": "example", "unit": "celsius", "days": smithydoc.Number("1")}
	if diff := cmp.Diff(want, input); diff != "" {
		t.Errorf("synthesized input (-want +got):\n%s", diff)
	}

	// The same call streamed: contentBlockStart with the tool, then input deltas.
	s := testkit.ConverseStream(t, c, &bedrockruntime.ConverseStreamInput{ModelId: model, Messages: msgs, ToolConfig: &tools})
	if s.Err != nil {
		t.Fatal(s.Err)
	}
	wantEvents := []string{"messageStart", "contentBlockStart"}
	if diff := cmp.Diff(wantEvents, s.Events[:2]); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if s.ToolStart == nil || aws.ToString(s.ToolStart.ToolUseId) != aws.ToString(use.Value.ToolUseId) {
		t.Errorf("stream tool start %+v, want the Converse toolUseId", s.ToolStart)
	}
	var streamed map[string]any
	if err := json.Unmarshal([]byte(s.ToolInput), &streamed); err != nil {
		t.Fatalf("streamed input %q: %v", s.ToolInput, err)
	}

	// Answer the tool; the model reports the result.
	msgs = append(msgs, reply, types.Message{Role: types.ConversationRoleUser, Content: []types.ContentBlock{
		&types.ContentBlockMemberToolResult{Value: types.ToolResultBlock{
			ToolUseId: use.Value.ToolUseId,
			Content:   []types.ToolResultContentBlock{&types.ToolResultContentBlockMemberJson{Value: document.NewLazyDocument(map[string]any{"tempC": 21})}},
		}},
	}})
	out = testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: model, Messages: msgs, ToolConfig: weatherTool})
	if out.StopReason != types.StopReasonEndTurn {
		t.Errorf("stopReason = %q, want end_turn", out.StopReason)
	}
	if got := testkit.ReplyText(t, out); !strings.Contains(got, `{"tempC":21}`) {
		t.Errorf("reply %q does not report the tool result", got)
	}
}

func TestStreamEventOrder(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	s := testkit.ConverseStream(t, c, &bedrockruntime.ConverseStreamInput{
		ModelId:  aws.String("us.amazon.nova-lite-v1:0"),
		Messages: []types.Message{testkit.UserText("three little words")},
	})
	if s.Err != nil {
		t.Fatal(s.Err)
	}
	// Bedrock's grammar: no contentBlockStart for text (docs/wire-facts.md §3.4).
	n := len(s.Events)
	if s.Events[0] != "messageStart" || s.Events[n-3] != "contentBlockStop" || s.Events[n-2] != "messageStop" || s.Events[n-1] != "metadata" {
		t.Errorf("events = %v", s.Events)
	}
	for _, e := range s.Events[1 : n-3] {
		if e != "contentBlockDelta" {
			t.Errorf("events = %v: want only deltas between messageStart and contentBlockStop", s.Events)
			break
		}
	}
	if n-4 < 5 {
		t.Errorf("text came in %d deltas, want one per word", n-4)
	}
	checkUsage(t, s.Usage)
}

// Every modeled exception a behaviour raises reaches the SDK as its typed error, before a
// stream and (for the stream's exception members) inside it.
func TestModeledErrors(t *testing.T) {
	t.Parallel()
	for _, typ := range emulator.ExceptionTypes() {
		t.Run(typ, func(t *testing.T) {
			t.Parallel()
			e, err := emulator.NewError(typ, "")
			if err != nil {
				t.Fatal(err)
			}
			_, c := start(t, emulator.WithBehaviour(emulator.BehaviourFunc(func(context.Context, *emulator.Call) (*emulator.Reply, error) {
				return nil, e
			})))
			in := &bedrockruntime.ConverseInput{ModelId: aws.String("amazon.nova-micro-v1:0"), Messages: []types.Message{testkit.UserText("hi")}}
			_, err = c.Converse(context.Background(), in)
			code, msg := testkit.APIError(t, err)
			if code != typ || msg != e.Message {
				t.Errorf("got %s %q, want %s %q", code, msg, typ, e.Message)
			}
			if !typedAs(err, typ) {
				t.Errorf("error %T does not unwrap to the SDK's *types.%s", errors.Unwrap(err), typ)
			}
		})
	}
}

// typedAs reports whether err unwraps to the SDK's generated type for the exception.
func typedAs(err error, typ string) bool {
	targets := map[string]any{
		"AccessDeniedException":         new(*types.AccessDeniedException),
		"ConflictException":             new(*types.ConflictException),
		"InternalServerException":       new(*types.InternalServerException),
		"ModelErrorException":           new(*types.ModelErrorException),
		"ModelNotReadyException":        new(*types.ModelNotReadyException),
		"ModelStreamErrorException":     new(*types.ModelStreamErrorException),
		"ModelTimeoutException":         new(*types.ModelTimeoutException),
		"ResourceNotFoundException":     new(*types.ResourceNotFoundException),
		"ServiceQuotaExceededException": new(*types.ServiceQuotaExceededException),
		"ServiceUnavailableException":   new(*types.ServiceUnavailableException),
		"ThrottlingException":           new(*types.ThrottlingException),
		"ValidationException":           new(*types.ValidationException),
	}
	target, ok := targets[typ]
	if !ok {
		return false
	}
	return errors.As(err, target)
}

func TestStreamException(t *testing.T) {
	t.Parallel()
	fail := &emulator.Error{Type: "ModelStreamErrorException", Message: "Model produced invalid sequence as part of ToolUse. Please refer to the model tool use troubleshooting guide."}
	_, c := start(t, emulator.WithBehaviour(emulator.BehaviourFunc(func(context.Context, *emulator.Call) (*emulator.Reply, error) {
		return &emulator.Reply{
			Content: []emulator.Block{emulator.TextBlock("one two three four five six")},
			Stream:  emulator.StreamShape{FailAfter: 4, Fail: fail},
		}, nil
	})))
	s := testkit.ConverseStream(t, c, &bedrockruntime.ConverseStreamInput{ModelId: aws.String("amazon.nova-micro-v1:0"), Messages: []types.Message{testkit.UserText("hi")}})
	var mse *types.ModelStreamErrorException
	if !errors.As(s.Err, &mse) || aws.ToString(mse.Message) != fail.Message {
		t.Fatalf("stream error = %v, want the ModelStreamErrorException", s.Err)
	}
	if diff := cmp.Diff([]string{"messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockDelta"}, s.Events); diff != "" {
		t.Errorf("events before the exception (-want +got):\n%s", diff)
	}
}

// additionalModelResponseFieldPaths asks for fields of the model's native response; the
// emulator answers Claude's stop_sequence (docs/wire-facts.md §3.4 saw {"delta":{"stop_sequence":null}}
// in a messageStop) and null for what it cannot know.
func TestAdditionalModelResponseFields(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	in := &bedrockruntime.ConverseInput{
		ModelId:                           aws.String("anthropic.claude-3-haiku-20240307-v1:0"),
		Messages:                          []types.Message{testkit.UserText("say END now")},
		InferenceConfig:                   &types.InferenceConfiguration{StopSequences: []string{"END"}},
		AdditionalModelResponseFieldPaths: []string{"/stop_sequence", "/usage/cache_creation"},
	}
	out := testkit.Converse(t, c, in)
	var got map[string]any
	if err := out.AdditionalModelResponseFields.UnmarshalSmithyDocument(&got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{"stop_sequence": "END", "cache_creation": nil}, got); diff != "" {
		t.Errorf("additionalModelResponseFields (-want +got):\n%s", diff)
	}
}

// A user's models file adds models and maps opaque ARNs; a bad one keeps the server from
// starting, naming the problem.
func TestModelsFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "models.json")
	os.WriteFile(good, []byte(`{
	  "aliases": {"arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcdef123456": "acme.house-model-v1"},
	  "models": [{"id": "acme.house-model-v1", "provider": "acme", "name": "House model", "onDemand": true, "maxOutputTokens": 20}]
	}`), 0o644)
	_, c := start(t, emulator.WithModelsFile(good))
	for _, id := range []string{"acme.house-model-v1", "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcdef123456"} {
		out := testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: aws.String(id), Messages: []types.Message{testkit.UserText("hi")}})
		if got := testkit.ReplyText(t, out); !strings.Contains(got, "House model") {
			t.Errorf("%s: reply %q does not come from the house model", id, got)
		}
	}
	_, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String("acme.house-model-v1"),
		Messages: []types.Message{testkit.UserText("hi")}, InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(21)}})
	var ve *types.ValidationException
	if !errors.As(err, &ve) || !strings.Contains(aws.ToString(ve.Message), "model limit of 20") {
		t.Errorf("maxTokens over the house model's limit: %v", err)
	}

	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"models": [{"id": "acme.x-v1", "colour": "blue"}]}`), 0o644)
	if _, err := emulator.Start(emulator.WithModelsFile(bad)); err == nil || !strings.Contains(err.Error(), "acme.x-v1") {
		t.Errorf("Start with a bad models file: %v, want an error naming the entry", err)
	}
}
