package conformance

import (
	"context"
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

// DiffFailed returns how many of diffs fail on either target.
func DiffFailed(diffs []Difference) int {
	n := 0
	for _, d := range diffs {
		if d.A.Outcome == Fail || d.B.Outcome == Fail {
			n++
		}
	}
	return n
}
