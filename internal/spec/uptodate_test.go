package spec_test

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/bedrock-emulator/bedrock-emulator/internal/spec/internal/extract"
)

// TestExtractUpToDate checks that bedrock-runtime.json is what ./gen writes
// from the botocore installed on this machine. It is skipped when botocore is
// not installed.
func TestExtractUpToDate(t *testing.T) {
	t.Parallel()
	path, err := extract.Locate()
	if errors.Is(err, extract.ErrNoBotocore) {
		t.Skipf("skipping: %v (install botocore or set %s to check bedrock-runtime.json is up to date)", err, extract.EnvModel)
	}
	if err != nil {
		t.Fatal(err)
	}
	want, err := extract.Generate(path)
	if err != nil {
		t.Fatalf("generating from %s: %v", path, err)
	}
	got, err := os.ReadFile("bedrock-runtime.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("bedrock-runtime.json is out of date with %s; run \"go generate ./internal/spec\"", path)
	}
}
