package emulator

import (
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Options configure an emulator. Pass functions that change them to NewServer, Start or
// NewHandler; the zero Options serve the default catalogue on 127.0.0.1 with a free port.
type Options struct {
	// Addr is the address Start and NewServer listen on; "" means "127.0.0.1:0" (loopback, a
	// free port).
	Addr string
	// ModelsFile names a JSON file of models laid over the built-in catalogue: models to add
	// or change, and aliases for opaque ARNs (see the README). Start fails if it cannot be
	// read or is invalid.
	ModelsFile string
	// Recordings answer from recordings of Bedrock itself, in order, ahead of the emulator's
	// validation and ahead of Behaviours: they are asked about invalid calls too (see
	// Behaviour). fixtures.Cassettes puts its cassettes here.
	Recordings []Behaviour
	// Behaviours decide replies, in order, for calls that passed validation, before the
	// default generator (see Behaviour).
	Behaviours []Behaviour
	// Fallback, when set, is asked after all Behaviours, before the default generator,
	// whatever order they were added in (a strict mode that refuses unmatched calls).
	Fallback Behaviour
	// Upstream, when set, answers what the Behaviours and the Fallback leave, instead of the
	// default generator: a real model behind the API (the package upstream makes one from
	// an OpenAI-compatible chat completions server). It sees valid calls only.
	Upstream Behaviour
	// Tools says when the default generator calls a tool the request leaves to the model's
	// choice (toolChoice auto); the zero value is ToolsAuto.
	Tools ToolPolicy
	// Admin holds extra admin endpoints, under AdminPrefix (e.g. "/scripts"); a method or
	// path of the emulator's own ("/health", "/requests", "/guardrails", "/prompts") is
	// taken by the emulator's endpoint.
	Admin []AdminRoute
	// Auth says which requests are accepted; the default, AuthAny, takes any SigV4 or Bearer
	// request without verifying it.
	Auth AuthMode
	// Logger receives one line per request at info level; nil means no logs.
	Logger *slog.Logger
	// MaxBodyBytes caps a request body; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// JournalSize is how many requests the journal keeps; 0 means DefaultJournalSize.
	JournalSize int
	// Guardrails are the guardrails requests can name (Converse guardrailConfig, the
	// InvokeModel guardrail headers, ApplyGuardrail); the admin API changes them at run
	// time. Start and NewHandler fail on one that fails Guardrail.Check.
	Guardrails []Guardrail
	// Prompts are the Prompt management prompts a Converse modelId can name by ARN; the
	// admin API changes them at run time. Start and NewHandler fail on one that fails
	// Prompt.Check.
	Prompts []Prompt
	// JournalBytes is how many bytes of request and response bodies, model IDs and error
	// messages the journal keeps; past it the oldest entries lose their bodies and keep the
	// first kilobyte of the rest. 0 means DefaultJournalBytes.
	JournalBytes int
	// ReadTimeout bounds how long a client of Start or NewServer may take to send a request,
	// headers and body (the headers within 10 seconds at most); 0 means DefaultReadTimeout.
	ReadTimeout time.Duration
	// StallTimeout bounds how long one write to a client may block (between 7/8 of it and
	// all of it), so that a client that stops reading cannot hold a request forever; it never
	// limits how long a reply or a stream takes. 0 means DefaultStallTimeout.
	StallTimeout time.Duration
	// Credentials are the AWS credentials AuthStrict accepts SigV4 signatures from.
	Credentials []aws.Credentials
	// APIKeys are the Bedrock API keys (Bearer tokens) AuthStrict accepts.
	APIKeys []string
	// AdminToken, when set, is required on the admin endpoints under AdminPrefix, all but
	// the health check, as the header "Authorization: Bearer <AdminToken>".
	AdminToken string
	// DisableAdmin turns the admin endpoints off, all but the health check: they answer as
	// unknown paths do.
	DisableAdmin bool
	// RequestIDSeed, when set, makes the x-amzn-RequestId of the n-th request a function of
	// the seed and n, the same run after run (for tests that compare them). Empty, the
	// default, seeds them at random when the emulator starts, so that two emulators, or two
	// runs, never answer the same request ID, as Bedrock never does.
	RequestIDSeed string
}

// WithAddr sets Options.Addr.
func WithAddr(addr string) func(*Options) { return func(o *Options) { o.Addr = addr } }

// WithModelsFile sets Options.ModelsFile.
func WithModelsFile(name string) func(*Options) { return func(o *Options) { o.ModelsFile = name } }

// WithRecordings appends bs to Options.Recordings.
func WithRecordings(bs ...Behaviour) func(*Options) {
	return func(o *Options) { o.Recordings = append(o.Recordings, bs...) }
}

// WithBehaviour appends b to Options.Behaviours.
func WithBehaviour(b Behaviour) func(*Options) {
	return func(o *Options) { o.Behaviours = append(o.Behaviours, b) }
}

// WithFallback sets Options.Fallback.
func WithFallback(b Behaviour) func(*Options) { return func(o *Options) { o.Fallback = b } }

// WithUpstream sets Options.Upstream.
func WithUpstream(b Behaviour) func(*Options) { return func(o *Options) { o.Upstream = b } }

// WithAdmin appends routes to Options.Admin.
func WithAdmin(routes ...AdminRoute) func(*Options) {
	return func(o *Options) { o.Admin = append(o.Admin, routes...) }
}

// WithAuth sets Options.Auth.
func WithAuth(m AuthMode) func(*Options) { return func(o *Options) { o.Auth = m } }

// WithLogger sets Options.Logger.
func WithLogger(l *slog.Logger) func(*Options) { return func(o *Options) { o.Logger = l } }

// WithMaxBodyBytes sets Options.MaxBodyBytes.
func WithMaxBodyBytes(n int64) func(*Options) { return func(o *Options) { o.MaxBodyBytes = n } }

// WithJournalSize sets Options.JournalSize.
func WithJournalSize(n int) func(*Options) { return func(o *Options) { o.JournalSize = n } }

// WithJournalBytes sets Options.JournalBytes.
func WithJournalBytes(n int) func(*Options) { return func(o *Options) { o.JournalBytes = n } }

// WithReadTimeout sets Options.ReadTimeout.
func WithReadTimeout(d time.Duration) func(*Options) { return func(o *Options) { o.ReadTimeout = d } }

// WithStallTimeout sets Options.StallTimeout.
func WithStallTimeout(d time.Duration) func(*Options) { return func(o *Options) { o.StallTimeout = d } }

// WithRequestIDSeed sets Options.RequestIDSeed.
func WithRequestIDSeed(seed string) func(*Options) {
	return func(o *Options) { o.RequestIDSeed = seed }
}

// WithDisableAdmin sets Options.DisableAdmin.
func WithDisableAdmin(off bool) func(*Options) { return func(o *Options) { o.DisableAdmin = off } }

func buildOptions(fns []func(*Options)) Options {
	var o Options
	for _, fn := range fns {
		fn(&o)
	}
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.ReadTimeout <= 0 {
		o.ReadTimeout = DefaultReadTimeout
	}
	if o.StallTimeout <= 0 {
		o.StallTimeout = DefaultStallTimeout
	}
	return o
}
