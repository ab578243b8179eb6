package emulator

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"sync"
	"time"
	"unicode/utf8"
)

// Entry is one request the emulator received and what it answered.
type Entry struct {
	Seq       int64  `json:"seq"`
	RequestID string `json:"requestId"`
	// TestID is the test the request named (TestIDHeader), or empty.
	TestID    string    `json:"testId,omitempty"`
	Time      time.Time `json:"time"`
	Operation string    `json:"operation"`
	ModelID   string    `json:"modelId,omitempty"`
	// Method and Path are the request's method and escaped path, as sent.
	Method string `json:"method,omitempty"`
	Path   string `json:"path,omitempty"`
	// RequestHeaders are the request's headers, credentials redacted as in the debug log
	// line, at most maxJournalHeader bytes of them (see keptHeader).
	RequestHeaders http.Header `json:"requestHeaders,omitempty"`
	// header is what RequestHeaders is made of, the first time the entry is read out of the
	// journal (journal.resolve): the request's header names and values in pairs, taken
	// when it came in (flatHeader). Copying a header map into every entry cost the hot path
	// a few allocations a request for something that is seldom read.
	header []string
	// Request is the request body, when it is JSON. Like Response, RequestHeaders and
	// Stream, it is nil on the oldest entries once what the journal keeps passes
	// Options.JournalBytes (their ModelID, Path and Error.Message are then cut to a
	// kilobyte, ending in "…").
	Request json.RawMessage `json:"request,omitempty"`
	Status  int             `json:"status"`
	// Response is the Converse-shaped reply (also for ConverseStream, whose events render
	// the same reply), or nil when an error was answered.
	Response json.RawMessage `json:"response,omitempty"`
	// Stream holds the event-stream frames sent, in order, for a streaming operation: those
	// rendered by the emulator and those replayed from a cassette.
	Stream []JournalFrame `json:"stream,omitempty"`
	// Error is the modeled error answered: before the response, or (with Status 200) the
	// exception frame that ended a stream.
	Error *JournalError `json:"error,omitempty"`
	// Dropped reports a stream whose connection the emulator broke on purpose
	// (StreamShape.Drop).
	Dropped bool `json:"dropped,omitempty"`
	// AnsweredBy says which behaviour answered (Call.AnsweredBy): "script rule \"name\"
	// (file:line)", "cassette file #n", "generator", "validation", "authentication", "body
	// read", …; empty for a body that does not decode and the operations answered without
	// the chain (CountTokens, ApplyGuardrail).
	AnsweredBy string `json:"answeredBy,omitempty"`
	// Events counts the event-stream frames sent, for a streaming operation.
	Events   int           `json:"events,omitempty"`
	Duration time.Duration `json:"durationNs"`
}

// JournalError is a modeled error as the journal records it.
type JournalError struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

// JournalFrame is one event-stream frame of a streamed answer, as the journal records it.
type JournalFrame struct {
	// Type is the frame's :event-type ("contentBlockDelta", "chunk"), or its
	// :exception-type ("throttlingException") for the exception frame that ends a stream.
	Type string `json:"type"`
	// Offset is when the frame was written, from the first frame (whose Offset is 0).
	Offset time.Duration `json:"offsetNs"`
	// Payload is the frame's JSON payload, as sent ({"bytes":"<base64>"} for a chunk of
	// InvokeModelWithResponseStream); nil for a replayed frame whose payload is not JSON.
	Payload json.RawMessage `json:"payload,omitempty"`
}

// DefaultJournalSize is how many entries a journal keeps when Options.JournalSize is 0.
const DefaultJournalSize = 1000

// DefaultJournalBytes is how many bytes of bodies, model IDs and messages a journal keeps when
// Options.JournalBytes is 0: a few requests of the largest size (DefaultMaxBodyBytes), or
// thousands of ordinary ones.
const DefaultJournalBytes = 128 << 20

// journal keeps the last entries, and their bodies up to a total size: past it, the oldest
// entries lose their Request and Response (the rest of them is kept), so that large
// requests cannot make the journal hold gigabytes. It grows up to its size, then overwrites
// the oldest entry (a ring), so a server started for a handful of requests does not pay for
// a full one.
type journal struct {
	mu       sync.Mutex
	size     int
	entries  []Entry
	next     int // once full, where the oldest entry is
	bytes    int // of the bodies kept
	maxBytes int
	// added counts the entries added since the last reset; changed, made by the first to
	// wait, is closed when one is added or the journal is reset.
	added   int
	changed chan struct{}
}

func newJournal(size, maxBytes int) *journal {
	if size <= 0 {
		size = DefaultJournalSize
	}
	if maxBytes <= 0 {
		maxBytes = DefaultJournalBytes
	}
	return &journal{size: size, maxBytes: maxBytes}
}

// notify wakes those waiting for a change; j.mu is held.
func (j *journal) notify() {
	if j.changed != nil {
		close(j.changed)
		j.changed = nil
	}
}

// wait blocks until done reports true, or ctx ends (then it returns ctx's error). done is
// called now and after each change of the journal (an entry added, a reset), without j.mu
// held.
func (j *journal) wait(ctx context.Context, done func() bool) error {
	for {
		j.mu.Lock()
		if j.changed == nil {
			j.changed = make(chan struct{})
		}
		changed := j.changed
		j.mu.Unlock()
		if done() {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// entryBytes is what an entry keeps that a request can make large: its bodies, headers
// and frames, its model ID and path, its test ID and its error (a validation message lists
// what it found).
func entryBytes(e *Entry) int {
	n := len(e.Request) + len(e.Response) + len(e.ModelID) + len(e.TestID) + len(e.Method) + len(e.Path) +
		headerBytes(e.RequestHeaders)
	for _, s := range e.header {
		n += len(s)
	}
	if e.Error != nil {
		n += len(e.Error.Type) + len(e.Error.Message)
	}
	for _, f := range e.Stream {
		n += len(f.Type) + len(f.Payload) + frameOverhead
	}
	return n
}

// frameOverhead is what entryBytes counts for a journaled frame besides its type and
// payload: its offset, and the slices' headers.
const frameOverhead = 48

// headerBytes is the size of h's names and values.
func headerBytes(h http.Header) int {
	n := 0
	for k, vs := range h {
		n += fieldBytes(k, vs)
	}
	return n
}

// fieldBytes is the size of a header's name and values.
func fieldBytes(k string, vs []string) int {
	n := len(k)
	for _, v := range vs {
		n += len(v)
	}
	return n
}

// trimmedLen is how much of a model ID or an error message an entry past the budget keeps.
const trimmedLen = 1 << 10

// trim makes e small: it drops its bodies, headers and frames, and shortens its model ID,
// method, path and error message.
func trim(e *Entry) {
	e.Request, e.Response, e.RequestHeaders, e.header, e.Stream = nil, nil, nil, nil, nil
	e.ModelID, e.Method, e.Path = shorten(e.ModelID), shorten(e.Method), shorten(e.Path)
	if e.Error != nil {
		e.Error = &JournalError{Type: shorten(e.Error.Type), Message: shorten(e.Error.Message)}
	}
}

// shorten is s cut to trimmedLen bytes (on a character boundary), and "…" when it was cut.
func shorten(s string) string {
	if len(s) <= trimmedLen {
		return s
	}
	cut := trimmedLen
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func (j *journal) add(e Entry) {
	j.mu.Lock()
	defer j.mu.Unlock()
	defer j.notify()
	j.added++
	j.bytes += entryBytes(&e)
	if len(j.entries) < j.size {
		j.entries = append(j.entries, e)
	} else {
		j.bytes -= entryBytes(&j.entries[j.next])
		j.entries[j.next] = e
		j.next = (j.next + 1) % j.size
	}
	// Over the budget: trim entries, oldest first, never the newest.
	n := len(j.entries)
	for k, i := 0, j.next; j.bytes > j.maxBytes && k < n-1; k, i = k+1, (i+1)%n {
		j.bytes -= entryBytes(&j.entries[i])
		trim(&j.entries[i])
		j.bytes += entryBytes(&j.entries[i])
	}
}

// list returns the kept entries, oldest first. It copies the entries, not their bodies.
func (j *journal) list() []Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.listLocked()
}

// snapshot is list, and how many entries were added since the last reset.
func (j *journal) snapshot() ([]Entry, int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.listLocked(), j.added
}

func (j *journal) listLocked() []Entry {
	for i := range j.entries {
		j.resolve(&j.entries[i])
	}
	out := make([]Entry, 0, len(j.entries))
	out = append(out, j.entries[j.next:]...)
	return append(out, j.entries[:j.next]...)
}

func (j *journal) reset() {
	j.mu.Lock()
	defer j.mu.Unlock()
	clear(j.entries)
	j.entries, j.next, j.bytes, j.added = j.entries[:0], 0, 0, 0
	j.notify()
}

// resetTest removes the entries of test id, keeping the others in order.
func (j *journal) resetTest(id string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	kept := slices.DeleteFunc(j.listLocked(), func(e Entry) bool { return e.TestID == id })
	j.added = max(0, j.added-(len(j.entries)-len(kept)))
	clear(j.entries)
	j.entries, j.next, j.bytes = append(j.entries[:0], kept...), 0, 0
	for i := range j.entries {
		j.bytes += entryBytes(&j.entries[i])
	}
	j.notify()
}

// flatHeader is h's names and values in pairs, for Entry.header: one allocation, the
// strings shared with h.
func flatHeader(h http.Header) []string {
	n := 0
	for _, vs := range h {
		n += 2 * len(vs)
	}
	pairs := make([]string, 0, n)
	for k, vs := range h {
		for _, v := range vs {
			pairs = append(pairs, k, v)
		}
	}
	return pairs
}

// resolve makes e's RequestHeaders of its header, once, and counts the difference in the
// journal's bytes; e is one of j's entries, and j.mu is held.
func (j *journal) resolve(e *Entry) {
	if e.header == nil {
		return
	}
	j.bytes -= entryBytes(e)
	h := make(http.Header, len(e.header)/2)
	for i := 0; i+1 < len(e.header); i += 2 {
		h[e.header[i]] = append(h[e.header[i]], e.header[i+1])
	}
	e.RequestHeaders, e.header = keptHeader(h), nil
	j.bytes += entryBytes(e)
}

// OfTest returns the entries of test id (TestIDHeader), in order; id "" selects those that
// named no test.
func OfTest(entries []Entry, id string) []Entry {
	var out []Entry
	for _, e := range entries {
		if e.TestID == id {
			out = append(out, e)
		}
	}
	return out
}

// frameLog records the frames a stream sends, for its journal entry. Their payloads are
// copied into chunks of frameChunk bytes, each frame's Payload a slice of one, so that no
// payload is copied twice as a single growing buffer would be; the frames are listed in a
// pooled scratch slice, and copied once, at their number, by frames.
type frameLog struct {
	chunk   []byte // where the next payload goes, while it has room
	scratch *[]JournalFrame
}

// frameChunk is the size of a frameLog's chunks: a few dozen frames of a ConverseStream.
const frameChunk = 8 << 10

// frameScratch reuses frameLogs' lists of frames across streams.
var frameScratch = sync.Pool{New: func() any { return new([]JournalFrame) }}

// add records a frame of type typ written at offset (from any origin: frames counts from
// the first); payload is copied.
func (l *frameLog) add(typ string, offset time.Duration, payload []byte) {
	if l.scratch == nil {
		l.scratch = frameScratch.Get().(*[]JournalFrame)
	}
	f := JournalFrame{Type: typ, Offset: offset}
	if len(payload) > 0 {
		if len(payload) > cap(l.chunk)-len(l.chunk) {
			l.chunk = make([]byte, 0, max(frameChunk, len(payload)))
		}
		start := len(l.chunk)
		l.chunk = append(l.chunk, payload...)
		f.Payload = l.chunk[start:len(l.chunk):len(l.chunk)]
	}
	*l.scratch = append(*l.scratch, f)
}

// frames returns the recorded frames, their offsets from the first, and returns the
// scratch list to the pool: the log is not to be used after.
func (l *frameLog) frames() []JournalFrame {
	if l.scratch == nil {
		return nil
	}
	list := *l.scratch
	out := make([]JournalFrame, len(list))
	for i, f := range list {
		f.Offset -= list[0].Offset
		out[i] = f
	}
	clear(list) // the payloads are the journal's
	*l.scratch = list[:0]
	frameScratch.Put(l.scratch)
	l.scratch = nil
	return out
}
