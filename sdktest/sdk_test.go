package sdktest

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
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
	// testkit.Missing skips, or fails where SDKTEST_REQUIRE is set (.ci/run sets it once npm
	// ci ran): go test ./... does not show skips.
	if _, err := exec.LookPath("node"); err != nil {
		testkit.Missing(t, "the JavaScript SDK is not tested: node is not installed")
	}
	if _, err := os.Stat("js/node_modules/@aws-sdk/client-bedrock-runtime"); err != nil {
		testkit.Missing(t, "the JavaScript SDK is not tested: it is not installed; run npm ci --prefix sdktest/js once (.ci/run does)")
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

// The README's test ID snippets: boto3's before-sign hook (under --auth strict, so the
// header is signed and verified) and the JavaScript SDK's build-step middleware name the
// test of every request.
func TestTestIDSnippets(t *testing.T) {
	t.Parallel()
	t.Run("boto3", func(t *testing.T) {
		t.Parallel()
		if err := exec.Command("python3", "-c", "import boto3").Run(); err != nil {
			t.Skip("python3 with boto3 is not installed")
		}
		srv := emulator.NewServer(emulator.WithAuth(emulator.AuthStrict),
			emulator.WithCredentials(aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "example-secret"}))
		t.Cleanup(srv.Close)
		const script = `import sys, boto3
def with_test_id(test_id):
    def add(request, **kwargs):
        request.headers["x-emulator-test-id"] = test_id
    return add

brt = boto3.client("bedrock-runtime", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="example-secret")
brt.meta.events.register("before-sign.bedrock-runtime.*", with_test_id("test_checkout"))
brt.converse(modelId="amazon.nova-micro-v1:0", messages=[{"role": "user", "content": [{"text": "hi"}]}])
`
		if out, err := exec.Command("python3", "-c", script, srv.URL).CombinedOutput(); err != nil {
			t.Fatalf("boto3: %v\n%s", err, out)
		}
		if n := len(emulator.OfTest(srv.Requests(), "test_checkout")); n != 1 {
			t.Errorf("%d requests of test_checkout, want 1", n)
		}
	})
	t.Run("JavaScript", func(t *testing.T) {
		t.Parallel()
		if _, err := exec.LookPath("node"); err != nil {
			t.Skip("node is not installed")
		}
		if _, err := os.Stat("js/node_modules/@aws-sdk/client-bedrock-runtime"); err != nil {
			t.Skip("the JavaScript SDK is not installed: run npm ci --prefix sdktest/js")
		}
		srv := emulator.NewServer()
		t.Cleanup(srv.Close)
		const script = `import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
const brt = new BedrockRuntimeClient({ endpoint: process.argv[1], region: "us-east-1",
  credentials: { accessKeyId: "x", secretAccessKey: "x" } });
brt.middlewareStack.add((next) => (args) => {
  args.request.headers["x-emulator-test-id"] = "checkout.test";
  return next(args);
}, { step: "build", name: "emulatorTestId" });
await brt.send(new ConverseCommand({ modelId: "amazon.nova-micro-v1:0", messages: [{ role: "user", content: [{ text: "hi" }] }] }));
`
		cmd := exec.Command("node", "--input-type=module", "-e", script, srv.URL)
		cmd.Dir = "js"
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("node: %v\n%s", err, out)
		}
		if n := len(emulator.OfTest(srv.Requests(), "checkout.test")); n != 1 {
			t.Errorf("%d requests of checkout.test, want 1", n)
		}
	})
}
