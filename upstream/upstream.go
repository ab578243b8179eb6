// Package upstream puts a real model behind the emulator: an OpenAI-compatible chat
// completions server (POST /v1/chat/completions, as Ollama, vLLM, llama.cpp's server,
// LM Studio and LiteLLM serve it) answers the calls that recordings, scripts and the
// fallback leave, instead of the default generator (emulator.Options.Upstream).
//
// The emulator's validation runs first, so a request Bedrock would reject never reaches the
// upstream. Converse and ConverseStream requests (and InvokeModel native bodies, as the
// Converse request they amount to) are translated to chat completions: system prompt,
// turns, inline images (as data URLs), inferenceConfig, tools and toolChoice, tool calls
// and tool results with their IDs kept. What does not translate (documents, video, audio,
// images in S3, system tools, tool results other than text and JSON) is refused with a
// ValidationException that says so. The answer comes back as one emulator.Reply; a stream is
// relayed as it comes (emulator.Reply.Live): each text delta of the upstream is a
// ConverseStream text delta as soon as it is read, and the tool calls, stop reason and usage
// follow at the stream's end.
//
// Upstream failures become Bedrock's modeled errors, with the upstream's reason in the log:
// unreachable or 5xx: ServiceUnavailableException; 429: ThrottlingException; no answer within
// Config.Timeout: ModelTimeoutException; another 4xx: ValidationException "The model returned
// the following errors: …". A relayed stream that breaks off, or runs past the timeout,
// after its first event ends with an exception frame after the deltas already sent
// (serviceUnavailableException; modelStreamErrorException for the timeout).
package upstream

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

// Config configures an Upstream.
type Config struct {
	// URL is the server's base URL, e.g. "http://127.0.0.1:11434" (Ollama); requests go to
	// URL + "/v1/chat/completions" (a URL already ending in "/v1" is not given a second).
	URL string
	// APIKey, when set, is sent as "Authorization: Bearer <APIKey>".
	APIKey string
	// Models map Bedrock model IDs to upstream model names, the first match winning. A
	// mapping whose pattern is "*" (a default) comes after the catalogue: see Model.
	Models []Mapping
	// DefaultModel is the upstream model of a call nothing else maps; empty means the
	// Bedrock model ID as it is.
	DefaultModel string
	// Timeout bounds one upstream request, the stream's end included; 0 means DefaultTimeout.
	Timeout time.Duration
	// Client sends the requests; nil means a client of its own.
	Client *http.Client
	// Logger receives the upstream's reason for a failure; nil means none.
	Logger *slog.Logger
}

// DefaultTimeout is Config.Timeout's default.
const DefaultTimeout = 5 * time.Minute

// maxResponseBytes bounds what is read of one upstream response.
const maxResponseBytes = 64 << 20

// Mapping maps the Bedrock model IDs Pattern matches (path.Match syntax, against the
// catalogue's foundation-model ID and the ID as the request gave it) to an upstream model.
type Mapping struct {
	Pattern string
	Model   string
}

// ParseMapping parses "pattern=model"; a value without "=" is a default (pattern "*").
func ParseMapping(s string) (Mapping, error) {
	pattern, model, ok := strings.Cut(s, "=")
	if !ok {
		pattern, model = "*", s
	}
	if model == "" || pattern == "" {
		return Mapping{}, fmt.Errorf("%q: want pattern=model or model", s)
	}
	if _, err := path.Match(pattern, ""); err != nil {
		return Mapping{}, fmt.Errorf("%q: %w", s, err)
	}
	return Mapping{Pattern: pattern, Model: model}, nil
}

// Upstream is an emulator.Behaviour that answers every call it is asked from the upstream.
type Upstream struct {
	cfg      Config
	endpoint string
}

// New returns an Upstream for cfg.
func New(cfg Config) (*Upstream, error) {
	base := strings.TrimRight(cfg.URL, "/")
	if !strings.HasPrefix(base, "http://") && !strings.HasPrefix(base, "https://") {
		return nil, fmt.Errorf("upstream URL %q: want http:// or https://", cfg.URL)
	}
	if !strings.HasSuffix(base, "/v1") {
		base += "/v1"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{}
	}
	for _, m := range cfg.Models {
		if _, err := path.Match(m.Pattern, ""); err != nil {
			return nil, fmt.Errorf("upstream model pattern %q: %w", m.Pattern, err)
		}
	}
	return &Upstream{cfg: cfg, endpoint: base + "/chat/completions"}, nil
}

// Install sets u as the emulator's Options.Upstream.
func (u *Upstream) Install(o *emulator.Options) { emulator.WithUpstream(u)(o) }

// Model is the upstream model a call goes to: the first mapping whose pattern (other than
// "*") matches; else the catalogue entry's upstreamModel (catalog.Model.UpstreamModel, from
// a --models file); else the first "*" mapping, DefaultModel, or the Bedrock model ID.
func (u *Upstream) Model(call *emulator.Call) string {
	ids := []string{call.ModelID}
	if call.Model != nil {
		ids = append([]string{call.Model.ID}, ids...)
	}
	for _, m := range u.cfg.Models {
		for _, id := range ids {
			if ok, _ := path.Match(m.Pattern, id); ok && m.Pattern != "*" {
				return m.Model
			}
		}
	}
	if call.Model != nil && call.Model.UpstreamModel != "" {
		return call.Model.UpstreamModel
	}
	for _, m := range u.cfg.Models {
		if m.Pattern == "*" {
			return m.Model
		}
	}
	if u.cfg.DefaultModel != "" {
		return u.cfg.DefaultModel
	}
	return ids[0]
}

// Respond answers call from the upstream.
func (u *Upstream) Respond(ctx context.Context, call *emulator.Call, _ emulator.Next) (*emulator.Reply, error) {
	model := u.Model(call)
	stream := call.Operation == emulator.OpConverseStream || call.Operation == emulator.OpInvokeModelWithResponseStream
	req, err := toChat(call.Request, model, stream)
	if err != nil {
		return nil, err
	}
	call.AnsweredBy = "upstream " + model
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, u.cfg.Timeout)
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, u.endpoint, bytes.NewReader(body))
	if err != nil {
		cancel()
		return nil, err
	}
	hreq.Header.Set("Content-Type", "application/json")
	if stream {
		hreq.Header.Set("Accept", "text/event-stream")
	}
	if u.cfg.APIKey != "" {
		hreq.Header.Set("Authorization", "Bearer "+u.cfg.APIKey)
	}
	start := time.Now()
	resp, err := u.send(hreq)
	if err != nil {
		cancel()
		return nil, u.fail(ctx, call, model, err)
	}
	answer := io.LimitReader(resp.Body, maxResponseBytes)
	if stream && strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		// Relayed as it comes (emulator.Reply.Live): the request's timeout, and the
		// response, end with the stream.
		reply := &emulator.Reply{Verbatim: true}
		reply.Live = func(yield func(string) bool) error {
			defer cancel()
			defer resp.Body.Close()
			r, err := readStream(answer, call, yield)
			if err != nil {
				return u.fail(ctx, call, model, err)
			}
			reply.Content, reply.StopReason, reply.Usage = r.Content, r.StopReason, r.Usage
			reply.LatencyMs = max(time.Since(start).Milliseconds(), 1)
			return nil
		}
		return reply, nil
	}
	defer cancel()
	defer resp.Body.Close()
	var chat chatResponse
	if err := json.NewDecoder(answer).Decode(&chat); err != nil {
		return nil, u.fail(ctx, call, model, fmt.Errorf("decoding the response: %w", err))
	}
	reply, err := fromChat(&chat, call)
	if err != nil {
		return nil, u.fail(ctx, call, model, err)
	}
	reply.LatencyMs = max(time.Since(start).Milliseconds(), 1)
	return reply, nil
}

// statusError is an upstream answer that was not 200.
type statusError struct {
	status int
	body   string
}

func (e *statusError) Error() string { return fmt.Sprintf("HTTP %d: %s", e.status, e.body) }

// send sends req, returning the response if it is a 200 (its body for the caller to close),
// else a statusError.
func (u *Upstream) send(req *http.Request) (*http.Response, error) {
	resp, err := u.cfg.Client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return nil, &statusError{status: resp.StatusCode, body: strings.TrimSpace(string(b))}
	}
	return resp, nil
}

// fail turns an upstream failure into the modeled error Bedrock answers in its place,
// logging the upstream's reason.
func (u *Upstream) fail(ctx context.Context, call *emulator.Call, model string, err error) error {
	if u.cfg.Logger != nil {
		u.cfg.Logger.Warn("upstream failed", "requestId", call.RequestID, "url", u.endpoint, "model", model, "reason", err.Error())
	}
	var typ, msg string
	var se *statusError
	switch {
	case errors.As(err, &se) && se.status == http.StatusTooManyRequests:
		typ = "ThrottlingException"
	case errors.As(err, &se) && se.status >= 500:
		typ = "ServiceUnavailableException"
	case errors.As(err, &se):
		// Bedrock prefixes what a model provider rejects so (docs/wire-facts.md, "Patterns
		// worth keeping").
		typ, msg = "ValidationException", "The model returned the following errors: "+upstreamMessage(se.body)
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		// No message of a real ModelTimeoutException was found; NewError says so plainly.
		typ = "ModelTimeoutException"
	default:
		// Unreachable, or an answer that broke off or did not decode.
		typ = "ServiceUnavailableException"
	}
	// An empty message takes the one real Bedrock sends for the type (emulator.NewError).
	e, nerr := emulator.NewError(typ, msg)
	if nerr != nil {
		return nerr
	}
	return e
}

// upstreamMessage is the message of an OpenAI error body ({"error":{"message":…}}, or
// Ollama's {"error":"…"}), else the body.
func upstreamMessage(body string) string {
	var e struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal([]byte(body), &e) == nil && e.Error != nil {
		var s string
		if json.Unmarshal(e.Error, &s) == nil {
			return s
		}
		var o struct {
			Message string `json:"message"`
		}
		if json.Unmarshal(e.Error, &o) == nil && o.Message != "" {
			return o.Message
		}
	}
	return body
}

// chatChunk is one event of a streamed chat completion.
type chatChunk struct {
	Choices []struct {
		Delta struct {
			Content   *string        `json:"content"`
			ToolCalls []chatToolCall `json:"tool_calls"`
		} `json:"delta"`
		FinishReason *string `json:"finish_reason"`
	} `json:"choices"`
	Usage *chatUsage `json:"usage"`
}

// readStream reads a streamed chat completion to its end ("data: [DONE]" or the body's end),
// passing each text delta to yield as it comes, and returns it as one Reply. It stops early,
// with what it has read, when yield returns false.
func readStream(r io.Reader, call *emulator.Call, yield func(string) bool) (*emulator.Reply, error) {
	var text strings.Builder
	var calls []chatToolCall
	byIndex := map[int]int{}
	var finish string
	var use *chatUsage
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxResponseBytes)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data:")
		if !ok {
			continue
		}
		data = strings.TrimSpace(data)
		if data == "[DONE]" {
			break
		}
		var c chatChunk
		if err := json.Unmarshal([]byte(data), &c); err != nil {
			return nil, fmt.Errorf("decoding a stream event: %w", err)
		}
		if c.Usage != nil {
			use = c.Usage
		}
		for _, ch := range c.Choices {
			if d := ch.Delta.Content; d != nil && *d != "" {
				text.WriteString(*d)
				if !yield(*d) {
					return &emulator.Reply{Content: []emulator.Block{emulator.TextBlock(text.String())}}, nil
				}
			}
			for _, tc := range ch.Delta.ToolCalls {
				idx := len(calls)
				if tc.Index != nil {
					idx = *tc.Index
				}
				at, ok := byIndex[idx]
				if !ok {
					at = len(calls)
					byIndex[idx] = at
					calls = append(calls, chatToolCall{})
				}
				if tc.ID != "" {
					calls[at].ID = tc.ID
				}
				calls[at].Function.Name += tc.Function.Name
				calls[at].Function.Arguments += tc.Function.Arguments
			}
			if ch.FinishReason != nil {
				finish = *ch.FinishReason
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading the stream: %w", err)
	}
	s := text.String()
	resp := &chatResponse{Usage: use, Choices: []chatChoice{{Message: chatResult{Content: &s, ToolCalls: calls}, FinishReason: finish}}}
	return fromChat(resp, call)
}
