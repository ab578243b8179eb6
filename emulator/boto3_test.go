package emulator_test

import (
	"os/exec"
	"testing"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

// TestBoto3 runs the seed flows through boto3 (testdata/boto3_flows.py) against a served
// emulator. It skips where python3 or boto3 is missing.
func TestBoto3(t *testing.T) {
	t.Parallel()
	if err := exec.Command("python3", "-c", "import boto3").Run(); err != nil {
		t.Skip("boto3 is not installed (python3 -c 'import boto3' failed); skipping the boto3 flows")
	}
	srv := emulator.NewServer()
	defer srv.Close()
	out, err := exec.Command("python3", "testdata/boto3_flows.py", srv.URL).CombinedOutput()
	if err != nil {
		t.Fatalf("boto3 flows failed: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
