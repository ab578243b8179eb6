package conformance_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/bedrock-emulator/bedrock-emulator/conformance"
)

// Open makes a target of a URL or a cassette path; DiffFailed counts the cases that fail
// on either side.
func TestOpen(t *testing.T) {
	t.Parallel()
	target, err := conformance.Open(context.Background(), "http://127.0.0.1:8080", "")
	if err != nil {
		t.Fatal(err)
	}
	if target.Name != "endpoint http://127.0.0.1:8080" {
		t.Errorf("Open(URL) is named %q", target.Name)
	}
	if _, err := conformance.Open(context.Background(), filepath.Join(t.TempDir(), "none.yaml"), ""); err == nil {
		t.Error("Open of a missing cassette: no error")
	}
	diffs := []conformance.Difference{
		{A: conformance.Result{Outcome: conformance.Pass}, B: conformance.Result{Outcome: conformance.Fail}},
		{A: conformance.Result{Outcome: conformance.Pass}, B: conformance.Result{Outcome: conformance.Skip}},
		{A: conformance.Result{Outcome: conformance.Fail}, B: conformance.Result{Outcome: conformance.Fail}},
	}
	if n := conformance.DiffFailed(diffs); n != 2 {
		t.Errorf("DiffFailed = %d, want 2", n)
	}
}
