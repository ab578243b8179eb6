package conformance

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
	"github.com/bedrock-emulator/bedrock-emulator/recorder"
)

// ErrNoMatch is wrapped by the error a cassette target answers a request with when no
// recorded interaction matches it; the runner skips such a case as not recorded. It is the
// sentinel of recorder.ErrNoMatch and fixtures.ErrNoMatch.
var ErrNoMatch = recorder.ErrNoMatch

// Cassette returns a target that replays the cassette at path (package recorder's format,
// as Record writes it): requests are matched on the operation, the model ID and the body
// as canonical JSON, and answered with the recorded status, headers and body or
// event-stream frames. A case whose requests were not recorded is skipped. The target is
// Real, so the answers of real Bedrock it replays are held to every case, Pending marks
// aside. It takes the Region and the guardrail from the recorded requests; run it with
// the model roles the recording was made with. The caller must Close it.
func Cassette(path string) (*Target, error) {
	c, err := cassette.Load(path)
	if err != nil {
		return nil, fmt.Errorf("conformance: %w", err)
	}
	rec, err := recorder.New(path, recorder.WithMode(recorder.ModeReplayOnly), recorder.WithRepeat(true))
	if err != nil {
		return nil, fmt.Errorf("conformance: %w", err)
	}
	region, guardrail := recordedSettings(c)
	return &Target{
		Name: "cassette " + path,
		Config: aws.Config{
			Region:      region,
			Credentials: credentials.NewStaticCredentialsProvider("AKIDCASSETTE", "cassette-replay", ""),
			HTTPClient:  rec,
		},
		Region: region,
		// Any account: the matcher ignores account IDs in ARNs, which recordings mask.
		Account:   cassette.MaskedAccountID,
		Guardrail: guardrail,
		Real:      true,
		close:     rec.Stop,
	}, nil
}

// recordedSettings reads, from the first request that shows them, the Region a cassette
// was recorded in (us-east-1 if none does) and its guardrail as "ID:VERSION".
func recordedSettings(c *cassette.Cassette) (region, guardrail string) {
	for _, i := range c.Interactions {
		if u, err := url.Parse(i.Request.URL); err == nil && region == "" {
			if parts := strings.Split(u.Hostname(), "."); len(parts) > 2 && parts[0] == "bedrock-runtime" {
				region = parts[1]
			}
		}
		var body struct {
			GuardrailConfig *struct{ GuardrailIdentifier, GuardrailVersion string }
		}
		if guardrail == "" && json.Unmarshal([]byte(i.Request.Body), &body) == nil && body.GuardrailConfig != nil {
			guardrail = body.GuardrailConfig.GuardrailIdentifier + ":" + body.GuardrailConfig.GuardrailVersion
		}
	}
	if region == "" {
		region = "us-east-1"
	}
	return region, guardrail
}

// Record returns a target that sends its requests to target and records every exchange
// to a cassette at path, which Closing the returned target writes (atomically, with
// credentials redacted and account IDs masked); Close then closes target too. Running the
// suite against real Bedrock through it refreshes the cassette that Cassette replays.
func Record(target *Target, path string) (*Target, error) {
	real := target.Config.HTTPClient
	if real == nil {
		real = sharedHTTPClient()
	}
	rec, err := recorder.New(path, recorder.WithMode(recorder.ModeRecordOnly),
		recorder.WithTransport(roundTripper{real}), recorder.WithMaskAccountIDs(true))
	if err != nil {
		return nil, fmt.Errorf("conformance: %w", err)
	}
	t := *target
	t.Name = target.Name + " (recording to " + path + ")"
	t.Config.HTTPClient = rec
	t.close = func() error {
		err := rec.Stop()
		if cerr := target.Close(); err == nil {
			err = cerr
		}
		return err
	}
	return &t, nil
}

// roundTripper adapts an SDK HTTP client to an http.RoundTripper.
type roundTripper struct{ c aws.HTTPClient }

func (r roundTripper) RoundTrip(req *http.Request) (*http.Response, error) { return r.c.Do(req) }
