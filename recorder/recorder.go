// Package recorder records real Amazon Bedrock Runtime traffic to cassettes and replays it,
// so that a test that talked to Bedrock once runs offline ever after.
//
// For Go tests, one call gives a test a Bedrock Runtime client option (Bedrock) or an
// *http.Client (HTTPClient) that, depending on the mode, records the test's requests
// against real Bedrock or replays them from the cassette:
//
//	brt := bedrockruntime.New(bedrockruntime.Options{}, recorder.Bedrock(t, "testdata/chat.yaml"))
//
// The mode comes from $BEDROCK_EMULATOR_RECORDER_MODE: replay (the default, so CI needs no
// AWS credentials), record, replay-or-record or passthrough. For every other language,
// Proxy (the `bedrock-emulator record` command) records whatever SDK is pointed at it, and
// the emulator replays the cassettes (fixtures.Cassettes, `bedrock-emulator serve
// --cassette`).
//
// Cassettes are go-vcr v3.2.0's format, and this package speaks go-vcr's language: modes,
// hooks and matchers. It differs from go-vcr where Bedrock needs it to:
//
//   - Requests are matched on what Bedrock reads: the method, the operation, the decoded
//     model ID and the body as canonical JSON; headers (signatures, dates, SDK IDs) are not
//     compared. go-vcr's default matcher compares the method and URL only, so every Converse
//     call to one model would match the first recording.
//   - Identical requests replay in recorded order.
//   - A ConverseStream body is stored as its decoded frames (headers, JSON payload, arrival
//     offset), readable in the file and re-encoded byte for byte on replay.
//   - Credentials never reach the file: Authorization, session tokens, Bearer API keys and
//     cookies are redacted before saving. Any other secret-shaped string (an access key ID
//     quoted in a prompt, an API key in an unusual header, a token echoed in a stream
//     frame) is redacted where it is, and reported (ErrSecret) naming the interaction and
//     the kind of secret, never the secret; the rest of the recording is saved.
//   - Replay skips the recorded latency (go-vcr's SkipRequestLatency) unless
//     Options.RecordedTiming is set, which also paces a stream's frames as they came.
//   - Cassettes are written atomically: a crash leaves the old file or the new one, whole.
package recorder

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"

	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
)

// ErrInvalidMode is wrapped by the error for a mode name that is not one of the four.
var ErrInvalidMode = errors.New("invalid recorder mode")

// Interaction is a recorded request and its response, as hooks see it.
type Interaction = cassette.Interaction

// Request is a recorded request (go-vcr's cassette.Request), as matchers see it.
type Request = cassette.Request

// MatcherFunc reports whether an incoming request (got) matches a recorded one.
type MatcherFunc = cassette.MatcherFunc

// DefaultMatcher matches on the method, the operation, the decoded model ID and the body as
// canonical JSON (member order, white space, number spelling ignored; account IDs in ARNs
// ignored). Headers are not compared. A recorded request without a body matches any body.
func DefaultMatcher(got, recorded *Request) bool { return cassette.DefaultMatcher(got, recorded) }

// Errors, to test with errors.Is.
var (
	// ErrNoMatch: no recorded interaction matches a request. The error says which came
	// closest, with a diff; the AWS SDK does not retry it.
	ErrNoMatch = cassette.ErrNoMatch
	// ErrSecret: a secret-shaped string was redacted from an interaction (the error names
	// which and where, never the secret), or a cassette holding one was not written.
	ErrSecret = cassette.ErrSecret
	// ErrCassetteNotFound: replay mode needs a cassette file, and there is none.
	ErrCassetteNotFound = errors.New("cassette not found")
)

// HookKind says when a hook runs.
type HookKind int

// Hook kinds, as go-vcr names them.
const (
	// AfterCaptureHook runs on an interaction just recorded, before redaction. For a
	// stream it runs when the stream has ended.
	AfterCaptureHook HookKind = iota
	// BeforeSaveHook runs on every interaction each time the cassette is written.
	BeforeSaveHook
	// BeforeResponseReplayHook runs on an interaction about to be replayed.
	BeforeResponseReplayHook
)

// HookFunc changes an interaction, or fails the step it runs in.
type HookFunc func(i *Interaction) error

// Hook is a HookFunc and when it runs.
type Hook struct {
	Kind    HookKind
	Handler HookFunc
}

func runHooks(hooks []Hook, kind HookKind, i *Interaction) error {
	for _, h := range hooks {
		if h.Kind == kind {
			if err := h.Handler(i); err != nil {
				return err
			}
		}
	}
	return nil
}

// Recorder is an http.RoundTripper (and the HTTPClient of a Bedrock Runtime client) that
// records, replays or passes requests through. Stop it to save what it recorded.
type Recorder struct {
	opts   Options
	real   http.RoundTripper
	player *cassette.Player
	tape   *tape
}

// New returns a Recorder for the cassette file at path, in the mode of
// $BEDROCK_EMULATOR_RECORDER_MODE unless an option sets one (see ModeDefault). In replay
// mode the cassette must exist (ErrCassetteNotFound). The caller must Stop it.
func New(path string, opts ...func(*Options)) (*Recorder, error) {
	mode, err := envMode() // read even when an option sets the mode: a wrong value is an error
	if err != nil {
		return nil, err
	}
	o := buildOptions(opts)
	if o.Mode == ModeDefault {
		o.Mode = mode
	}
	r := &Recorder{opts: o, real: o.Transport}
	if r.real == nil {
		r.real = http.DefaultTransport
	}
	c := cassette.New(path)
	switch o.Mode {
	case ModeReplayOnly, ModeReplayWithNewEpisodes:
		loaded, err := cassette.Load(path)
		switch {
		case err == nil:
			c = loaded
		case errors.Is(err, os.ErrNotExist) && o.Mode == ModeReplayWithNewEpisodes:
		case errors.Is(err, os.ErrNotExist):
			return nil, fmt.Errorf("%w: %s (record it with %s=record)", ErrCassetteNotFound, path, EnvMode)
		default:
			return nil, err
		}
	case ModeRecordOnly, ModePassthrough:
	default:
		return nil, fmt.Errorf("%w %d", ErrInvalidMode, int(o.Mode))
	}
	r.player = cassette.NewPlayer([]*cassette.Cassette{c}, cassette.WithMatcher(o.Matcher), cassette.WithRepeat(o.Repeat))
	r.tape = newTape(path, c, o.Hooks, o.MaskAccountIDs, nil)
	return r, nil
}

// Mode returns the recorder's mode.
func (r *Recorder) Mode() Mode { return r.opts.Mode }

// Unplayed returns the interactions not replayed yet, as "FILE #ID".
func (r *Recorder) Unplayed() []string { return r.player.Unplayed() }

// Do sends req through the recorder, making a Recorder the HTTPClient of a Bedrock Runtime
// client.
func (r *Recorder) Do(req *http.Request) (*http.Response, error) { return r.RoundTrip(req) }

// Client returns an *http.Client whose transport is the recorder.
func (r *Recorder) Client() *http.Client { return &http.Client{Transport: r} }

// RoundTrip answers req from the cassette, or sends it on (and records it), as the mode
// says.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if r.opts.Mode == ModePassthrough {
		return r.real.RoundTrip(req)
	}
	body, err := readBody(req)
	if err != nil {
		return nil, err
	}
	if r.opts.Mode != ModeRecordOnly {
		got := &Request{Method: req.Method, URL: req.URL.String(), Body: string(body), Headers: req.Header}
		i, err := r.player.Play(got)
		if err == nil {
			return r.replay(req, i)
		}
		if r.opts.Mode == ModeReplayOnly || !errors.Is(err, ErrNoMatch) {
			return nil, err
		}
	}
	return r.record(req, body)
}

func (r *Recorder) replay(req *http.Request, i *Interaction) (*http.Response, error) {
	if err := runHooks(r.opts.Hooks, BeforeResponseReplayHook, i); err != nil {
		return nil, err
	}
	if d := i.Response.Duration; r.opts.RecordedTiming && d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-req.Context().Done():
			t.Stop()
			return nil, req.Context().Err()
		}
	}
	return i.HTTPResponse(req, r.opts.RecordedTiming)
}

// record sends req on, with body, and records the exchange; a stream is recorded as the
// caller reads it.
func (r *Recorder) record(req *http.Request, body []byte) (*http.Response, error) {
	out := req.Clone(req.Context())
	out.Body = io.NopCloser(bytes.NewReader(body))
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	start := time.Now()
	resp, err := r.real.RoundTrip(out)
	if err != nil {
		r.tape.lose()
		return nil, err
	}
	i := captured(req, req.URL.String(), body, resp, time.Since(start))
	r.tape.begin(i)
	if !cassette.IsEventStream(resp.Header) {
		whole, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			r.tape.abandon(i)
			return nil, err
		}
		i.Response.Body = string(whole)
		if err := r.tape.finish(i); err != nil {
			return nil, err
		}
		resp.Body = io.NopCloser(bytes.NewReader(whole))
		return resp, nil
	}
	resp.Body = &teeBody{body: resp.Body, cut: cassette.NewCutter(time.Now()), done: func(frames []cassette.Frame) {
		i.Response.Frames = frames
		if err := r.tape.finish(i); err != nil {
			r.tape.fail(err)
		}
	}}
	return resp, nil
}

// readBody reads and closes a request's body, as a RoundTripper must.
func readBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	defer req.Body.Close()
	return io.ReadAll(req.Body)
}

// Stop ends the recording: in record mode it writes the cassette, in replay-or-record mode
// it does when anything was recorded, always atomically and redacted. It reports errors of
// hooks that ran after a stream was handed on, and ErrSecret for each interaction a
// secret-shaped string was redacted from (the cassette is saved all the same). A save that
// fails, or a recording whose every exchange failed, leaves the cassette file as it was.
func (r *Recorder) Stop() error {
	var err error
	switch r.opts.Mode {
	case ModeRecordOnly:
		err = r.tape.save(true)
	case ModeReplayWithNewEpisodes:
		err = r.tape.save(false)
	}
	return errors.Join(r.tape.err(), err)
}

// Bedrock returns a Bedrock Runtime client option that sends the client's requests through
// the recorder. Replaying, it also sets a region and dummy credentials where the client has
// none, so that no AWS configuration is needed; recording, it takes them from the default
// AWS configuration (environment, shared files, SSO, instance roles) where the client has
// none.
func (r *Recorder) Bedrock() func(*bedrockruntime.Options) {
	return func(o *bedrockruntime.Options) {
		o.HTTPClient = r
		if o.Region != "" && o.Credentials != nil {
			return
		}
		if r.opts.Mode == ModeReplayOnly {
			if o.Region == "" {
				o.Region = "us-east-1"
			}
			if o.Credentials == nil {
				o.Credentials = credentials.NewStaticCredentialsProvider("AKIDRECORDER", "recorder-replay", "")
			}
			return
		}
		cfg, err := config.LoadDefaultConfig(context.Background())
		if err != nil {
			return // the client reports the missing region or credentials itself
		}
		if o.Region == "" {
			o.Region = cfg.Region
		}
		if o.Credentials == nil {
			o.Credentials = cfg.Credentials
		}
	}
}

// TB is the part of testing.TB that Start, Bedrock and HTTPClient use: a *testing.T,
// *testing.B or *testing.F. The package does not import testing, so that a program that
// links it (the bedrock-emulator command) does not link the test framework.
type TB interface {
	Helper()
	Cleanup(func())
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// Start returns a Recorder for the cassette at path and stops it when the test ends,
// failing the test if that fails. It fails the test at once if the recorder cannot start.
func Start(t TB, path string, opts ...func(*Options)) *Recorder {
	t.Helper()
	r, err := New(path, opts...)
	if err != nil {
		t.Fatalf("recorder: %v", err)
	}
	t.Cleanup(func() {
		if err := r.Stop(); err != nil {
			t.Errorf("recorder: %v", err)
		}
	})
	return r
}

// Bedrock is Start(t, path, opts...).Bedrock(): the one call that gives a test a Bedrock
// Runtime client option recording to or replaying from the cassette at path.
func Bedrock(t TB, path string, opts ...func(*Options)) func(*bedrockruntime.Options) {
	t.Helper()
	return Start(t, path, opts...).Bedrock()
}

// HTTPClient is Start(t, path, opts...).Client(): an *http.Client recording to or
// replaying from the cassette at path.
func HTTPClient(t TB, path string, opts ...func(*Options)) *http.Client {
	t.Helper()
	return Start(t, path, opts...).Client()
}
