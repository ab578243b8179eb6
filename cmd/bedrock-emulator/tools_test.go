package main

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// serve calls a relevant tool under toolChoice auto by default; --tools never, or
// BEDROCK_EMULATOR_TOOLS=never, answers text instead.
func TestServeTools(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		env  []string
		args []string
		want types.StopReason
	}{
		{"default", nil, nil, types.StopReasonToolUse},
		{"--tools auto", nil, []string{"--tools", "auto"}, types.StopReasonToolUse},
		{"--tools never", nil, []string{"--tools", "never"}, types.StopReasonEndTurn},
		{"BEDROCK_EMULATOR_TOOLS=never", []string{"BEDROCK_EMULATOR_TOOLS=never"}, nil, types.StopReasonEndTurn},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := testkit.Client(startServe(t, tc.env, tc.args...))
			out, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{
				ModelId:  aws.String("amazon.nova-lite-v1:0"),
				Messages: []types.Message{testkit.UserText("What is the weather in Rome?")},
				ToolConfig: &types.ToolConfiguration{Tools: []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{
					Name:        aws.String("get_weather"),
					InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(map[string]any{"type": "object"})},
				}}}},
			})
			if err != nil || out.StopReason != tc.want {
				t.Errorf("Converse: stopReason %v, %v; want %q", out, err, tc.want)
			}
		})
	}
}
