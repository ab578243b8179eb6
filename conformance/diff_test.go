package conformance_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bedrock-emulator/bedrock-emulator/conformance"
)

// Two emulators answer every case alike; an emulator and a broken one differ exactly in
// the broken part.
func TestDiff(t *testing.T) {
	t.Parallel()
	a := conformance.InProcess()
	t.Cleanup(func() { a.Close() })
	b := conformance.InProcess()
	t.Cleanup(func() { b.Close() })
	for _, d := range conformance.Diff(t.Context(), a, b, conformance.Cases()) {
		if d.Diff != "" {
			t.Errorf("%s: two emulators differ:\n%s", d.Case, d.Diff)
		}
		if d.A.Outcome != d.B.Outcome {
			t.Errorf("%s: outcomes %s and %s", d.Case, d.A.Outcome, d.B.Outcome)
		}
	}

	srv := httptest.NewServer(swapLastTwoFrames(newHandler(t)))
	t.Cleanup(srv.Close)
	broken := conformance.Endpoint(srv.URL)
	cases := []conformance.Case{}
	for _, c := range conformance.Cases() {
		if c.Name == "stream/basic" || c.Name == "converse/basic" {
			cases = append(cases, c)
		}
	}
	diffs := conformance.Diff(t.Context(), a, broken, cases)
	for _, d := range diffs {
		switch d.Case {
		case "converse/basic":
			if d.Diff != "" {
				t.Errorf("converse/basic differs, but the broken server only breaks streams:\n%s", d.Diff)
			}
		case "stream/basic":
			// Step 2 is the stream: its last two events are swapped.
			if !strings.Contains(d.Diff, "step 2") || !strings.Contains(d.Diff, "messageStop") || !strings.Contains(d.Diff, "metadata") {
				t.Errorf("stream/basic: diff does not show the swapped events:\n%s", d.Diff)
			}
		}
	}
	var sb strings.Builder
	if err := conformance.WriteDiff(&sb, a.Name, broken.Name, diffs); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sb.String(), "stream/basic") || !strings.Contains(sb.String(), "differs") {
		t.Errorf("report does not name the differing case:\n%s", sb.String())
	}
}
