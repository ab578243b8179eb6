package emulator

import (
	"context"
	"encoding/json"
	"iter"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream/eventstreamapi"
)

// ConverseStream event payloads. As in Converse, keys are in lexicographic order, and every
// event payload carries Bedrock's "p" padding field in its sorted place (docs/wire-facts.md §3.3).

type evMessageStart struct {
	P    string `json:"p"`
	Role string `json:"role"`
}

type evBlockStart struct {
	ContentBlockIndex int          `json:"contentBlockIndex"`
	P                 string       `json:"p"`
	Start             wireStartDef `json:"start"`
}

type wireStartDef struct {
	ToolUse *wireToolUseStart `json:"toolUse,omitempty"`
}

type wireToolUseStart struct {
	Name      string `json:"name"`
	ToolUseID string `json:"toolUseId"`
}

type evBlockDelta struct {
	ContentBlockIndex int       `json:"contentBlockIndex"`
	Delta             wireDelta `json:"delta"`
	P                 string    `json:"p"`
}

type wireDelta struct {
	Citation         json.RawMessage     `json:"citation,omitempty"`
	ReasoningContent *wireReasoningDelta `json:"reasoningContent,omitempty"`
	Text             *string             `json:"text,omitempty"`
	ToolUse          *wireToolUseDelta   `json:"toolUse,omitempty"`
}

type wireReasoningDelta struct {
	RedactedContent []byte  `json:"redactedContent,omitempty"`
	Signature       *string `json:"signature,omitempty"`
	Text            *string `json:"text,omitempty"`
}

type wireToolUseDelta struct {
	Input string `json:"input"`
}

type evBlockStop struct {
	ContentBlockIndex int    `json:"contentBlockIndex"`
	P                 string `json:"p"`
}

type evMessageStop struct {
	AdditionalModelResponseFields json.RawMessage `json:"additionalModelResponseFields,omitempty"`
	P                             string          `json:"p"`
	StopReason                    string          `json:"stopReason"`
}

type evMetadata struct {
	Metrics           wireMetrics        `json:"metrics"`
	P                 string             `json:"p"`
	PerformanceConfig *PerformanceConfig `json:"performanceConfig,omitempty"`
	ServiceTier       *ServiceTier       `json:"serviceTier,omitempty"`
	Trace             json.RawMessage    `json:"trace,omitempty"`
	Usage             wireUsage          `json:"usage"`
}

// event is one event frame: its :event-type and JSON payload.
type event struct {
	Type    string
	Payload []byte
	// delta marks content deltas, which StreamShape paces; tokens is how many simulated
	// tokens a delta carries (a quarter per character, unrounded).
	delta  bool
	tokens float64
	// fail, when set, ends the stream with this exception frame instead (a live reply that
	// failed).
	fail *Error
}

// streamEvents renders r as ConverseStream events in Bedrock's grammar (docs/wire-facts.md §3.4):
// messageStart; per block, contentBlockStart (tool use only), deltas, contentBlockStop;
// messageStop; metadata last. Events are rendered one at a time, as they are written; an
// event's Payload is only valid until the next.
func streamEvents(r *Reply, usage Usage, shape usageShape) iter.Seq[event] {
	return func(yield func(event) bool) {
		s := eventWriter{yield: yield, buf: make([]byte, 0, 256)}
		s.add("messageStart", evMessageStart{P: s.padding(), Role: RoleAssistant})
		s.content(r, 0)
		s.end(r, usage, shape)
	}
}

// liveEvents renders a live reply (Reply.Live) as ConverseStream events, in the grammar of
// streamEvents: the text Live yields goes out as deltas of block 0 as it comes; once Live
// has returned (the reply completed: see the completion link), done gives its usage, and
// the rest of Content, the messageStop and the metadata follow. An error of Live ends the
// stream with an exception frame (event.fail).
func liveEvents(r *Reply, done func() (Usage, usageShape)) iter.Seq[event] {
	return func(yield func(event) bool) {
		s := eventWriter{yield: yield, buf: make([]byte, 0, 256)}
		s.add("messageStart", evMessageStart{P: s.padding(), Role: RoleAssistant})
		var text strings.Builder
		err := r.Live(func(part string) bool {
			if part != "" && !s.stopped {
				text.WriteString(part)
				s.textDelta(0, textDelta, part, textTokens(part))
			}
			return !s.stopped
		})
		if s.stopped {
			return
		}
		from := 0
		if err == nil && text.Len() > 0 {
			from, err = 1, r.checkLive(text.String())
		}
		if err != nil {
			s.yield(event{fail: streamFailure(asError(err))})
			return
		}
		usage, shape := done()
		if from == 1 {
			s.blockStop(0)
		}
		s.content(r, from)
		s.end(r, usage, shape)
	}
}

// converseStreamExceptions are the exceptions the ConverseStreamOutput event union has
// (internal/spec/bedrock-runtime.json).
var converseStreamExceptions = map[string]bool{"InternalServerException": true, "ModelStreamErrorException": true,
	"ValidationException": true, "ThrottlingException": true, "ServiceUnavailableException": true}

// streamFailure is the exception a ConverseStream that has begun ends with for e: e, if the
// event union has its type, else a ModelStreamErrorException with e's message (a live
// reply that timed out: ModelTimeoutException is no member). No real message of a
// ModelStreamErrorException was found.
func streamFailure(e *Error) *Error {
	if converseStreamExceptions[e.Type] {
		return e
	}
	return &Error{Type: "ModelStreamErrorException", Status: http.StatusFailedDependency, Message: e.Message}
}

// content yields the events of r's content blocks from block from on.
func (s *eventWriter) content(r *Reply, from int) {
	for i, b := range r.Content[from:] {
		i += from
		if s.stopped {
			return
		}
		switch {
		case b.ToolUse != nil:
			start := wireStartDef{ToolUse: &wireToolUseStart{Name: b.ToolUse.Name, ToolUseID: b.ToolUse.ToolUseID}}
			s.add("contentBlockStart", evBlockStart{ContentBlockIndex: i, P: s.padding(), Start: start})
			for _, part := range splitBytes(string(compactJSON(b.ToolUse.input())), 24) {
				s.textDelta(i, toolInputDelta, part, float64(len(part))/4)
			}
		case b.Reasoning != nil && b.Reasoning.Redacted != nil:
			s.addDelta(i, wireDelta{ReasoningContent: &wireReasoningDelta{RedactedContent: b.Reasoning.Redacted}}, float64(len(b.Reasoning.Redacted))/4)
		case b.Reasoning != nil:
			for _, part := range r.Stream.split(i, b.Reasoning.Text) {
				s.textDelta(i, reasoningDelta, part, textTokens(part))
			}
			if sig := b.Reasoning.Signature; sig != "" {
				s.addDelta(i, wireDelta{ReasoningContent: &wireReasoningDelta{Signature: &sig}}, 0)
			}
		case b.Citations != nil:
			// A citation delta comes before the text it supports, in the same block
			// (real ConverseStream output quoted in https://github.com/vercel/ai/issues/11835).
			for _, c := range b.Citations.sorted() {
				s.addDelta(i, wireDelta{Citation: c}, 0)
			}
			for _, part := range r.Stream.split(i, b.Citations.Text) {
				s.textDelta(i, textDelta, part, textTokens(part))
			}
		default:
			text := ""
			if b.Text != nil {
				text = *b.Text
			}
			for _, part := range r.Stream.split(i, text) {
				s.textDelta(i, textDelta, part, textTokens(part))
			}
		}
		s.blockStop(i)
	}
}

// end yields the messageStop and metadata events of r.
func (s *eventWriter) end(r *Reply, usage Usage, shape usageShape) {
	s.add("messageStop", evMessageStop{AdditionalModelResponseFields: r.AdditionalModelResponseFields, P: s.padding(), StopReason: r.stopReason()})
	s.add("metadata", evMetadata{
		Metrics: wireMetrics{LatencyMs: r.LatencyMs}, P: s.padding(),
		PerformanceConfig: r.PerformanceConfig, ServiceTier: r.ServiceTier,
		Trace: r.Trace, Usage: usage.wire(shape),
	})
}

// textTokens is the unrounded token count of a text delta: a quarter per character.
func textTokens(part string) float64 { return float64(utf8.RuneCountInString(part)) / 4 }

// eventWriter renders a stream's events into one reused buffer and yields them. The
// frequent ones (deltas of text, reasoning text and tool input; contentBlockStop) are
// written by hand, byte for byte as encodeJSON writes their wire structs; the others are
// encoded from those structs. Once yield returns false, the rest are skipped.
type eventWriter struct {
	yield   func(event) bool
	stopped bool
	n       int // events yielded
	buf     []byte
}

// padding is the "p" value of the next event.
func (s *eventWriter) padding() string { return padding(s.n) }

// emit yields ev with the payload in buf.
func (s *eventWriter) emit(ev event) {
	if s.stopped {
		return
	}
	ev.Payload = s.buf
	s.n++
	s.stopped = !s.yield(ev)
}

// add yields an event encoded from its wire struct.
func (s *eventWriter) add(typ string, v any) {
	s.buf = append(s.buf[:0], encodeJSON(v)...)
	s.emit(event{Type: typ})
}

func (s *eventWriter) addDelta(i int, d wireDelta, tokens float64) {
	s.buf = append(s.buf[:0], encodeJSON(evBlockDelta{ContentBlockIndex: i, Delta: d, P: s.padding()})...)
	s.emit(event{Type: "contentBlockDelta", delta: true, tokens: tokens})
}

// The kinds of text a delta carries, as the opening of its delta member.
const (
	textDelta      = `"text":`
	reasoningDelta = `"reasoningContent":{"text":`
	toolInputDelta = `"toolUse":{"input":`
)

// textDelta yields a contentBlockDelta of a piece of text, as encodeJSON writes
// evBlockDelta{ContentBlockIndex: i, Delta: wireDelta{<kind>: part}, P: p}.
func (s *eventWriter) textDelta(i int, kind, part string, tokens float64) {
	b := appendJSONInt(append(s.buf[:0], '{'), "contentBlockIndex", int64(i))
	b = append(append(b, `,"delta":{`...), kind...)
	b = appendJSONString(b, part)
	if kind != textDelta {
		b = append(b, '}')
	}
	b = append(b, `},"p":`...)
	s.buf = append(appendJSONString(b, s.padding()), '}')
	s.emit(event{Type: "contentBlockDelta", delta: true, tokens: tokens})
}

// blockStop yields a contentBlockStop, as encodeJSON writes
// evBlockStop{ContentBlockIndex: i, P: p}.
func (s *eventWriter) blockStop(i int) {
	b := appendJSONInt(append(s.buf[:0], '{'), "contentBlockIndex", int64(i))
	b = append(b, `,"p":`...)
	s.buf = append(appendJSONString(b, s.padding()), '}')
	s.emit(event{Type: "contentBlockStop"})
}

// split cuts the text of content block i into deltas as s says: its explicit chunks, or
// by characters, or by words.
func (s StreamShape) split(i int, text string) []string {
	if chunks := s.Chunks[i]; len(chunks) > 0 && strings.Join(chunks, "") == text {
		return chunks
	}
	if s.CharsPerDelta > 0 {
		return splitRunes(text, s.CharsPerDelta)
	}
	return splitWords(text, s.WordsPerDelta)
}

const paddingAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// padding is the "p" value of the n-th event: like Bedrock's, a prefix of a–z A–Z 0–9 of
// length 2 to 61 (docs/wire-facts.md §3.3); unlike Bedrock's, deterministic.
func padding(n int) string {
	return paddingAlphabet[:2+(n*17+5)%60]
}

// splitWords cuts text into deltas of n words each (n ≤ 0 means 1), each word carrying the
// white space before it, so the deltas concatenate to text exactly. Empty text is one empty
// delta, as models send.
func splitWords(text string, n int) []string {
	if n <= 0 {
		n = 1
	}
	var parts []string
	start, words, inWord := 0, 0, false
	for i, r := range text {
		space := unicode.IsSpace(r)
		if inWord && space {
			words++
			if words == n {
				parts = append(parts, text[start:i])
				start, words = i, 0
			}
		}
		inWord = !space
	}
	if start < len(text) || len(parts) == 0 {
		parts = append(parts, text[start:])
	}
	return parts
}

// splitRunes cuts text into deltas of n characters (code points) each; empty text is one
// empty delta.
func splitRunes(text string, n int) []string {
	var parts []string
	start, count := 0, 0
	for i := range text {
		if count == n {
			parts = append(parts, text[start:i])
			start, count = i, 0
		}
		count++
	}
	return append(parts, text[start:])
}

// splitBytes cuts s into pieces of at most n bytes, on UTF-8 boundaries.
func splitBytes(s string, n int) []string {
	var parts []string
	for len(s) > n {
		cut := n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		if cut == 0 {
			cut = n
		}
		parts = append(parts, s[:cut])
		s = s[cut:]
	}
	return append(parts, s)
}

// streamEnd is how writeStream ended a stream.
type streamEnd int

const (
	streamDone    streamEnd = iota // every event was written
	streamFailed                   // an exception frame ended it (StreamShape.Fail)
	streamDropped                  // the shape asks for the connection to break here
	streamGone                     // the client went away or a write failed
)

// writeStream writes evs as an event stream, flushing after every frame and pacing them as
// shape says, and records each frame written in log. It stops early with an exception frame
// when shape.Fail is set or an event fails (event.fail), returning the exception, and
// without one when shape.Drop is set (the caller then breaks the connection), and returns
// when the client goes away. live says evs come as a live reply (Reply.Live) makes them,
// each perhaps long after the one before.
func writeStream(ctx context.Context, w http.ResponseWriter, evs iter.Seq[event], shape StreamShape, live bool, log *frameLog) (streamEnd, *Error) {
	h := w.Header()
	h.Set("Content-Type", "application/vnd.amazon.eventstream")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	enc := encoders.Get().(*eventstream.Encoder)
	defer encoders.Put(enc)
	start := time.Now()
	// write writes a frame of type typ at, from start, and flushes it unless it is the
	// stream's last.
	write := func(typ string, msg eventstream.Message, at time.Duration, last bool) bool {
		if err := enc.Encode(w, msg); err != nil || !last && rc.Flush() != nil {
			return false
		}
		log.add(typ, at, msg.Payload)
		return true
	}
	// fail ends the stream with an exception frame, left for net/http to send with the end
	// of the response, after the caller has journaled the request: a client stops reading
	// at an exception, and then finds the request in the journal (handler.write).
	fail := func(e *Error) (streamEnd, *Error) {
		if !write(streamExceptionName(e.Type), exceptionFrame(e), time.Since(start), true) {
			return streamGone, nil
		}
		return streamFailed, e
	}
	// stopAt ends the stream at frame n, if the shape says so.
	stopAt := func(n int) (streamEnd, *Error) {
		switch {
		case shape.Fail != nil && n == shape.FailAfter:
			return fail(shape.Fail)
		case shape.Drop && n == shape.DropAfter:
			return streamDropped, nil
		}
		return streamDone, nil
	}
	pace := newPacer(shape)
	var due time.Duration // when the next frame is due, from start
	n, deltas := 0, 0
	for ev := range evs {
		if end, e := stopAt(n); end != streamDone {
			return end, e
		}
		if ev.fail != nil {
			return fail(ev.fail)
		}
		switch {
		case n == 0:
			due += pace.jitter(shape.FirstByte)
		case ev.delta && deltas > 0:
			due += pace.jitter(shape.PerDelta + time.Duration(float64(pace.perToken)*ev.tokens))
		}
		if ev.delta {
			deltas++
		}
		at := time.Since(start)
		if wait := due - at; wait > 0 {
			if !pause(ctx, rc, wait) {
				return streamGone, nil
			}
			at = time.Since(start)
		}
		if !write(ev.Type, eventFrame(ev.Type, ev.Payload), at, false) {
			return streamGone, nil
		}
		if live {
			rc.SetWriteDeadline(time.Time{}) // as pause does: the next event may be long in coming
		}
		n++
	}
	// A failure or a drop placed after the last event happens at the end.
	switch {
	case shape.Fail != nil && shape.FailAfter >= n:
		return stopAt(shape.FailAfter)
	case shape.Drop && shape.DropAfter >= n:
		return stopAt(shape.DropAfter)
	}
	return streamDone, nil
}

// pacer draws a stream's delays.
type pacer struct {
	perToken time.Duration
	spread   time.Duration
	rng      *rand.Rand
}

func newPacer(s StreamShape) pacer {
	p := pacer{spread: max(s.Jitter, 0), rng: rand.New(rand.NewPCG(s.Seed, 0x6265_6472_6f63_6b))}
	if s.TokensPerSecond > 0 {
		p.perToken = time.Duration(float64(time.Second) / s.TokensPerSecond)
	}
	return p
}

// jitter moves d by a random amount in [-spread, +spread], never below zero.
func (p pacer) jitter(d time.Duration) time.Duration {
	if p.spread > 0 {
		d += time.Duration(p.rng.Int64N(int64(2*p.spread)+1)) - p.spread
	}
	return max(d, 0)
}

// breakConnection breaks the connection of a response in the middle of its body with a TCP
// reset, so that the client's next read fails. A clean close would not do: smithy-go (the
// Go SDK) takes a short read at or inside a frame for the end of the stream
// (smithy-go internal/eventstream/codec.go, isEOF).
func breakConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // net/http closes the connection, and logs nothing
	}
	if tc, ok := conn.(interface{ SetLinger(int) error }); ok { // *net.TCPConn, headerLimitConn
		tc.SetLinger(0)
	}
	conn.Close()
}

// eventFrame is an event message: three string headers in Bedrock's order (docs/wire-facts.md §3.2).
func eventFrame(typ string, payload []byte) eventstream.Message {
	h, ok := eventHeaders[typ]
	if !ok {
		h = newEventHeaders(typ)
	}
	return eventstream.Message{Headers: h, Payload: payload}
}

func newEventHeaders(typ string) eventstream.Headers {
	var h eventstream.Headers
	h.Set(eventstreamapi.EventTypeHeader, eventstream.StringValue(typ))
	h.Set(eventstreamapi.ContentTypeHeader, eventstream.StringValue("application/json"))
	h.Set(eventstreamapi.MessageTypeHeader, eventstream.StringValue(eventstreamapi.EventMessageType))
	return h
}

// eventHeaders holds the headers of every event type streamEvents writes, built once: the
// encoder only reads them.
var eventHeaders = func() map[string]eventstream.Headers {
	m := make(map[string]eventstream.Headers)
	for _, typ := range []string{"messageStart", "contentBlockStart", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"} {
		m[typ] = newEventHeaders(typ)
	}
	return m
}()

// encoders reuses event-stream encoders, and their buffers, across streams.
var encoders = sync.Pool{New: func() any { return eventstream.NewEncoder() }}

// exceptionFrame is an exception message: :exception-type (the lowerCamel member name),
// :content-type, :message-type, and a {"message":…} payload without "p" (docs/wire-facts.md §3.2).
func exceptionFrame(e *Error) eventstream.Message {
	var h eventstream.Headers
	h.Set(eventstreamapi.ExceptionTypeHeader, eventstream.StringValue(streamExceptionName(e.Type)))
	h.Set(eventstreamapi.ContentTypeHeader, eventstream.StringValue("application/json"))
	h.Set(eventstreamapi.MessageTypeHeader, eventstream.StringValue(eventstreamapi.ExceptionMessageType))
	return eventstream.Message{Headers: h, Payload: errorBody(e)}
}

// pause waits d between two frames, or until ctx ends (false). It clears the write
// deadline first (guardedWriter): a pause is not a stalled write.
func pause(ctx context.Context, rc *http.ResponseController, d time.Duration) bool {
	rc.SetWriteDeadline(time.Time{})
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
