package emulator_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// live is a behaviour whose reply is live (Reply.Live): it yields the pieces, then sets
// Content to content (nil: the pieces' text, then a tool call).
func live(pieces []string, content []emulator.Block) emulator.Behaviour {
	return emulator.BehaviourFunc(func(context.Context, *emulator.Call) (*emulator.Reply, error) {
		r := &emulator.Reply{}
		r.Live = func(yield func(string) bool) error {
			for _, p := range pieces {
				if !yield(p) {
					return nil
				}
			}
			r.Content = content
			if content == nil {
				r.Content = []emulator.Block{emulator.TextBlock(strings.Join(pieces, "")),
					{ToolUse: &emulator.ToolUse{ToolUseID: "tooluse_1", Name: "weather", Input: []byte(`{"city":"Paris"}`)}}}
				r.StopReason = "tool_use"
			}
			return nil
		}
		return r, nil
	})
}

// TestLiveReply: a live reply is one Reply in two encodings: ConverseStream sends its
// pieces as text deltas, then the rest of its content, the stop reason and the estimated
// usage; Converse (which collects it) answers the same message and usage.
func TestLiveReply(t *testing.T) {
	t.Parallel()
	_, c := start(t, emulator.WithBehaviour(live([]string{"Let me ", "look."}, nil)))
	model := aws.String("anthropic.claude-3-haiku-20240307-v1:0")
	msgs := []types.Message{testkit.UserText("Weather in Paris?")}
	s := testkit.ConverseStream(t, c, &bedrockruntime.ConverseStreamInput{ModelId: model, Messages: msgs})
	want := "messageStart contentBlockDelta contentBlockDelta contentBlockStop contentBlockStart contentBlockDelta contentBlockStop messageStop metadata"
	if s.Err != nil || strings.Join(s.Deltas, "|") != "Let me |look." || s.ToolInput != `{"city":"Paris"}` ||
		s.StopReason != types.StopReasonToolUse || strings.Join(s.Events, " ") != want {
		t.Errorf("stream: err %v, deltas %q, tool input %q, stop %q, events %q", s.Err, s.Deltas, s.ToolInput, s.StopReason, s.Events)
	}
	out := testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: model, Messages: msgs})
	if got := testkit.ReplyText(t, out); got != "Let me look." || out.StopReason != types.StopReasonToolUse {
		t.Errorf("Converse: %q, stop %q", got, out.StopReason)
	}
	if s.Usage == nil || *s.Usage.OutputTokens != *out.Usage.OutputTokens || *s.Usage.InputTokens != *out.Usage.InputTokens {
		t.Errorf("usage: stream %+v, Converse %+v", s.Usage, out.Usage)
	}
}

// TestLiveReplyMismatch: a live reply whose Content does not begin with the text it yielded
// is an InternalServerException: in a stream, after the deltas already sent.
func TestLiveReplyMismatch(t *testing.T) {
	t.Parallel()
	_, c := start(t, emulator.WithBehaviour(live([]string{"Hel", "lo"}, []emulator.Block{emulator.TextBlock("Bye")})))
	model := aws.String("anthropic.claude-3-haiku-20240307-v1:0")
	msgs := []types.Message{testkit.UserText("Hi")}
	s := testkit.ConverseStream(t, c, &bedrockruntime.ConverseStreamInput{ModelId: model, Messages: msgs})
	if s.Text != "Hello" || testkit.ErrorCode(s.Err) != "InternalServerException" {
		t.Errorf("stream: text %q, err %v", s.Text, s.Err)
	}
	_, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: model, Messages: msgs}, testkit.NoRetry)
	if code := testkit.ErrorCode(err); code != "InternalServerException" {
		t.Errorf("Converse: %v", err)
	}
}
