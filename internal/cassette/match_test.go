package cassette_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
)

const bedrockURL = "https://bedrock-runtime.us-east-1.amazonaws.com"

func TestDefaultMatcher(t *testing.T) {
	t.Parallel()
	const path = "/model/us.amazon.nova-micro-v1%3A0/converse"
	const body = `{"messages":[{"role":"user","content":[{"text":"Hi é"}]}],"inferenceConfig":{"temperature":0.5,"maxTokens":100}}`
	recorded := cassette.Request{Method: "POST", URL: bedrockURL + path, Body: body,
		Headers: map[string][]string{"Authorization": {"AWS4-HMAC-SHA256 REDACTED"}, "X-Amz-Date": {"20250101T000000Z"}}}
	tests := []struct {
		name, reason string
		got          cassette.Request
		want         bool
	}{
		{"same", "", cassette.Request{Method: "POST", URL: bedrockURL + path, Body: body}, true},
		{"other host", "the host is where the SDK pointed, not what it asked",
			cassette.Request{Method: "POST", URL: "http://127.0.0.1:8080" + path, Body: body}, true},
		{"member order and space", "canonical JSON",
			cassette.Request{Method: "POST", URL: path, Body: `{ "inferenceConfig": {"maxTokens": 100, "temperature": 0.50},
				"messages": [{"content": [{"text": "Hi \u00e9"}], "role": "user"}] }`}, true},
		{"unencoded colon", "the model ID is compared decoded",
			cassette.Request{Method: "POST", URL: "/model/us.amazon.nova-micro-v1:0/converse", Body: body}, true},
		{"other headers", "headers are not compared",
			cassette.Request{Method: "POST", URL: path, Body: body, Headers: map[string][]string{"Authorization": {"Bearer x"}, "User-Agent": {"boto3"}}}, true},
		{"other text", "", cassette.Request{Method: "POST", URL: path, Body: strings.Replace(body, "Hi", "Ho", 1)}, false},
		{"other number", "", cassette.Request{Method: "POST", URL: path, Body: strings.Replace(body, "0.5", "0.6", 1)}, false},
		{"extra member", "", cassette.Request{Method: "POST", URL: path, Body: strings.Replace(body, `"maxTokens"`, `"topP":1,"maxTokens"`, 1)}, false},
		{"other operation", "", cassette.Request{Method: "POST", URL: path + "-stream", Body: body}, false},
		{"other model", "", cassette.Request{Method: "POST", URL: "/model/us.amazon.nova-lite-v1%3A0/converse", Body: body}, false},
		{"other method", "", cassette.Request{Method: "GET", URL: path, Body: body}, false},
	}
	for _, tt := range tests {
		if got := cassette.DefaultMatcher(&tt.got, &recorded); got != tt.want {
			t.Errorf("%s: DefaultMatcher = %v, want %v %s", tt.name, got, tt.want, tt.reason)
		}
	}

	// A recorded request without a body (an import of a bare response) matches any body.
	anyBody := cassette.Request{Method: "POST", URL: bedrockURL + path}
	if !cassette.DefaultMatcher(&cassette.Request{Method: "POST", URL: path, Body: body}, &anyBody) {
		t.Error("a recorded request without a body should match any body")
	}
	// Masked account IDs in an ARN model ID and in the body still match the real ones.
	arn := "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A%s%3Aapplication-inference-profile%2Fabc/converse"
	masked := cassette.Request{Method: "POST", URL: strings.Replace(arn, "%s", cassette.MaskedAccountID, 1),
		Body: `{"guardrailConfig":{"guardrailIdentifier":"arn:aws:bedrock:us-east-1:000000000000:guardrail/g"}}`}
	real := cassette.Request{Method: "POST", URL: strings.Replace(arn, "%s", "123456789012", 1),
		Body: `{"guardrailConfig":{"guardrailIdentifier":"arn:aws:bedrock:us-east-1:123456789012:guardrail/g"}}`}
	if !cassette.DefaultMatcher(&real, &masked) {
		t.Error("a request with a real account ID should match its masked recording")
	}
}

func interaction(url, body, answer string) *cassette.Interaction {
	i := &cassette.Interaction{Request: cassette.Request{Method: "POST", URL: url, Body: body}}
	i.Response.Code = 200
	i.Response.Body = answer
	return i
}

// TestPlayer: identical requests get their interactions in recorded order; once all are
// played the next is a miss that says so, unless Repeat starts them over; a request like no
// other is a miss with a diff against the closest.
func TestPlayer(t *testing.T) {
	t.Parallel()
	c := cassette.New("chat.yaml")
	hi := `{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}`
	c.Add(interaction("/model/m/converse", hi, "first"))
	c.Add(interaction("/model/m/converse", `{"messages":[{"role":"user","content":[{"text":"Bye"}]}]}`, "bye"))
	c.Add(interaction("/model/m/converse", hi, "second"))

	play := func(p *cassette.Player, body string) (string, error) {
		i, err := p.Play(&cassette.Request{Method: "POST", URL: "/model/m/converse", Body: body})
		if err != nil {
			return "", err
		}
		return i.Response.Body, nil
	}

	p := cassette.NewPlayer([]*cassette.Cassette{c})
	var got []string
	for range 2 {
		a, err := play(p, hi)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, a)
	}
	if diff := cmp.Diff([]string{"first", "second"}, got); diff != "" {
		t.Errorf("identical requests (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"chat.yaml #1"}, p.Unplayed()); diff != "" {
		t.Errorf("Unplayed (-want +got):\n%s", diff)
	}
	_, err := play(p, hi)
	var miss *cassette.MissError
	if !errors.As(err, &miss) || !errors.Is(err, cassette.ErrNoMatch) || !miss.Exhausted {
		t.Fatalf("third identical request: %v, want an exhausted miss", err)
	}
	if !strings.Contains(err.Error(), "replayed already") {
		t.Errorf("exhausted miss says %q, want it to say the matches were replayed already", err)
	}

	_, err = play(p, `{"messages":[{"role":"user","content":[{"text":"Bye!"}]}]}`)
	if !errors.As(err, &miss) || miss.Closest != "chat.yaml #1" {
		t.Fatalf("new request: %v, want a miss closest to #1", err)
	}
	for _, want := range []string{"no recorded interaction matches: POST Converse m", "(-recorded +got)", `-`, `"Bye"`, `+`, `"Bye!"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("miss message lacks %q:\n%v", want, err)
		}
	}
	if miss.RetryableError() {
		t.Error("a miss must not be retried by the SDK")
	}

	repeat := cassette.NewPlayer([]*cassette.Cassette{c}, cassette.WithRepeat(true))
	got = nil
	for range 5 {
		a, err := play(repeat, hi)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, a)
	}
	if diff := cmp.Diff([]string{"first", "second", "first", "second", "first"}, got); diff != "" {
		t.Errorf("Repeat (-want +got):\n%s", diff)
	}

	empty := cassette.NewPlayer(nil)
	if _, err := play(empty, hi); err == nil || !strings.Contains(err.Error(), "has no interactions") {
		t.Errorf("empty player: %v, want a miss saying there are no interactions", err)
	}
}

// TestPlayerMatcher: a custom matcher replaces the default one.
func TestPlayerMatcher(t *testing.T) {
	t.Parallel()
	c := cassette.New("any.yaml")
	c.Add(interaction("/model/m/converse", `{"a":1}`, "ok"))
	anything := func(got, recorded *cassette.Request) bool { return true }
	p := cassette.NewPlayer([]*cassette.Cassette{c}, cassette.WithMatcher(anything))
	if _, err := p.Play(&cassette.Request{Method: "POST", URL: "/model/other/converse-stream"}); err != nil {
		t.Errorf("custom matcher: %v", err)
	}
}

// TestPlayerSignedness: of identical requests, a signed one gets the interaction recorded
// signed and an unsigned one the interaction recorded unsigned, in whichever order they
// come (concurrent requests reach a cassette in any order); where none is of its
// signedness (a recording whose headers were stripped), a request gets the first match.
func TestPlayerSignedness(t *testing.T) {
	t.Parallel()
	hi := `{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}`
	signed := http.Header{"Authorization": {"AWS4-HMAC-SHA256 REDACTED"}}
	unsigned := http.Header{"Content-Type": {"application/json"}}
	c := cassette.New("auth.yaml")
	denied := interaction("/model/m/converse", hi, "denied")
	denied.Request.Headers = unsigned
	c.Add(denied)
	ok := interaction("/model/m/converse", hi, "answered")
	ok.Request.Headers = signed
	c.Add(ok)
	bare := interaction("/model/m/converse", `{}`, "bare")
	c.Add(bare)

	p := cassette.NewPlayer([]*cassette.Cassette{c})
	play := func(body string, h http.Header) string {
		i, err := p.Play(&cassette.Request{Method: "POST", URL: "/model/m/converse", Body: body, Headers: h})
		if err != nil {
			return "miss"
		}
		return i.Response.Body
	}
	got := []string{play(hi, signed), play(hi, unsigned), play(`{}`, signed), play(`{}`, unsigned)}
	if diff := cmp.Diff([]string{"answered", "denied", "bare", "miss"}, got); diff != "" {
		t.Errorf("answers (-want +got):\n%s", diff)
	}
}
