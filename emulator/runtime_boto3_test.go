package emulator_test

import (
	"testing"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

// TestBoto3Runtime runs testdata/boto3_runtime.py: guardrails, ApplyGuardrail, prompts,
// CountTokens, InvokeModel for every family, reasoning, citations and structured output asked
// for, a Nova model's in-stream validationException and the unsupported operations, through
// boto3.
// It skips where python3 or boto3 is missing.
func TestBoto3Runtime(t *testing.T) {
	t.Parallel()
	runBoto3(t, "boto3_runtime.py", emulator.WithGuardrails(testGuardrails(t)...), emulator.WithPrompts(testPrompts(t)...))
}
