package emulator_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go"

	"github.com/bedrock-emulator/bedrock-emulator/client"
	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

// start serves an emulator for one test and returns a Go SDK client pointed at it.
func start(t *testing.T, opts ...func(*emulator.Options)) (*emulator.Server, *bedrockruntime.Client) {
	t.Helper()
	srv := emulator.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv, client.New(srv.URL, func(o *bedrockruntime.Options) { o.RetryMaxAttempts = 1 })
}

func userText(s string) types.Message {
	return types.Message{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: s}}}
}

func assistantText(s string) types.Message {
	return types.Message{Role: types.ConversationRoleAssistant, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: s}}}
}

func converse(t *testing.T, c *bedrockruntime.Client, in *bedrockruntime.ConverseInput) *bedrockruntime.ConverseOutput {
	t.Helper()
	out, err := c.Converse(context.Background(), in)
	if err != nil {
		t.Fatalf("Converse: %v", err)
	}
	return out
}

// replyText joins the text blocks of a Converse reply.
func replyText(t *testing.T, out *bedrockruntime.ConverseOutput) string {
	t.Helper()
	msg, ok := out.Output.(*types.ConverseOutputMemberMessage)
	if !ok {
		t.Fatalf("output is %T, want a message", out.Output)
	}
	if msg.Value.Role != types.ConversationRoleAssistant {
		t.Errorf("role = %q, want assistant", msg.Value.Role)
	}
	var sb strings.Builder
	for _, b := range msg.Value.Content {
		if tb, ok := b.(*types.ContentBlockMemberText); ok {
			sb.WriteString(tb.Value)
		}
	}
	return sb.String()
}

// checkUsage checks that a usage's total is the sum of its parts.
func checkUsage(t *testing.T, u *types.TokenUsage) {
	t.Helper()
	if u == nil || u.InputTokens == nil || u.OutputTokens == nil || u.TotalTokens == nil {
		t.Fatalf("usage = %+v, want input, output and total tokens", u)
	}
	sum := *u.InputTokens + *u.OutputTokens + aws.ToInt32(u.CacheReadInputTokens) + aws.ToInt32(u.CacheWriteInputTokens)
	if *u.TotalTokens != sum {
		t.Errorf("totalTokens = %d, want %d (input + output + cache read + cache write)", *u.TotalTokens, sum)
	}
}

// streamResult is what a ConverseStream delivered, decoded by the SDK.
type streamResult struct {
	events     []string // event kinds in order
	text       string   // text deltas of all blocks, concatenated
	toolInput  string   // tool use input deltas, concatenated
	toolStart  *types.ToolUseBlockStart
	stopReason types.StopReason
	usage      *types.TokenUsage
	latencyMs  int64
	err        error
}

func converseStream(t *testing.T, c *bedrockruntime.Client, in *bedrockruntime.ConverseStreamInput) streamResult {
	t.Helper()
	out, err := c.ConverseStream(context.Background(), in)
	if err != nil {
		t.Fatalf("ConverseStream: %v", err)
	}
	stream := out.GetStream()
	defer stream.Close()
	var r streamResult
	for ev := range stream.Events() {
		switch e := ev.(type) {
		case *types.ConverseStreamOutputMemberMessageStart:
			r.events = append(r.events, "messageStart")
		case *types.ConverseStreamOutputMemberContentBlockStart:
			r.events = append(r.events, "contentBlockStart")
			if s, ok := e.Value.Start.(*types.ContentBlockStartMemberToolUse); ok {
				r.toolStart = &s.Value
			}
		case *types.ConverseStreamOutputMemberContentBlockDelta:
			r.events = append(r.events, "contentBlockDelta")
			switch d := e.Value.Delta.(type) {
			case *types.ContentBlockDeltaMemberText:
				r.text += d.Value
			case *types.ContentBlockDeltaMemberToolUse:
				r.toolInput += aws.ToString(d.Value.Input)
			}
		case *types.ConverseStreamOutputMemberContentBlockStop:
			r.events = append(r.events, "contentBlockStop")
		case *types.ConverseStreamOutputMemberMessageStop:
			r.events = append(r.events, "messageStop")
			r.stopReason = e.Value.StopReason
		case *types.ConverseStreamOutputMemberMetadata:
			r.events = append(r.events, "metadata")
			r.usage = e.Value.Usage
			if e.Value.Metrics != nil {
				r.latencyMs = aws.ToInt64(e.Value.Metrics.LatencyMs)
			}
		default:
			t.Errorf("unexpected event %T", ev)
		}
	}
	r.err = stream.Err()
	return r
}

// apiError returns err's code and message as the SDK decoded them.
func apiError(t *testing.T, err error) (string, string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v (%T) is not an API error", err, err)
	}
	return ae.ErrorCode(), ae.ErrorMessage()
}
