package recorder_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
	"github.com/bedrock-emulator/bedrock-emulator/recorder"
)

// Secret-shaped values, built at run time so that no scanner flags this file: AWS's
// documented example access key ID (https://docs.aws.amazon.com/IAM/latest/UserGuide/security-creds.html)
// and a Bedrock API key.
var (
	exampleKeyID = "AKIA" + "IOSFODNN7EXAMPLE"
	bedrockKey   = "ABSK" + strings.Repeat("QmVkcm9jaw", 6)
)

// recording is a way to record: through the Proxy, or the Recorder in a Go test. start
// returns a client option sending calls through it, and stop saves the cassette.
type recording struct {
	name  string
	start func(t *testing.T, upstream, path string, opts ...func(*recorder.Options)) (client func(*bedrockruntime.Options), logs *bytes.Buffer, stop func() error)
}

var recordings = []recording{
	{"proxy", func(t *testing.T, upstream, path string, opts ...func(*recorder.Options)) (func(*bedrockruntime.Options), *bytes.Buffer, func() error) {
		var logs bytes.Buffer
		proxy, err := recorder.NewProxy(path, append([]func(*recorder.Options){recorder.WithUpstream(upstream),
			recorder.WithCredentials(credentials.NewStaticCredentialsProvider(proxyKeyID, proxySecret, sessionToken)),
			recorder.WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(proxy)
		t.Cleanup(srv.Close)
		to := func(o *bedrockruntime.Options) { o.BaseEndpoint = aws.String(srv.URL) }
		return to, &logs, func() error { srv.Close(); return proxy.Save() }
	}},
	{"recorder", func(t *testing.T, upstream, path string, opts ...func(*recorder.Options)) (func(*bedrockruntime.Options), *bytes.Buffer, func() error) {
		rec := newRecorder(t, path, append([]func(*recorder.Options){recorder.WithMode(recorder.ModeRecordOnly)}, opts...)...)
		to := func(o *bedrockruntime.Options) {
			o.BaseEndpoint = aws.String(upstream)
			o.Credentials = credentials.NewStaticCredentialsProvider(proxyKeyID, proxySecret, sessionToken)
			rec.Bedrock()(o)
		}
		return to, &bytes.Buffer{}, rec.Stop
	}},
}

// sessionToken is not secret-shaped: only its being a credential of the request tells it.
var sessionToken = "opaque-session-token-" + strings.Repeat("0123", 6)

// One secret-shaped string in a prompt or an unusual header costs that one interaction its
// secret, not the whole recording (issue 13, item 6): the string is redacted, the recorder
// says which interaction and what kind of secret (never the secret), and every interaction
// is saved.
func TestOneSecretKeepsTheRecording(t *testing.T) {
	t.Parallel()
	for _, rc := range recordings {
		t.Run(rc.name, func(t *testing.T) {
			t.Parallel()
			upstream := startStandIn(t) // it echoes the prompt
			path := filepath.Join(t.TempDir(), "c.yaml")
			to, logs, stop := rc.start(t, upstream.URL, path)
			brt := testkit.Client(upstream.URL, to)
			forwarded := func(o *bedrockruntime.Options) {
				o.APIOptions = append(o.APIOptions, smithyhttp.AddHeaderValue("X-Forwarded-Authorization", "Bearer "+bedrockKey))
			}
			ctx := context.Background()
			for n, call := range []struct {
				prompt string
				opts   []func(*bedrockruntime.Options)
			}{
				{"Hello from Go", nil},
				{"My key is " + exampleKeyID + ", what is it for?", nil},
				{"Hello with a forwarded key", []func(*bedrockruntime.Options){forwarded}},
				{"Goodbye", nil},
			} {
				if _, err := brt.Converse(ctx, &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: userSays(call.prompt)}, call.opts...); err != nil {
					t.Fatalf("call %d: %v", n, err)
				}
			}
			if r := goStream(t, brt, &bedrockruntime.ConverseStreamInput{ModelId: aws.String(model), Messages: userSays("Stream my key " + exampleKeyID)}); r.Err != "" {
				t.Fatal(r.Err)
			}

			err := stop()
			said := fmt.Sprint(err)
			if rc.name == "proxy" { // the proxy logs it, and saves
				if err != nil {
					t.Fatalf("Save: %v", err)
				}
				said = logs.String()
			} else if !errors.Is(err, recorder.ErrSecret) {
				t.Fatalf("Stop = %v, want ErrSecret for each redacted secret", err)
			}
			at := "/model/" + strings.ReplaceAll(model, ":", "%3A")
			for _, want := range []string{
				"interaction 1 (POST " + at + "/converse): an AWS access key ID in the request body, redacted",
				"interaction 1 (POST " + at + "/converse): an AWS access key ID in the response body, redacted",
				"interaction 2 (POST " + at + "/converse): a Bedrock API key in the request header X-Forwarded-Authorization, redacted",
				"interaction 4 (POST " + at + "/converse-stream): an AWS access key ID in the response frame",
			} {
				if !strings.Contains(said, want) {
					t.Errorf("the recorder said\n%v\nwant it to say %q", said, want)
				}
			}
			for _, secret := range []string{exampleKeyID, bedrockKey} {
				if strings.Contains(said, secret) {
					t.Errorf("the recorder's words hold the secret %q", secret)
				}
			}
			checkNoSecrets(t, path, exampleKeyID, bedrockKey, sessionToken)
			c, err := cassette.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Interactions) != 5 {
				t.Errorf("the cassette holds %d interactions, want all 5", len(c.Interactions))
			}
		})
	}
}

// An upstream that echoes the request's session token in a stream frame gets it redacted
// there (issue 13, item 7), and the frame stays a valid event-stream message that replays.
func TestSecretInFrameRedacted(t *testing.T) {
	t.Parallel()
	echo := emulator.BehaviourFunc(func(ctx context.Context, c *emulator.Call) (*emulator.Reply, error) {
		return &emulator.Reply{Content: []emulator.Block{emulator.TextBlock("Your token is " + c.Header.Get("X-Amz-Security-Token") + ".")}}, nil
	})
	h, err := emulator.NewHandler(emulator.WithBehaviour(echo))
	if err != nil {
		t.Fatal(err)
	}
	for _, rc := range recordings {
		t.Run(rc.name, func(t *testing.T) {
			t.Parallel()
			upstream := httptest.NewServer(h)
			defer upstream.Close()
			path := filepath.Join(t.TempDir(), "c.yaml")
			to, _, stop := rc.start(t, upstream.URL, path)
			in := &bedrockruntime.ConverseStreamInput{ModelId: aws.String(model), Messages: userSays("What is my token?")}
			if r := goStream(t, testkit.Client(upstream.URL, to), in); r.Err != "" || !strings.Contains(r.Text, sessionToken) {
				t.Fatalf("the upstream did not echo the token: %+v", r)
			}
			if err := stop(); err != nil {
				t.Fatal(err)
			}
			checkNoSecrets(t, path, sessionToken)

			c, err := cassette.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			dec := eventstream.NewDecoder()
			for n, f := range c.Interactions[0].Response.Frames {
				b, err := f.Encode()
				if err == nil {
					_, err = dec.Decode(bytes.NewReader(b), nil)
				}
				if err != nil {
					t.Errorf("frame %d does not decode: %v", n, err)
				}
			}
			rec := newRecorder(t, path)
			if r := goStream(t, replayClient(rec), in); r.Err != "" || r.Text != "Your token is "+cassette.Redacted+"." {
				t.Errorf("replayed %+v, want the text with the token redacted", r)
			}
		})
	}
}

// A save that fails leaves the cassette that was there as it was, and no temporary file.
func TestFailedSaveKeepsCassette(t *testing.T) {
	t.Parallel()
	for _, rc := range recordings {
		t.Run(rc.name, func(t *testing.T) {
			t.Parallel()
			upstream := startStandIn(t)
			dir := t.TempDir()
			path := filepath.Join(dir, "c.yaml")
			old := []byte("---\nversion: 2\ninteractions: []\n# recorded earlier\n")
			if err := os.WriteFile(path, old, 0o644); err != nil {
				t.Fatal(err)
			}
			broken := recorder.WithHook(recorder.BeforeSaveHook, func(*recorder.Interaction) error { return errors.New("hook failed") })
			to, _, stop := rc.start(t, upstream.URL, path, broken)
			if _, err := testkit.Client(upstream.URL, to).Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: userSays("Hi")}); err != nil {
				t.Fatal(err)
			}
			if err := stop(); err == nil || !strings.Contains(err.Error(), "hook failed") {
				t.Fatalf("save = %v, want the hook's error", err)
			}
			if got, _ := os.ReadFile(path); !bytes.Equal(got, old) {
				t.Errorf("the cassette is now\n%s\nwant it untouched", got)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("the directory holds %d entries, want the cassette alone", len(entries))
			}
		})
	}
}

// A recording whose every exchange failed (here, the upstream is gone) leaves the cassette
// there was, rather than replacing it with an empty one.
func TestFailedRecordingKeepsCassette(t *testing.T) {
	t.Parallel()
	gone := httptest.NewServer(nil)
	gone.Close()
	path := filepath.Join(t.TempDir(), "c.yaml")
	old := []byte("---\nversion: 2\ninteractions: []\n# recorded earlier\n")
	if err := os.WriteFile(path, old, 0o644); err != nil {
		t.Fatal(err)
	}
	rec := newRecorder(t, path, recorder.WithMode(recorder.ModeRecordOnly))
	if _, err := testkit.Client(gone.URL, rec.Bedrock()).Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: userSays("Hi")}); err == nil {
		t.Fatal("a call to a closed upstream succeeded")
	}
	if err := rec.Stop(); err == nil || !strings.Contains(err.Error(), "nothing recorded, every exchange failed (1)") {
		t.Errorf("Stop = %v, want it to say nothing was recorded", err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, old) {
		t.Errorf("the cassette is now\n%s\nwant it untouched", got)
	}
}
