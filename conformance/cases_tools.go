package conformance

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
)

// Tools of the tool-use cases: small schemas every model fills in correctly.
var (
	weatherTool = toolSpec("get_weather", "Get the current weather in a city.",
		`{"type":"object","properties":{"city":{"type":"string","description":"The city name, e.g. Paris"}},"required":["city"]}`)
	timeTool = toolSpec("get_time", "Get the current local time in a city.",
		`{"type":"object","properties":{"city":{"type":"string","description":"The city name, e.g. Tokyo"}},"required":["city"]}`)
)

func toolSpec(name, description, schema string) types.Tool {
	return &types.ToolMemberToolSpec{Value: types.ToolSpecification{
		Name:        aws.String(name),
		Description: aws.String(description),
		InputSchema: &types.ToolInputSchemaMemberJson{Value: jsonDoc(schema)},
	}}
}

func tools(choice types.ToolChoice, ts ...types.Tool) *types.ToolConfiguration {
	return &types.ToolConfiguration{Tools: ts, ToolChoice: choice}
}

var (
	choiceAny  = &types.ToolChoiceMemberAny{}
	choiceAuto = &types.ToolChoiceMemberAuto{}
)

func choiceTool(name string) types.ToolChoice {
	return &types.ToolChoiceMemberTool{Value: types.SpecificToolChoice{Name: aws.String(name)}}
}

var toolStops = []types.StopReason{types.StopReasonToolUse}

// toolCases are tool use (function calling): forced, automatic, several tools, full round
// trips with successful and failed tool results, streamed and not.
func toolCases() []Case {
	weather := UserText("What is the weather in Paris right now?")
	both2 := UserText("What is the weather and the local time in Tokyo?")
	// roundTrip calls a tool (forced), answers it with result and status, and checks the
	// model's answer to that.
	roundTrip := func(model string, streamed bool, status types.ToolResultStatus, result any) []Step {
		return []Step{
			{Stream: streamed, Request: Request{Model: model, Input: bedrockruntime.ConverseInput{
				Messages: []types.Message{weather}, ToolConfig: tools(choiceAny, weatherTool),
			}}, Expect: Expect{StopReasons: toolStops, ToolUse: []string{"get_weather"}}},
			{Stream: streamed, Continue: true, Follow: AnswerTools(status, result), Request: Request{Model: model, Input: bedrockruntime.ConverseInput{
				ToolConfig: tools(choiceAuto, weatherTool),
			}}, Expect: Expect{StopReasons: []types.StopReason{types.StopReasonEndTurn, types.StopReasonMaxTokens, types.StopReasonToolUse}}},
		}
	}
	return []Case{
		{
			Name: "tools/forced-any",
			Doc:  "toolChoice any: the model must call a tool; the call has a tooluse ID, the tool's name, and input valid against its schema.",
			Tags: []string{tagTools},
			Steps: both(ModelText, bedrockruntime.ConverseInput{Messages: []types.Message{weather}, ToolConfig: tools(choiceAny, weatherTool)},
				Expect{StopReasons: toolStops, ToolUse: []string{"get_weather"}}),
		},
		{
			Name: "tools/forced-tool",
			Doc:  "toolChoice tool: the model must call the named tool, even when another fits the question better.",
			Tags: []string{tagTools},
			Steps: both(ModelText, bedrockruntime.ConverseInput{Messages: []types.Message{weather}, ToolConfig: tools(choiceTool("get_time"), weatherTool, timeTool)},
				Expect{StopReasons: toolStops, ToolUse: []string{"get_time"}}),
		},
		{
			Name: "tools/auto",
			Doc:  "toolChoice auto: the model may call a tool or answer; whichever it does is well formed.",
			Tags: []string{tagTools},
			Steps: both(ModelText, bedrockruntime.ConverseInput{Messages: []types.Message{weather}, ToolConfig: tools(choiceAuto, weatherTool)},
				Expect{StopReasons: []types.StopReason{types.StopReasonToolUse, types.StopReasonEndTurn, types.StopReasonMaxTokens}}),
		},
		{
			Name: "tools/multi-tool",
			Doc:  "Two tools and a question for both: the model calls one or both (in parallel); every call is answered and the model answers the results.",
			Tags: []string{tagTools},
			Steps: []Step{
				{Request: Request{Model: ModelText, Input: bedrockruntime.ConverseInput{Messages: []types.Message{both2}, ToolConfig: tools(choiceAny, weatherTool, timeTool)}},
					Expect: Expect{StopReasons: toolStops, ToolUse: []string{"get_weather", "get_time"}}},
				{Continue: true, Follow: AnswerTools("", map[string]any{"result": "sunny, 21 °C, 14:05"}),
					Request: Request{Model: ModelText, Input: bedrockruntime.ConverseInput{ToolConfig: tools(choiceAuto, weatherTool, timeTool)}},
					Expect:  Expect{StopReasons: []types.StopReason{types.StopReasonEndTurn, types.StopReasonMaxTokens, types.StopReasonToolUse}}},
			},
		},
		{
			Name:  "tools/round-trip",
			Doc:   "A forced call, its result sent back in a toolResult turn, and the model's answer to it (seeds/004, tool use).",
			Tags:  []string{tagTools},
			Steps: roundTrip(ModelText, false, types.ToolResultStatusSuccess, map[string]any{"tempC": 21, "sky": "clear"}),
		},
		{
			Name:  "tools/result-error-status",
			Doc:   "A tool result with status error is accepted and answered.",
			Tags:  []string{tagTools},
			Steps: roundTrip(ModelText, false, types.ToolResultStatusError, map[string]any{"error": "the weather service is down"}),
		},
		{
			Name:  "tools/stream-round-trip",
			Doc:   "The round trip through ConverseStream: contentBlockStart names the tool, input deltas concatenate to valid JSON, and the result turn streams an answer.",
			Tags:  []string{tagTools, tagStream},
			Steps: roundTrip(ModelText, true, types.ToolResultStatusSuccess, map[string]any{"tempC": 21}),
		},
		{
			Name:  "tools/anthropic-round-trip",
			Doc:   "The round trip on Claude, streamed.",
			Tags:  []string{tagTools, tagStream},
			Steps: roundTrip(ModelAnthropic, true, types.ToolResultStatusSuccess, map[string]any{"tempC": 21}),
		},
		{
			Name: "tools/anthropic-forced-tool",
			Doc:  "toolChoice tool on Claude.",
			Tags: []string{tagTools},
			Steps: both(ModelAnthropic, bedrockruntime.ConverseInput{Messages: []types.Message{weather}, ToolConfig: tools(choiceTool("get_weather"), weatherTool, timeTool)},
				Expect{StopReasons: toolStops, ToolUse: []string{"get_weather"}}),
		},
	}
}
