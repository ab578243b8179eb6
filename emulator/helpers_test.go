package emulator_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// start serves an emulator for one test and returns a Go SDK client pointed at it.
func start(t *testing.T, opts ...func(*emulator.Options)) (*emulator.Server, *bedrockruntime.Client) {
	t.Helper()
	srv := emulator.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv, testkit.Client(srv.URL)
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

// runBoto3 runs the boto3 script testdata/<script> against an emulator served with opts, and
// fails the test with the script's output when it exits non-zero. It skips where python3 or
// boto3 is missing.
func runBoto3(t *testing.T, script string, opts ...func(*emulator.Options)) {
	t.Helper()
	srv, _ := start(t, opts...)
	t.Logf("%s", testkit.Boto3(t, "testdata/"+script, srv.URL))
}
