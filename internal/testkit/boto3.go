package testkit

import (
	"os/exec"
	"testing"
)

// Boto3 runs the python script at path with url and args as its arguments, as a boto3
// user's code against the emulator at url, and fails the test with the script's output when
// it exits non-zero; it returns that output. It skips the test where python3 or boto3 is
// missing.
func Boto3(t testing.TB, path, url string, args ...string) string {
	t.Helper()
	if err := exec.Command("python3", "-c", "import boto3").Run(); err != nil {
		t.Skipf("boto3 is not installed (python3 -c 'import boto3' failed); skipping %s", path)
	}
	out, err := exec.Command("python3", append([]string{path, url}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s failed: %v\n%s", path, err, out)
	}
	return string(out)
}
