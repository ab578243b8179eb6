package cassette_test

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// Secret-shaped test values. They are built at run time so that no scanner flags this file.
var (
	accessKey    = "AKIA" + strings.Repeat("Q7", 8)
	signature    = strings.Repeat("0123456789abcdef", 4)
	sessionToken = "IQoJb3JpZ2lu" + strings.Repeat("ZXhhbXBsZQ", 8)
	bedrockKey   = "ABSK" + strings.Repeat("QmVkcm9jaw", 6)
)

func sigV4(key string) string {
	return "AWS4-HMAC-SHA256 Credential=" + key + "/20250101/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + signature
}

// TestRedact: each kind of secret, wherever it sits, is found by Scan, Save refuses the
// cassette, and after Redact the cassette is clean and Save writes it.
func TestRedact(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		plant func(i *cassette.Interaction)
		what  string
	}{
		{"SigV4 Authorization", func(i *cassette.Interaction) { i.Request.Headers.Set("Authorization", sigV4(accessKey)) }, "an unredacted credential"},
		{"Bearer API key", func(i *cassette.Interaction) { i.Request.Headers.Set("Authorization", "Bearer "+bedrockKey) }, "an unredacted credential"},
		{"session token header", func(i *cassette.Interaction) { i.Request.Headers.Set("X-Amz-Security-Token", sessionToken) }, "an unredacted credential"},
		{"presigned URL", func(i *cassette.Interaction) {
			i.Request.URL += "?X-Amz-Credential=" + accessKey + "%2F20250101&X-Amz-Signature=" + signature
		}, "an AWS access key ID"},
		{"cookie", func(i *cassette.Interaction) { i.Response.Headers.Set("Set-Cookie", "session=abc") }, "an unredacted credential"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := cassette.New("secret")
			i := interaction(bedrockURL+"/model/m/converse", `{"messages":[]}`, `{"ok":true}`)
			i.Request.Headers = http.Header{"Content-Type": {"application/json"}}
			i.Response.Headers = http.Header{"Content-Type": {"application/json"}}
			tt.plant(i)
			c.Add(i)

			err := cassette.Scan(c)
			var se *cassette.SecretError
			if !errors.As(err, &se) || !errors.Is(err, cassette.ErrSecret) || se.What != tt.what {
				t.Fatalf("Scan = %v, want %s", err, tt.what)
			}
			path := filepath.Join(t.TempDir(), "c.yaml")
			if err := c.Save(path); !errors.Is(err, cassette.ErrSecret) {
				t.Fatalf("Save = %v, want it to refuse", err)
			}
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Fatalf("Save wrote a cassette holding a secret")
			}

			cassette.Redact(i)
			if err := c.Save(path); err != nil {
				t.Fatalf("after Redact: %v", err)
			}
			checkNoSecrets(t, path)
		})
	}
}

// TestScanBodies: secrets in bodies and frames, which Redact does not touch, are still found.
func TestScanBodies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		plant func(i *cassette.Interaction)
		what  string
	}{
		{"access key in the request body", func(i *cassette.Interaction) {
			i.Request.Body = `{"messages":[{"role":"user","content":[{"text":"my key is ` + accessKey + `"}]}]}`
		}, "an AWS access key ID"},
		{"Bedrock key in a frame", func(i *cassette.Interaction) {
			i.Response.Frames = []cassette.Frame{{Payload: `{"delta":{"text":"` + bedrockKey + `"},"p":"ab"}`}}
		}, "a Bedrock API key"},
		{"signature in the response body", func(i *cassette.Interaction) { i.Response.Body = "Signature=" + signature }, "a SigV4 signature"},
		{"short-term key", func(i *cassette.Interaction) {
			i.Response.Body = "bedrock-api-key-" + strings.Repeat("YmVkcm9jaw", 4)
		}, "a Bedrock API key"},
	}
	for _, tt := range tests {
		c := cassette.New("secret")
		i := interaction(bedrockURL+"/model/m/converse", `{}`, `{}`)
		tt.plant(i)
		c.Add(i)
		var se *cassette.SecretError
		if err := cassette.Scan(c); !errors.As(err, &se) || se.What != tt.what {
			t.Errorf("%s: Scan = %v, want %s", tt.name, err, tt.what)
		}
	}
}

// TestMaskAccountIDs: with the option, every ARN's account ID is masked, in the URL, the
// bodies, the frames and the headers.
func TestMaskAccountIDs(t *testing.T) {
	t.Parallel()
	const account = "123456789012"
	i := interaction(bedrockURL+"/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A"+account+"%3Aapplication-inference-profile%2Fp/converse",
		`{"guardrailConfig":{"guardrailIdentifier":"arn:aws:bedrock:us-east-1:`+account+`:guardrail/g"}}`,
		`{"trace":{"guardrail":{"arn":"arn:aws:bedrock:us-east-1:`+account+`:guardrail/g"}}}`)
	i.Response.Headers = http.Header{"X-Resource": {"arn:aws-us-gov:bedrock:us-gov-west-1:" + account + ":x"}}
	i.Response.Frames = []cassette.Frame{{Payload: `{"arn":"arn:aws:bedrock:us-east-1:` + account + `:guardrail/g"}`}}
	cassette.Redact(i, cassette.WithMaskAccountIDs(true))
	c := cassette.New("masked")
	c.Add(i)
	out, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), account) {
		t.Errorf("account ID still in the cassette:\n%s", out)
	}
	if n := strings.Count(string(out), cassette.MaskedAccountID); n != 5 {
		t.Errorf("%d masked account IDs, want 5:\n%s", n, out)
	}
}

// TestWriteFileAtomic: the file is replaced whole and no temporary file is left behind.
func TestWriteFileAtomic(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "c.yaml")
	for _, content := range []string{"old\n", "new\n"} {
		if err := cassette.WriteFileAtomic(path, []byte(content)); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != content {
			t.Fatalf("file = %q, %v; want %q", got, err, content)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the cassette", len(entries))
	}
}

// checkNoSecrets is testkit.CheckNoSecrets with the secrets of these tests.
func checkNoSecrets(t *testing.T, path string) {
	t.Helper()
	testkit.CheckNoSecrets(t, path, accessKey, signature, sessionToken, bedrockKey)
}
