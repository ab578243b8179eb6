package conformance

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// Open returns the target spec names, as the bedrock-emulator conformance command takes
// them: "bedrock" is real Bedrock in region (Bedrock), an http:// or https:// URL an
// endpoint (Endpoint), and anything else the path of a cassette to replay (Cassette). The
// caller must Close it.
func Open(ctx context.Context, spec, region string) (*Target, error) {
	switch {
	case spec == "bedrock":
		return Bedrock(ctx, region)
	case strings.HasPrefix(spec, "http://"), strings.HasPrefix(spec, "https://"):
		return Endpoint(spec), nil
	}
	return Cassette(spec)
}

// Check runs cases against t and writes the results to w, as a table (WriteTable) or, with
// asJSON, as JSON (WriteJSON). Its error says how many cases failed, if any did.
func Check(ctx context.Context, w io.Writer, t *Target, cases []Case, asJSON bool) error {
	results := Run(ctx, t, cases)
	write := func() error { return WriteTable(w, results) }
	if asJSON {
		write = func() error { return WriteJSON(w, t.Name, results) }
	}
	if err := write(); err != nil {
		return err
	}
	if s := Summarize(results); s.Failed() {
		return fmt.Errorf("%s against %s", s, t.Name)
	}
	return nil
}

// CheckDiff runs cases against a and b and writes how their answers differ to w, as a
// table (WriteDiff) or, with asJSON, as JSON (WriteDiffJSON). Its error says how many
// cases failed on either target, if any did.
func CheckDiff(ctx context.Context, w io.Writer, a, b *Target, cases []Case, asJSON bool) error {
	diffs := Diff(ctx, a, b, cases)
	write := WriteDiff
	if asJSON {
		write = WriteDiffJSON
	}
	if err := write(w, a.Name, b.Name, diffs); err != nil {
		return err
	}
	failed := 0
	for _, d := range diffs {
		if d.A.Outcome == Fail || d.B.Outcome == Fail {
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d cases fail on %s or %s", failed, a.Name, b.Name)
	}
	return nil
}
