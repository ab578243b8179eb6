package emulator_test

import (
	"context"
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

func testPrompts(t *testing.T) []emulator.Prompt {
	t.Helper()
	ps, err := emulator.LoadPrompts("testdata/prompts.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func vars(kv ...string) map[string]types.PromptVariableValues {
	out := map[string]types.PromptVariableValues{}
	for i := 0; i < len(kv); i += 2 {
		out[kv[i]] = &types.PromptVariableValuesMemberText{Value: kv[i+1]}
	}
	return out
}

const promptARN = "arn:aws:bedrock:us-east-1:123456789012:prompt/"

// A prompt ARN as modelId: the behaviours see the conversation the prompt makes, on the
// prompt's model with its settings, and the request's own messages after the prompt's.
func TestPrompt(t *testing.T) {
	t.Parallel()
	seen := make(chan *emulator.Call, 1)
	spy := emulator.BehaviourFunc(func(_ context.Context, c *emulator.Call) (*emulator.Reply, error) {
		seen <- c
		return nil, nil
	})
	_, c := start(t, emulator.WithPrompts(testPrompts(t)...), emulator.WithBehaviour(spy))
	for _, tc := range []struct {
		name      string
		modelID   string
		vars      map[string]types.PromptVariableValues
		messages  []types.Message
		wantModel string
		wantTurns []string
		wantSys   []string
		wantMax   int
	}{
		{
			name: "text prompt, draft", modelID: promptARN + "PROMPT12AB",
			vars:      vars("topic", "Rome", "style", "a pirate"),
			wantModel: "anthropic.claude-3-haiku-20240307-v1:0",
			wantTurns: []string{"user: Tell me about Rome in the style of a pirate."}, wantMax: 512,
		},
		{
			name: "text prompt, a version", modelID: promptARN + "PROMPT12AB:2",
			vars:      vars("topic", "Oslo", "style", "haiku", "unused", "x"),
			wantModel: "anthropic.claude-3-haiku-20240307-v1:0",
			wantTurns: []string{"user: Tell me about Oslo in the style of haiku."}, wantMax: 512,
		},
		{
			name: "chat prompt and the request's own messages", modelID: "arn:aws:bedrock:eu-west-1:123456789012:prompt/CHATPROMPT",
			vars:      vars("persona", "travel agent", "city", "Lisbon", "budget", "1000 EUR"),
			messages:  []types.Message{testkit.AssistantText("Noted."), testkit.UserText("Thanks!")},
			wantModel: "amazon.nova-micro-v1:0",
			wantTurns: []string{"user: Plan a trip to Lisbon.", "assistant: Sure, what is your budget?", "user: About 1000 EUR.", "assistant: Noted.", "user: Thanks!"},
			wantSys:   []string{"You are a travel agent."},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: aws.String(tc.modelID), PromptVariables: tc.vars, Messages: tc.messages})
			call := <-seen
			if call.Model.ID != tc.wantModel || call.ModelID != tc.modelID {
				t.Errorf("model = %s (ID %s), want %s (ID %s)", call.Model.ID, call.ModelID, tc.wantModel, tc.modelID)
			}
			var turns, sys []string
			for _, m := range call.Request.Messages {
				turns = append(turns, m.Role+": "+aws.ToString(m.Content[0].Text))
			}
			for _, b := range call.Request.System {
				sys = append(sys, aws.ToString(b.Text))
			}
			if diff := cmp.Diff(tc.wantTurns, turns); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantSys, sys); diff != "" {
				t.Errorf("system (-want +got):\n%s", diff)
			}
			if ic := call.Request.InferenceConfig; tc.wantMax != 0 && (ic == nil || aws.ToInt(ic.MaxTokens) != tc.wantMax) {
				t.Errorf("inferenceConfig = %+v, want maxTokens %d", ic, tc.wantMax)
			}
			if !strings.Contains(testkit.ReplyText(t, out), "You said:") {
				t.Errorf("reply %q", testkit.ReplyText(t, out))
			}
		})
	}
}

// What Bedrock refuses alongside a prompt ARN, and prompts that do not exist.
func TestPromptErrors(t *testing.T) {
	t.Parallel()
	_, c := start(t, emulator.WithPrompts(testPrompts(t)...))
	ok := vars("topic", "Rome", "style", "a pirate")
	for _, tc := range []struct {
		name, wantCode, wantMsg string
		in                      bedrockruntime.ConverseInput
	}{
		{"system", "ValidationException", "A prompt from Prompt management doesn't support the system field in the request. Remove system and try again.",
			bedrockruntime.ConverseInput{PromptVariables: ok, System: []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: "x"}}}},
		{"inferenceConfig", "ValidationException", "A prompt from Prompt management doesn't support the inferenceConfig field in the request. Remove inferenceConfig and try again.",
			bedrockruntime.ConverseInput{PromptVariables: ok, InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(10)}}},
		{"toolConfig", "ValidationException", "A prompt from Prompt management doesn't support the toolConfig field in the request. Remove toolConfig and try again.",
			bedrockruntime.ConverseInput{PromptVariables: ok, ToolConfig: &types.ToolConfiguration{Tools: []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{
				Name: aws.String("t"), InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(map[string]any{"type": "object"})}}}}}}},
		{"additionalModelRequestFields", "ValidationException", "A prompt from Prompt management doesn't support the additionalModelRequestFields field in the request. Remove additionalModelRequestFields and try again.",
			bedrockruntime.ConverseInput{PromptVariables: ok, AdditionalModelRequestFields: document.NewLazyDocument(map[string]any{"top_k": 5})}},
		{"a variable without a value", "ValidationException", "The prompt variables style have no values. Add them to promptVariables and try again.",
			bedrockruntime.ConverseInput{PromptVariables: vars("topic", "Rome")}},
		{"an unknown prompt", "ResourceNotFoundException", "The prompt identifier or version provided in the request does not exist.",
			bedrockruntime.ConverseInput{ModelId: aws.String(promptARN + "NOSUCHONE1"), PromptVariables: ok}},
		{"an unknown version", "ResourceNotFoundException", "The prompt identifier or version provided in the request does not exist.",
			bedrockruntime.ConverseInput{ModelId: aws.String(promptARN + "PROMPT12AB:9"), PromptVariables: ok}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := tc.in
			if in.ModelId == nil {
				in.ModelId = aws.String(promptARN + "PROMPT12AB")
			}
			_, err := c.Converse(context.Background(), &in)
			code, msg := testkit.APIError(t, err)
			if code != tc.wantCode || msg != tc.wantMsg {
				t.Errorf("error = %s %q, want %s %q", code, msg, tc.wantCode, tc.wantMsg)
			}
		})
	}
}

// TestPromptTooLong: a template that names a variable many times multiplies its value; what
// it fills in may be no longer than a request body (issue 13, item 2).
func TestPromptTooLong(t *testing.T) {
	t.Parallel()
	p := emulator.Prompt{PromptID: "BLOWUP0003", ModelID: "anthropic.claude-3-haiku-20240307-v1:0", Text: strings.Repeat("{{x}} ", 1000)}
	_, c := start(t, emulator.WithPrompts(p), emulator.WithMaxBodyBytes(1<<20))
	in := &bedrockruntime.ConverseInput{ModelId: aws.String(promptARN + p.PromptID)}
	in.PromptVariables = vars("x", strings.Repeat("a", 1000)) // 1 MB filled in: just fits
	testkit.Converse(t, c, in)
	in.PromptVariables = vars("x", strings.Repeat("a", 2000))
	_, err := c.Converse(context.Background(), in)
	code, msg := testkit.APIError(t, err)
	if want := "bedrock-emulator: prompt BLOWUP0003 filled in with promptVariables is over 1048576 bytes, the limit of a request body. Shorten the variables' values and try again."; code != "ValidationException" || msg != want {
		t.Errorf("error = %s %q, want ValidationException %q", code, msg, want)
	}
}

func TestParsePrompts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, doc, wantErr string }{
		{"text", `[{"promptId":"ABCDEFGHIJ","modelId":"m","text":"hi {{x}}"}]`, ""},
		{"short ID", `[{"promptId":"ABC","modelId":"m","text":"hi"}]`, `promptId "ABC": want 10 letters or digits`},
		{"no model", `[{"promptId":"ABCDEFGHIJ","text":"hi"}]`, "modelId is required"},
		{"text and messages", `[{"promptId":"ABCDEFGHIJ","modelId":"m","text":"hi","messages":[{"role":"user","content":[{"text":"x"}]}]}]`, "not both or neither"},
		{"bad role", `[{"promptId":"ABCDEFGHIJ","modelId":"m","messages":[{"role":"system","content":[{"text":"x"}]}]}]`, `role "system"`},
		{"bad version", `[{"promptId":"ABCDEFGHIJ","modelId":"m","text":"x","versions":["v1"]}]`, `version "v1"`},
		{"template at Prompt management's limit", `[{"promptId":"ABCDEFGHIJ","modelId":"m","text":"` + strings.Repeat("é", 200000) + `"}]`, ""},
		{"template over Prompt management's limit", `[{"promptId":"ABCDEFGHIJ","modelId":"m","text":"` + strings.Repeat("{{x}}", 40001) + `"}]`,
			"its templates are 200005 characters; Prompt management takes at most 200000"},
		{"chat templates over the limit together", `[{"promptId":"ABCDEFGHIJ","modelId":"m","system":[{"text":"` + strings.Repeat("a", 100000) +
			`"}],"messages":[{"role":"user","content":[{"text":"` + strings.Repeat("a", 100001) + `"}]}]}]`, "its templates are 200001 characters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := emulator.ParsePrompts([]byte(tc.doc))
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("error %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}
