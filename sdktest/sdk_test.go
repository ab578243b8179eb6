package sdktest

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

func serve(t *testing.T) string {
	t.Helper()
	srv := emulator.NewServer()
	t.Cleanup(srv.Close)
	return srv.URL
}

// The AWS SDK for JavaScript v3: Converse, ConverseStream, tool use and typed errors.
func TestJavaScriptSDK(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed")
	}
	if _, err := os.Stat("js/node_modules/@aws-sdk/client-bedrock-runtime"); err != nil {
		t.Skip("the JavaScript SDK is not installed: run npm ci --prefix sdktest/js (.ci/run does)")
	}
	out, err := exec.Command("node", "js/flows.mjs", serve(t)).CombinedOutput()
	if err != nil {
		t.Fatalf("JavaScript flows: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}

// The AWS CLI, as the README shows it.
func TestAWSCLI(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the AWS CLI is not installed")
	}
	cmd := exec.Command("aws", "bedrock-runtime", "converse", "--endpoint-url", serve(t),
		"--model-id", "anthropic.claude-3-haiku-20240307-v1:0",
		"--messages", `[{"role":"user","content":[{"text":"Hi"}]}]`)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=x", "AWS_SECRET_ACCESS_KEY=x", "AWS_DEFAULT_REGION=us-east-1", "AWS_CONFIG_FILE=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("aws: %v\n%s", err, out)
	}
	var r struct {
		Output struct {
			Message struct{ Content []struct{ Text string } }
		}
		StopReason string
	}
	if err := json.Unmarshal(out, &r); err != nil || r.StopReason != "end_turn" || !strings.HasSuffix(r.Output.Message.Content[0].Text, "You said: Hi") {
		t.Errorf("aws printed %s (%v)", out, err)
	}
}

// curl's --aws-sigv4, the README's example for a container.
func TestCurlSigV4(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	out, err := exec.Command("curl", "-sS", "--aws-sigv4", "aws:amz:us-east-1:bedrock", "--user", "x:x",
		"-H", "Content-Type: application/json",
		"-d", `{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}`,
		serve(t)+"/model/amazon.nova-micro-v1:0/converse").CombinedOutput()
	if err != nil {
		t.Fatalf("curl: %v\n%s", err, out)
	}
	const want = `{"metrics":{"latencyMs":360},"output":{"message":{"content":[{"text":"This is bedrock-emulator answering as Nova Micro. You said: Hi"}],"role":"assistant"}},"stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":16,"serverToolUsage":{},"totalTokens":17}}`
	if string(out) != want {
		t.Errorf("curl printed\n%s\nwant (the README's example)\n%s", out, want)
	}
}
