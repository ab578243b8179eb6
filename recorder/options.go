package recorder

import (
	"fmt"
	"log/slog"
	"net/http"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Options configure a Recorder (New, Start, Bedrock, HTTPClient) and a Proxy (NewProxy);
// each field says which of the two reads it. Pass functions that change them, the With*
// functions or one's own; with the zero Options a Recorder takes its mode from $EnvMode
// (replay when unset) and a Proxy records to the regional endpoint of us-east-1.
type Options struct {
	// Mode is a Recorder's mode; ModeDefault, the zero Mode, is the mode $EnvMode names,
	// ModeReplayOnly when it is unset. A Proxy always records.
	Mode Mode
	// Transport sends requests to Bedrock. Nil means http.DefaultTransport for a Recorder,
	// and for a Proxy a clone of it with compression off, so that bodies are recorded as
	// sent.
	Transport http.RoundTripper
	// Matcher matches a Recorder's requests with recorded ones; nil means DefaultMatcher.
	Matcher MatcherFunc
	// Hooks run at the points their Kind names, in order (a Proxy runs AfterCaptureHook
	// and BeforeSaveHook).
	Hooks []Hook
	// RecordedTiming makes a Recorder replay the recorded latency: each response after
	// the time its headers took to arrive, each stream frame at its recorded offset. Off
	// by default: go-vcr's SkipRequestLatency.
	RecordedTiming bool
	// Repeat lets a Recorder's interactions answer again once all that match a request
	// have answered. Off by default, as in go-vcr: a request beyond those recorded is a
	// miss.
	Repeat bool
	// MaskAccountIDs replaces the account ID of every ARN with 000000000000 before saving.
	MaskAccountIDs bool
	// Upstream is the Bedrock Runtime endpoint a Proxy forwards requests to; "" means the
	// regional endpoint, https://bedrock-runtime.REGION.amazonaws.com.
	Upstream string
	// Region is the region a Proxy signs requests for, and that of the default Upstream.
	// "" means the region in Upstream's host name, else us-east-1.
	Region string
	// Credentials sign the requests a Proxy forwards with SigV4 (signing name "bedrock").
	// A request that carries a Bearer API key is forwarded with it instead. Nil: only
	// Bearer requests can be forwarded.
	Credentials aws.CredentialsProvider
	// Append makes a Proxy keep the interactions the cassette already holds and add the
	// new ones after them; otherwise its first save replaces the cassette.
	Append bool
	// Logger receives a line per request a Proxy forwards; nil means none.
	Logger *slog.Logger
}

// WithMode sets Options.Mode.
func WithMode(m Mode) func(*Options) { return func(o *Options) { o.Mode = m } }

// WithTransport sets Options.Transport.
func WithTransport(rt http.RoundTripper) func(*Options) { return func(o *Options) { o.Transport = rt } }

// WithMatcher sets Options.Matcher.
func WithMatcher(m MatcherFunc) func(*Options) { return func(o *Options) { o.Matcher = m } }

// WithHook appends a hook to Options.Hooks.
func WithHook(kind HookKind, h HookFunc) func(*Options) {
	return func(o *Options) { o.Hooks = append(o.Hooks, Hook{Kind: kind, Handler: h}) }
}

// WithRecordedTiming sets Options.RecordedTiming.
func WithRecordedTiming(on bool) func(*Options) { return func(o *Options) { o.RecordedTiming = on } }

// WithRepeat sets Options.Repeat.
func WithRepeat(on bool) func(*Options) { return func(o *Options) { o.Repeat = on } }

// WithMaskAccountIDs sets Options.MaskAccountIDs.
func WithMaskAccountIDs(on bool) func(*Options) { return func(o *Options) { o.MaskAccountIDs = on } }

// WithUpstream sets Options.Upstream.
func WithUpstream(url string) func(*Options) { return func(o *Options) { o.Upstream = url } }

// WithRegion sets Options.Region.
func WithRegion(region string) func(*Options) { return func(o *Options) { o.Region = region } }

// WithCredentials sets Options.Credentials.
func WithCredentials(p aws.CredentialsProvider) func(*Options) {
	return func(o *Options) { o.Credentials = p }
}

// WithAppend sets Options.Append.
func WithAppend(on bool) func(*Options) { return func(o *Options) { o.Append = on } }

// WithLogger sets Options.Logger.
func WithLogger(l *slog.Logger) func(*Options) { return func(o *Options) { o.Logger = l } }

func buildOptions(fns []func(*Options)) Options {
	var o Options
	for _, fn := range fns {
		fn(&o)
	}
	return o
}

// Mode says whether a Recorder records, replays or does neither.
type Mode int

// Modes, in go-vcr's words and order; the names in parentheses are their values in
// $EnvMode. Each is go-vcr v3.2.0's value plus one, so that the zero Mode is the default
// rather than go-vcr's zero, ModeRecordOnly (which needs credentials and overwrites the
// cassette); go-vcr's ModeRecordOnce (4 here) is not offered.
const (
	// ModeDefault, the zero Mode, is the mode $EnvMode names; ModeReplayOnly when it is
	// unset or empty.
	ModeDefault Mode = iota
	// ModeRecordOnly (record) sends every request to Bedrock and records it; Stop replaces
	// the cassette.
	ModeRecordOnly
	// ModeReplayOnly (replay) answers every request from the cassette; a request that no
	// interaction matches fails with ErrNoMatch. The cassette must exist.
	ModeReplayOnly
	// ModeReplayWithNewEpisodes (replay-or-record) replays what the cassette holds and
	// records what it does not; Stop saves the cassette when anything was added.
	ModeReplayWithNewEpisodes
	// ModePassthrough (passthrough) sends every request to Bedrock and records nothing.
	ModePassthrough Mode = iota + 1
)

// EnvMode is the environment variable the mode is read from.
const EnvMode = "BEDROCK_EMULATOR_RECORDER_MODE"

// modeNames are the modes' names in EnvMode.
var modeNames = map[Mode]string{
	ModeDefault:               "default",
	ModeRecordOnly:            "record",
	ModeReplayOnly:            "replay",
	ModeReplayWithNewEpisodes: "replay-or-record",
	ModePassthrough:           "passthrough",
}

// String returns the mode's name in EnvMode ("default" for ModeDefault).
func (m Mode) String() string {
	if name, ok := modeNames[m]; ok {
		return name
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// ParseMode reads a mode name: replay, record, replay-or-record or passthrough; "" is replay.
func ParseMode(s string) (Mode, error) {
	if s == "" {
		return ModeReplayOnly, nil
	}
	for m, name := range modeNames {
		if m != ModeDefault && name == s {
			return m, nil
		}
	}
	return ModeDefault, fmt.Errorf("%w %q: want one of replay, record, replay-or-record, passthrough", ErrInvalidMode, s)
}

// envMode is the mode $EnvMode names.
func envMode() (Mode, error) {
	m, err := ParseMode(os.Getenv(EnvMode))
	if err != nil {
		return ModeDefault, fmt.Errorf("$%s: %w", EnvMode, err)
	}
	return m, nil
}
