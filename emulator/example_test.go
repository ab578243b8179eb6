package emulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-emulator/bedrock-emulator/client"
	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

func ExampleNewServer() {
	srv := emulator.NewServer()
	defer srv.Close()
	brt := client.New(srv.URL)

	out, err := brt.Converse(context.Background(), &bedrockruntime.ConverseInput{
		ModelId: aws.String("anthropic.claude-3-haiku-20240307-v1:0"),
		Messages: []types.Message{{
			Role:    types.ConversationRoleUser,
			Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "How are you today?"}},
		}},
	})
	if err != nil {
		panic(err)
	}
	msg := out.Output.(*types.ConverseOutputMemberMessage).Value
	fmt.Println(msg.Content[0].(*types.ContentBlockMemberText).Value)
	fmt.Println(out.StopReason, *out.Usage.InputTokens, *out.Usage.OutputTokens, *out.Usage.TotalTokens)
	// Output:
	// This is bedrock-emulator answering as Claude 3 Haiku. You said: How are you today?
	// end_turn 5 21 26
}

// A Behaviour decides what the model says; here, a throttling error on every second call.
func ExampleBehaviourFunc() {
	throttle := emulator.BehaviourFunc(func(_ context.Context, c *emulator.Call) (*emulator.Reply, error) {
		if c.Seq%2 == 0 {
			return nil, &emulator.Error{Type: "ThrottlingException", Message: "Too many requests, please wait before trying again."}
		}
		return &emulator.Reply{Content: []emulator.Block{emulator.TextBlock("Rome.")}}, nil
	})
	srv := emulator.NewServer(emulator.WithBehaviour(throttle))
	defer srv.Close()
	brt := client.New(srv.URL, func(o *bedrockruntime.Options) { o.RetryMaxAttempts = 1 })

	in := &bedrockruntime.ConverseInput{
		ModelId: aws.String("amazon.nova-micro-v1:0"),
		Messages: []types.Message{{Role: types.ConversationRoleUser,
			Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Capital of Italy?"}}}},
	}
	for range 2 {
		out, err := brt.Converse(context.Background(), in)
		if err != nil {
			var te *types.ThrottlingException
			fmt.Println("error:", errors.As(err, &te), te.ErrorMessage())
			continue
		}
		fmt.Println(out.Output.(*types.ConverseOutputMemberMessage).Value.Content[0].(*types.ContentBlockMemberText).Value)
	}
	// Output:
	// Rome.
	// error: true Too many requests, please wait before trying again.
}

// shouting is a link of the chain that changes what the rest of it answers: it asks next,
// then upper-cases the text of the reply.
type shouting struct{}

func (shouting) Respond(ctx context.Context, c *emulator.Call, next emulator.Next) (*emulator.Reply, error) {
	reply, err := next(ctx, c)
	if err != nil || reply.Recorded != nil {
		return reply, err
	}
	for i, b := range reply.Content {
		if b.Text != nil {
			reply.Content[i] = emulator.TextBlock(strings.ToUpper(*b.Text))
		}
	}
	return reply, nil
}

// A Behaviour may also wrap the rest of the chain, here the default generator.
func ExampleNext() {
	srv := emulator.NewServer(emulator.WithBehaviour(shouting{}))
	defer srv.Close()
	out, err := client.New(srv.URL).Converse(context.Background(), &bedrockruntime.ConverseInput{
		ModelId: aws.String("amazon.nova-micro-v1:0"),
		Messages: []types.Message{{Role: types.ConversationRoleUser,
			Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Hello?"}}}},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(out.Output.(*types.ConverseOutputMemberMessage).Value.Content[0].(*types.ContentBlockMemberText).Value)
	// Output:
	// THIS IS BEDROCK-EMULATOR ANSWERING AS NOVA MICRO. YOU SAID: HELLO?
}

// A guardrail defined as for CreateGuardrail, applied to a Converse request: Bedrock's
// stop reason, the blocked input message, and the trace.
func ExampleWithGuardrails() {
	gs, err := emulator.ParseGuardrails([]byte(`
guardrails:
  - guardrailId: a1b2c3d4e5f6
    blockedInputMessaging: Sorry, I cannot talk about investments.
    blockedOutputsMessaging: Sorry, I cannot answer that.
    topicPolicyConfig:
      topicsConfig:
        - name: Investments
          definition: Investment advice.
          matches: [stocks, crypto]
`))
	if err != nil {
		panic(err)
	}
	srv := emulator.NewServer(emulator.WithGuardrails(gs...))
	defer srv.Close()

	out, err := client.New(srv.URL).Converse(context.Background(), &bedrockruntime.ConverseInput{
		ModelId: aws.String("amazon.nova-micro-v1:0"),
		Messages: []types.Message{{Role: types.ConversationRoleUser,
			Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Which stocks should I buy?"}}}},
		GuardrailConfig: &types.GuardrailConfiguration{GuardrailIdentifier: aws.String("a1b2c3d4e5f6"),
			GuardrailVersion: aws.String("DRAFT"), Trace: types.GuardrailTraceEnabled},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(out.StopReason)
	fmt.Println(out.Output.(*types.ConverseOutputMemberMessage).Value.Content[0].(*types.ContentBlockMemberText).Value)
	topic := out.Trace.Guardrail.InputAssessment["a1b2c3d4e5f6"].TopicPolicy.Topics[0]
	fmt.Println(*topic.Name, topic.Action)
	// Output:
	// guardrail_intervened
	// Sorry, I cannot talk about investments.
	// Investments BLOCKED
}

// InvokeModel takes and answers a provider's native body, here Anthropic's Messages API.
func ExampleServer_invokeModel() {
	srv := emulator.NewServer()
	defer srv.Close()
	out, err := client.New(srv.URL).InvokeModel(context.Background(), &bedrockruntime.InvokeModelInput{
		ModelId: aws.String("anthropic.claude-3-haiku-20240307-v1:0"),
		Body:    []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":100,"messages":[{"role":"user","content":"Hello"}]}`),
	})
	if err != nil {
		panic(err)
	}
	var msg struct {
		Content []struct{ Text string } `json:"content"`
		Usage   struct {
			InputTokens  int `json:"input_tokens"`
			OutputTokens int `json:"output_tokens"`
		} `json:"usage"`
	}
	json.Unmarshal(out.Body, &msg)
	fmt.Println(msg.Content[0].Text)
	fmt.Println(msg.Usage.InputTokens, msg.Usage.OutputTokens)
	// Output:
	// This is bedrock-emulator answering as Claude 3 Haiku. You said: Hello
	// 2 18
}

// With toolChoice auto the default answer calls the tool the question makes relevant, then
// answers the tool's result; WithTools(ToolsNever) makes it answer in text instead.
func ExampleWithTools() {
	tools := &types.ToolConfiguration{Tools: []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{
		Name:        aws.String("get_weather"),
		Description: aws.String("Current weather of a city."),
		InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(map[string]any{
			"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}}, "required": []string{"city"}})},
	}}}}
	question := types.Message{Role: types.ConversationRoleUser,
		Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "What's the weather in city Oslo?"}}}
	for _, opts := range [][]func(*emulator.Options){nil, {emulator.WithTools(emulator.ToolsNever)}} {
		srv := emulator.NewServer(opts...)
		out, err := client.New(srv.URL).Converse(context.Background(), &bedrockruntime.ConverseInput{
			ModelId: aws.String("amazon.nova-lite-v1:0"), Messages: []types.Message{question}, ToolConfig: tools})
		srv.Close()
		if err != nil {
			panic(err)
		}
		switch b := out.Output.(*types.ConverseOutputMemberMessage).Value.Content[0].(type) {
		case *types.ContentBlockMemberToolUse:
			input, _ := b.Value.Input.MarshalSmithyDocument()
			fmt.Println(out.StopReason, *b.Value.Name, string(input))
		case *types.ContentBlockMemberText:
			fmt.Println(out.StopReason, b.Value)
		}
	}
	// Output:
	// tool_use get_weather {"city":"Oslo"}
	// end_turn This is bedrock-emulator answering as Nova Lite. You said: What's the weather in city Oslo?
}
