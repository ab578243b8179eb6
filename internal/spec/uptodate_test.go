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
	upToDate(t, "bedrock-runtime.json", extract.Locate)
}

// TestControlExtractUpToDate checks bedrock.json against botocore's bedrock model
// (./gen -control), as TestExtractUpToDate checks bedrock-runtime.json.
func TestControlExtractUpToDate(t *testing.T) {
	t.Parallel()
	upToDate(t, "bedrock.json", func() (string, error) { return extract.LocateIn(extract.ControlModelRel) })
}

func upToDate(t *testing.T, file string, locate func() (string, error)) {
	path, err := locate()
	if errors.Is(err, extract.ErrNoBotocore) {
		t.Skipf("skipping: %v (install botocore or set %s to check %s is up to date)", err, extract.EnvModel, file)
	}
	if err != nil {
		t.Fatal(err)
	}
	want, err := extract.Generate(path)
	if err != nil {
		t.Fatalf("generating from %s: %v", path, err)
	}
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date with %s; run \"go generate ./internal/spec\"", file, path)
	}
}
