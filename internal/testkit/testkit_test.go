package testkit_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// The kit against the emulator: a stream collected is the Converse reply in deltas, with
// its events in order; an InvokeModel stream's chunks; a modeled error's code and message.
func TestKit(t *testing.T) {
	t.Parallel()
	srv := emulator.NewServer()
	t.Cleanup(srv.Close)
	c := testkit.Client(srv.URL)
	const model = "amazon.nova-micro-v1:0"
	msgs := []types.Message{testkit.UserText("Hello kit")}

	text := testkit.ReplyText(t, testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: msgs}))
	s := testkit.ConverseStream(t, c, &bedrockruntime.ConverseStreamInput{ModelId: aws.String(model), Messages: msgs})
	if s.Err != nil || s.Text != text || len(s.Deltas) < 2 || s.StopReason != types.StopReasonEndTurn || s.Usage == nil {
		t.Errorf("stream = %+v, want the Converse text %q in deltas, end_turn and usage", s, text)
	}
	if n := len(s.Events); n != len(s.Raw) || n != len(s.At) || s.Events[0] != "messageStart" || s.Events[n-1] != "metadata" {
		t.Errorf("events %v (%d raw, %d times), want messageStart … metadata", s.Events, len(s.Raw), len(s.At))
	}

	chunks := testkit.InvokeModelStream(t, c, &bedrockruntime.InvokeModelWithResponseStreamInput{
		ModelId: aws.String(model), Body: []byte(`{"messages":[{"role":"user","content":[{"text":"Hello kit"}]}]}`)})
	if chunks.Err != nil || len(chunks.Chunks) == 0 {
		t.Errorf("InvokeModel stream: %d chunks, %v", len(chunks.Chunks), chunks.Err)
	}

	_, err := c.Converse(t.Context(), &bedrockruntime.ConverseInput{ModelId: aws.String(model)})
	code, _ := testkit.APIError(t, err)
	if diff := cmp.Diff("ValidationException", code); diff != "" || testkit.ErrorCode(err) != code {
		t.Errorf("no messages: code (-want +got):\n%s", diff)
	}
}

func ExampleRealTraffic() {
	fmt.Println(testkit.RealTraffic())
	// Output: ../cassette/testdata/real-traffic
}
