package emulator_test

import (
	"context"
	"encoding/json"
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

// weatherTools offers get_weather, whose input needs a city, and a second tool the
// questions below never make relevant.
func weatherTools(choice types.ToolChoice) *types.ToolConfiguration {
	schema := func(s string) types.ToolInputSchema {
		var v map[string]any
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			panic(err)
		}
		return &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(v)}
	}
	return &types.ToolConfiguration{
		Tools: []types.Tool{
			&types.ToolMemberToolSpec{Value: types.ToolSpecification{
				Name:        aws.String("convert_currency"),
				Description: aws.String("Convert an amount of money between currencies."),
				InputSchema: schema(`{"type":"object","properties":{"amount":{"type":"number"}},"required":["amount"]}`),
			}},
			&types.ToolMemberToolSpec{Value: types.ToolSpecification{
				Name:        aws.String("get_weather"),
				Description: aws.String("Get the current weather forecast for a city."),
				InputSchema: schema(`{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city","unit"]}`),
			}},
		},
		ToolChoice: choice,
	}
}

// With toolChoice auto and no script, the default answer calls the tool the user's message
// makes relevant, with a schema-valid input, and answers the tool's result in text: an agent
// loop runs to its end (Converse and ConverseStream agree on every step).
func TestToolsAutoAgentLoop(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	for _, choice := range []types.ToolChoice{nil, &types.ToolChoiceMemberAuto{}} {
		msgs := []types.Message{testkit.UserText("What is the weather in city Paris today?")}
		in := &bedrockruntime.ConverseInput{ModelId: aws.String("anthropic.claude-3-haiku-20240307-v1:0"), Messages: msgs, ToolConfig: weatherTools(choice)}
		out := testkit.Converse(t, c, in)
		if out.StopReason != types.StopReasonToolUse {
			t.Fatalf("toolChoice %T: stopReason %q, want tool_use", choice, out.StopReason)
		}
		msg := testkit.Message(t, out)
		use, ok := msg.Content[0].(*types.ContentBlockMemberToolUse)
		if len(msg.Content) != 1 || !ok {
			t.Fatalf("content %#v, want one toolUse block", msg.Content)
		}
		var input map[string]any
		if err := use.Value.Input.UnmarshalSmithyDocument(&input); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[string]any{"city": "Paris", "unit": "celsius"}, input); aws.ToString(use.Value.Name) != "get_weather" || diff != "" {
			t.Errorf("tool %q input (-want +got):\n%s", aws.ToString(use.Value.Name), diff)
		}

		stream := testkit.ConverseStream(t, c, &bedrockruntime.ConverseStreamInput{ModelId: in.ModelId, Messages: msgs, ToolConfig: in.ToolConfig})
		if stream.StopReason != types.StopReasonToolUse || stream.ToolStart == nil || aws.ToString(stream.ToolStart.Name) != "get_weather" ||
			aws.ToString(stream.ToolStart.ToolUseId) != aws.ToString(use.Value.ToolUseId) || stream.ToolInput != `{"city":"Paris","unit":"celsius"}` {
			t.Errorf("stream: stop %q, start %+v, input %q; want the Converse answer's tool use", stream.StopReason, stream.ToolStart, stream.ToolInput)
		}

		in.Messages = append(msgs, msg, testkit.ToolResultText(use.Value.ToolUseId, "18 degrees and sunny"))
		out = testkit.Converse(t, c, in)
		if text := testkit.ReplyText(t, out); out.StopReason != types.StopReasonEndTurn || !strings.Contains(text, "18 degrees and sunny") {
			t.Errorf("after the tool result: stopReason %q, text %q; want end_turn and a text that uses the result", out.StopReason, text)
		}
	}
}

// Which questions make a tool relevant (the rule of the package doc), and what turns the
// policy off.
func TestToolsAutoRule(t *testing.T) {
	t.Parallel()
	model := aws.String("amazon.nova-micro-v1:0")
	script := emulator.BehaviourFunc(func(_ context.Context, c *emulator.Call) (*emulator.Reply, error) {
		if t := c.Request.Messages[0].Content[0].Text; t != nil && strings.HasPrefix(*t, "scripted") {
			return &emulator.Reply{Content: []emulator.Block{emulator.TextBlock("from the script")}}, nil
		}
		return nil, nil
	})
	_, c := start(t, emulator.WithBehaviour(script))
	_, never := start(t, emulator.WithTools(emulator.ToolsNever))
	for _, tc := range []struct {
		name   string
		client *bedrockruntime.Client
		choice types.ToolChoice
		msgs   []types.Message
		want   string // the tool called, "" for a text answer
	}{
		{"the tool's name", c, nil, []types.Message{testkit.UserText("Call get_weather please")}, "get_weather"},
		{"the tool's name in words", c, nil, []types.Message{testkit.UserText("get weather for me")}, "get_weather"},
		{"a keyword of the name", c, nil, []types.Message{testkit.UserText("Weather in Oslo?")}, "get_weather"},
		{"two keywords of the description", c, nil, []types.Message{testkit.UserText("How much money is 5 euros in other currencies?")}, "convert_currency"},
		{"one keyword of the description", c, nil, []types.Message{testkit.UserText("Tell me about money")}, ""},
		{"an unrelated question", c, nil, []types.Message{testkit.UserText("What is the capital of France?")}, ""},
		{"common words only", c, nil, []types.Message{testkit.UserText("What would you return with that input?")}, ""},
		{"the last message is the assistant's", c, nil, []types.Message{testkit.UserText("weather?"), testkit.AssistantText("Let me see")}, ""},
		{"a script answers first", c, nil, []types.Message{testkit.UserText("scripted: weather in Oslo")}, ""},
		{"--tools never", never, nil, []types.Message{testkit.UserText("Weather in Oslo?")}, ""},
		{"--tools never, toolChoice any", never, &types.ToolChoiceMemberAny{}, []types.Message{testkit.UserText("hello")}, "convert_currency"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := testkit.Converse(t, tc.client, &bedrockruntime.ConverseInput{ModelId: model, Messages: tc.msgs, ToolConfig: weatherTools(tc.choice)})
			got := ""
			for _, b := range testkit.Message(t, out).Content {
				if u, ok := b.(*types.ContentBlockMemberToolUse); ok {
					got = aws.ToString(u.Value.Name)
				}
			}
			if got != tc.want {
				t.Errorf("called %q (stopReason %q), want %q", got, out.StopReason, tc.want)
			}
		})
	}
}

// TestBoto3AgentLoop runs an agent loop through boto3 (testdata/boto3_agent.py) against an
// emulator with no script: the tool is called, then its result answered. It skips where
// python3 or boto3 is missing.
func TestBoto3AgentLoop(t *testing.T) {
	t.Parallel()
	runBoto3(t, "boto3_agent.py")
}

// The tool calls of real Bedrock answers to agent requests, where the request offered tools
// under toolChoice auto: the default answer calls the same tool. The questions and tools are
// those of the recordings named.
func TestToolsAutoRecorded(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	tool := func(name, description string) types.Tool {
		return &types.ToolMemberToolSpec{Value: types.ToolSpecification{Name: aws.String(name), Description: aws.String(description),
			InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(map[string]any{"type": "object"})}}}
	}
	for _, tc := range []struct {
		recording, question string
		tools               []types.Tool
		want                string
	}{
		{"DataDog/dd-trace-js packages/dd-trace/test/llmobs/cassettes/bedrock-runtime/bedrock-runtime_model_anthropic.claude-3-haiku-20240307-v1_0_converse_post_0bee79e3.json",
			"Explain the concept of distributed tracing in a simple way", []types.Tool{tool("fetch_concept", "Fetch an expert explanation for a concept")}, "fetch_concept"},
		{"crewAIInc/crewAI lib/crewai/tests/cassettes/agents/TestBedrockNativeToolCalling.test_bedrock_agent_kickoff_with_tools_mocked.yaml",
			"Current Task: Calculate 15 * 8", []types.Tool{tool("calculator", "Perform mathematical calculations. Use this for any math operations.")}, "calculator"},
		{"Arize-ai/openinference python/instrumentation/openinference-instrumentation-bedrock/tests/openinference/instrumentation/bedrock/cassettes/TestConverseStream.test_invoke_tool_message.yaml",
			"What is the most popular song on WZPZ?", []types.Tool{tool("top_song", "Get the most popular song played on a radio station.")}, "top_song"},
		{"pydantic/pydantic-ai tests/models/cassettes/test_bedrock/test_bedrock_model_iter_stream.yaml", "What is the temperature of the capital of France?",
			[]types.Tool{tool("get_capital", "Get the capital of a country."), tool("get_temperature", "Get the temperature in a city.")}, "get_capital"},
		{"crmne/ruby_llm spec/fixtures/vcr_cassettes/chat_citations_with_bedrock_claude-haiku-4-5_cites_tool_results_returned_as_search_results.yml",
			"Who created Ruby? Search the knowledge base first and cite your sources.", []types.Tool{tool("knowledge_base", "Searches the company knowledge base")}, "knowledge_base"},
	} {
		out := testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: aws.String("anthropic.claude-3-haiku-20240307-v1:0"),
			Messages: []types.Message{testkit.UserText(tc.question)}, ToolConfig: &types.ToolConfiguration{Tools: tc.tools}})
		got := ""
		if u, ok := testkit.Message(t, out).Content[0].(*types.ContentBlockMemberToolUse); ok {
			got = aws.ToString(u.Value.Name)
		}
		if got != tc.want {
			t.Errorf("%s: called %q, want %q", tc.recording, got, tc.want)
		}
	}
}
