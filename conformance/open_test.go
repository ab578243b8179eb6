package conformance_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bedrock-emulator/bedrock-emulator/conformance"
)

// Open makes a target of a URL or a cassette path.
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
}

// Check and CheckDiff write a table or JSON and fail when a case does.
func TestCheck(t *testing.T) {
	t.Parallel()
	target := conformance.InProcess()
	t.Cleanup(func() { target.Close() })
	cases, err := conformance.Select(conformance.Cases(), "^converse/basic$")
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := conformance.Check(t.Context(), &out, target, cases, false); err != nil || !strings.Contains(out.String(), "1 passed, 0 failed") {
		t.Errorf("Check: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := conformance.CheckDiff(t.Context(), &out, target, target, cases, true); err != nil || !json.Valid([]byte(out.String())) {
		t.Errorf("CheckDiff, JSON: %v\n%s", err, out.String())
	}
	failing := []conformance.Case{{Name: "mine/fails", Steps: []conformance.Step{{Request: conformance.Request{Model: conformance.ModelText},
		Expect: conformance.Expect{Error: &conformance.WantError{Type: "ValidationException", Message: "never this"}}}}}}
	if err := conformance.Check(t.Context(), &out, target, failing, false); err == nil || !strings.Contains(err.Error(), "1 failed") {
		t.Errorf("Check of a failing case: %v", err)
	}
	if err := conformance.CheckDiff(t.Context(), &out, target, target, failing, false); err == nil || !strings.Contains(err.Error(), "1 cases fail") {
		t.Errorf("CheckDiff of a failing case: %v", err)
	}
}
