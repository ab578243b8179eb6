package upstream_test

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
	"github.com/bedrock-emulator/bedrock-emulator/upstream"
)

// startAimock runs @copilotkit/aimock (an OpenAI-compatible mock server from npm, installed
// by `npm ci --prefix upstream/testdata/aimock`, as .ci/run does) on the fixtures of
// testdata/aimock/fixtures.json, and returns its URL. It skips the test when aimock or node
// is not installed, or fails it where SDKTEST_REQUIRE is set (.ci/run sets it once npm ci ran).
func startAimock(t *testing.T) string {
	t.Helper()
	cli := filepath.Join("testdata", "aimock", "node_modules", "@copilotkit", "aimock", "dist", "cli.js")
	if _, err := os.Stat(cli); err != nil {
		testkit.Missing(t, "aimock is not installed: run npm ci --prefix upstream/testdata/aimock")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		testkit.Missing(t, "node is not installed")
	}
	cmd := exec.Command(node, cli, "--port", "0", "--log-level", "info", "--fixtures", filepath.Join("testdata", "aimock", "fixtures.json"))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	listening := regexp.MustCompile(`listening on (http://\S+)`)
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if m := listening.FindStringSubmatch(sc.Text()); m != nil {
			go func() {
				for sc.Scan() {
				}
			}()
			return m[1]
		}
		t.Log("aimock: " + sc.Text())
	}
	t.Fatalf("aimock exited without listening: %v", sc.Err())
	return ""
}

// TestAimockBoto3 runs text, a stream and a tool round trip through boto3
// (testdata/boto3_upstream.py). It skips where python3 or boto3 is missing.
func TestAimockBoto3(t *testing.T) {
	u, err := upstream.New(upstream.Config{URL: startAimock(t), DefaultModel: "gpt-4o-mini"})
	if err != nil {
		t.Fatal(err)
	}
	srv := emulator.NewServer(u.Install)
	defer srv.Close()
	testkit.Boto3(t, filepath.Join("testdata", "boto3_upstream.py"), srv.URL)
}

// TestAimock runs text, stream and a tool round trip in Converse and ConverseStream through
// the AWS SDK for Go against a chat completions server nobody here wrote.
func TestAimock(t *testing.T) {
	u, err := upstream.New(upstream.Config{URL: startAimock(t), DefaultModel: "gpt-4o-mini"})
	if err != nil {
		t.Fatal(err)
	}
	srv := emulator.NewServer(u.Install)
	defer srv.Close()
	c := testkit.Client(srv.URL)
	hello := []types.Message{testkit.UserText("hello")}
	out := testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: hello})
	if got := testkit.ReplyText(t, out); got != "Hello! How can I help you today?" || out.StopReason != types.StopReasonEndTurn {
		t.Errorf("Converse: %q, stop %q", got, out.StopReason)
	}
	s := testkit.ConverseStream(t, c, &bedrockruntime.ConverseStreamInput{ModelId: aws.String(model), Messages: hello})
	if s.Err != nil || s.Text != "Hello! How can I help you today?" || len(s.Deltas) < 2 || s.StopReason != types.StopReasonEndTurn || s.Usage == nil {
		t.Errorf("ConverseStream: err %v, deltas %q, stop %q, usage %+v", s.Err, s.Deltas, s.StopReason, s.Usage)
	}

	// The tool round trip, in both operations.
	in := &bedrockruntime.ConverseInput{ModelId: aws.String(model), ToolConfig: weatherTools(),
		Messages: []types.Message{testkit.UserText("What is the weather in Paris?")}}
	out = testkit.Converse(t, c, in)
	msg := testkit.Message(t, out)
	use, ok := msg.Content[len(msg.Content)-1].(*types.ContentBlockMemberToolUse)
	if !ok || out.StopReason != types.StopReasonToolUse || aws.ToString(use.Value.Name) != "weather" {
		t.Fatalf("Converse with tools: %#v, stop %q", msg.Content, out.StopReason)
	}
	if in, _ := use.Value.Input.MarshalSmithyDocument(); string(in) != `{"city":"Paris"}` {
		t.Errorf("tool input %s", in)
	}
	s = testkit.ConverseStream(t, c, &bedrockruntime.ConverseStreamInput{ModelId: in.ModelId, ToolConfig: in.ToolConfig, Messages: in.Messages})
	if s.ToolStart == nil || aws.ToString(s.ToolStart.Name) != "weather" || s.ToolInput != `{"city":"Paris"}` || s.StopReason != types.StopReasonToolUse {
		t.Errorf("ConverseStream with tools: start %+v input %q stop %q", s.ToolStart, s.ToolInput, s.StopReason)
	}
	in.Messages = append(in.Messages, msg, testkit.ToolResultText(use.Value.ToolUseId, "21 C, sunny"))
	out = testkit.Converse(t, c, in)
	if got := testkit.ReplyText(t, out); got != "It is sunny in Paris." {
		t.Errorf("after the tool result: %q", got)
	}
	s = testkit.ConverseStream(t, c, &bedrockruntime.ConverseStreamInput{ModelId: in.ModelId, ToolConfig: in.ToolConfig, Messages: in.Messages})
	if s.Text != "It is sunny in Paris." {
		t.Errorf("stream after the tool result: %q", s.Text)
	}
}
