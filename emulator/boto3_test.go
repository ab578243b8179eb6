package emulator_test

import (
	"context"
	"strings"
	"testing"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

// TestBoto3 runs the seed flows through boto3 (testdata/boto3_flows.py) against a served
// emulator. It skips where python3 or boto3 is missing.
func TestBoto3(t *testing.T) {
	t.Parallel()
	runBoto3(t, "boto3_flows.py", emulator.WithBehaviour(raiser))
}

// raiser answers "raise <Type>" with that modeled exception, and "stream-raise <Type>" with a
// stream that it ends after two events, so the boto3 flows can check every error type.
var raiser = emulator.BehaviourFunc(func(_ context.Context, c *emulator.Call) (*emulator.Reply, error) {
	msgs := c.Request.Messages
	last := msgs[len(msgs)-1].Content[0].Text
	if last == nil {
		return nil, nil
	}
	if typ, ok := strings.CutPrefix(*last, "raise "); ok {
		e, err := emulator.NewError(typ, "")
		if err != nil {
			return nil, err
		}
		return nil, e
	}
	if typ, ok := strings.CutPrefix(*last, "stream-raise "); ok {
		e, err := emulator.NewError(typ, "")
		if err != nil {
			return nil, err
		}
		return &emulator.Reply{Content: []emulator.Block{emulator.TextBlock("partial answer here")}, Stream: emulator.StreamShape{FailAfter: 2, Fail: e}}, nil
	}
	return nil, nil
})
