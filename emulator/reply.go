package emulator

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"
)

// Reply is what the "model" answers to one call: the assistant message's content blocks, why
// it stopped, and what it used. Converse and ConverseStream both render from a Reply, so a
// stream's deltas always concatenate to the Converse message and the usage is identical.
type Reply struct {
	// Content is the assistant message, in order.
	Content []Block
	// StopReason is one of the StopReason enum values (end_turn, tool_use, max_tokens,
	// stop_sequence, guardrail_intervened, content_filtered, ...). Empty means end_turn.
	StopReason string
	// Usage is the token usage. Nil means estimated from the request and Content (see
	// EstimateUsage), with prompt-cache reads and writes.
	Usage *Usage
	// LatencyMs is reported as metrics.latencyMs.
	LatencyMs int64
	// AdditionalModelResponseFields, when set, is returned as-is (Converse top level;
	// ConverseStream messageStop).
	AdditionalModelResponseFields json.RawMessage
	// Trace, when set, is returned as the top-level trace (Converse) or metadata trace
	// (ConverseStream), e.g. a guardrail assessment.
	Trace json.RawMessage
	// PerformanceConfig and ServiceTier echo the request's settings when set.
	PerformanceConfig *PerformanceConfig
	ServiceTier       *ServiceTier

	// Stream shapes the ConverseStream rendering; Converse ignores it.
	Stream StreamShape

	// Verbatim, when true, keeps Content as it is: the emulator does not cut it at the
	// request's stop sequences or at maxTokens by its own token estimate, as it does the
	// replies of scripts and the generator. A real model's answer (Options.Upstream) has
	// already stopped where it had to, and its Usage is the model's own count.
	Verbatim bool

	// Live, when set, is a reply still being produced, as a real model's stream is
	// (Options.Upstream). The emulator calls it once, with a yield that takes each piece of
	// the text of the first content block as the model produces it; Live returns when the
	// model is done, with the fields above set as for any reply (Content beginning with a
	// text block of the pieces yielded, if it yielded any). ConverseStream sends each piece
	// as a text delta as it comes, then the rest of Content, and the completion (stop
	// reason, usage) at the end. The other operations, and a call that names a guardrail,
	// collect the whole reply first, its pieces kept as the text's Stream.Chunks. yield
	// returns false when the client has gone; Live should then return. An error of Live
	// answers the call, or, once the stream has begun, ends it with an exception frame.
	Live func(yield func(text string) bool) error

	// Recorded, when set, is written as it is instead of rendering the fields above: a
	// response replayed byte for byte from a recording.
	Recorded *Recorded
}

// Recorded is an HTTP response as it was recorded: a Converse body, an error, or an event
// stream whose frames are written one by one.
type Recorded struct {
	Status int
	// Header holds the response headers to send; Date, Content-Length and
	// Transfer-Encoding are the server's own.
	Header http.Header
	// Body is the whole body of a response that is not an event stream.
	Body []byte
	// Frames are the encoded event-stream messages of a stream, each with the time after
	// the first byte at which it is written (zero: at once).
	Frames []Frame
}

// status is the status to answer with: Status, or 200 when none was recorded.
func (r *Recorded) status() int {
	if r.Status == 0 {
		return http.StatusOK
	}
	return r.Status
}

// Frame is one encoded event-stream message and when to write it.
type Frame struct {
	At    time.Duration
	Bytes []byte
}

// StreamShape says how a Reply is cut into events and paced on the wire.
type StreamShape struct {
	// WordsPerDelta is how many words go in one text delta; 0 means 1.
	WordsPerDelta int
	// CharsPerDelta, when set, cuts text into deltas of this many characters (code points)
	// instead of words.
	CharsPerDelta int
	// Chunks gives, by index in Content, the text deltas of a text block as they are to be
	// sent. They must concatenate to the block's text; a block whose chunks do not is cut
	// as above.
	Chunks map[int][]string

	// FirstByte delays the first event. Every content delta after the first is then delayed
	// by PerDelta plus, when TokensPerSecond is set, its simulated tokens (a quarter token per
	// character, as TextTokens counts, unrounded) at that rate. So the first delta comes at
	// FirstByte (the time to first token) and the last about output tokens / rate later.
	FirstByte, PerDelta time.Duration
	TokensPerSecond     float64
	// Jitter moves every delay above by a random amount in [-Jitter, +Jitter] (never below
	// zero), drawn from Seed: the same Seed paces a stream the same way every time.
	Jitter time.Duration
	Seed   uint64

	// FailAfter, with Fail set, ends the stream with Fail as an exception frame after this
	// many event frames have been written.
	FailAfter int
	Fail      *Error
	// Drop, when set, breaks the connection after DropAfter event frames, without ending the
	// HTTP response, so the client sees a stream that stops short with an I/O error.
	Drop      bool
	DropAfter int
}

// Block is one content block of a reply. Exactly one field is set.
type Block struct {
	Text      *string
	ToolUse   *ToolUse
	Reasoning *Reasoning
	Citations *Citations
}

// ToolUse is a tool call made by the model.
type ToolUse struct {
	ToolUseID string
	Name      string
	// Input is the tool input, a JSON object; its member order is kept on the wire.
	Input json.RawMessage
}

// Reasoning is a reasoning block: text with a signature, or redacted content.
type Reasoning struct {
	Text      string
	Signature string
	Redacted  []byte
}

// Citations is generated text with the citations that support it (a citationsContent
// block, as models answer about documents with citations enabled).
type Citations struct {
	// Text is the generated text.
	Text string
	// Citations are Citation objects of the API model (title, source, sourceContent,
	// location), each a JSON object; they are sent with their keys sorted.
	Citations []json.RawMessage
}

// Usage is the token usage of a reply. TotalTokens is always the sum of the other counts.
type Usage struct {
	InputTokens      int
	OutputTokens     int
	CacheReadTokens  int
	CacheWriteTokens int
	// Cache, when true, renders the cache fields (also when they are 0), as Bedrock does
	// for a request that uses cachePoint blocks.
	Cache bool
	// CacheTTL is the cacheDetails ttl of a cache write ("5m" or "1h").
	CacheTTL string
}

// Total is input + output + cache read + cache write, as Bedrock counts it.
func (u Usage) Total() int {
	return u.InputTokens + u.OutputTokens + u.CacheReadTokens + u.CacheWriteTokens
}

// TextBlock returns a text Block.
func TextBlock(s string) Block { return Block{Text: &s} }

// collect runs a live reply (Live) to its end, keeping the pieces of its text as the
// stream's chunks of block 0.
func (r *Reply) collect() error {
	live := r.Live
	r.Live = nil
	var chunks []string
	if err := live(func(part string) bool {
		if part != "" {
			chunks = append(chunks, part)
		}
		return true
	}); err != nil {
		return err
	}
	if len(chunks) == 0 {
		return nil
	}
	if err := r.checkLive(strings.Join(chunks, "")); err != nil {
		return err
	}
	if r.Stream.Chunks == nil {
		r.Stream.Chunks = map[int][]string{0: chunks}
	}
	return nil
}

// checkLive reports a live reply whose Content does not begin with the text it yielded.
func (r *Reply) checkLive(text string) error {
	if len(r.Content) == 0 || r.Content[0].Text == nil || *r.Content[0].Text != text {
		return errLiveText
	}
	return nil
}

var errLiveText = errors.New("bedrock-emulator: invalid reply: a live reply's Content does not begin with the text it streamed")
