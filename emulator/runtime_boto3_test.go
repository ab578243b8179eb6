package emulator_test

import (
	"os/exec"
	"testing"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

// TestBoto3Runtime runs testdata/boto3_runtime.py: guardrails, ApplyGuardrail, prompts,
// CountTokens, InvokeModel for every family and the unsupported operations, through boto3.
// It skips where python3 or boto3 is missing.
func TestBoto3Runtime(t *testing.T) {
	t.Parallel()
	if err := exec.Command("python3", "-c", "import boto3").Run(); err != nil {
		t.Skip("boto3 is not installed (python3 -c 'import boto3' failed); skipping the boto3 runtime flows")
	}
	srv := emulator.NewServer(emulator.WithGuardrails(testGuardrails(t)...), emulator.WithPrompts(testPrompts(t)...))
	defer srv.Close()
	out, err := exec.Command("python3", "testdata/boto3_runtime.py", srv.URL).CombinedOutput()
	if err != nil {
		t.Fatalf("boto3 runtime flows failed: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
