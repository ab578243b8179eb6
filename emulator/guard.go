package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"time"
	"unicode/utf8"
)

// Timeouts that keep a misbehaving client from holding a request forever. None of them
// limits how long a reply or a stream may take.
const (
	// DefaultReadTimeout is how long a client may take to send a whole request (headers
	// and body) when Options.ReadTimeout is 0.
	DefaultReadTimeout = time.Minute
	// DefaultStallTimeout is how long one write to a client may block when
	// Options.StallTimeout is 0.
	DefaultStallTimeout = 2 * time.Minute
	// maxHeaderTimeout caps the time to send the request headers.
	maxHeaderTimeout = 10 * time.Second
)

// errInternal answers a panic. Bedrock's message for an InternalServerException, as quoted
// in https://github.com/hydro-project/infinity/pull/124 ("The Bedrock error message ...",
// 2026-09).
var errInternal = &Error{
	Type:    "InternalServerException",
	Status:  http.StatusInternalServerError,
	Message: "The system encountered an unexpected error during processing. Try your request again.",
}

// guard wraps the emulator's routes: a write that blocks longer than the stall timeout
// fails (a client that stopped reading), and a panic becomes a modeled
// InternalServerException and a log line rather than a dropped connection.
func (h *handler) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gw := &guardedWriter{ResponseWriter: w, rc: http.NewResponseController(w), stall: h.opts.StallTimeout}
		defer func() {
			v := recover()
			if !handled(v) {
				return
			}
			// Method and path only: headers carry credentials.
			h.opts.Logger.Error("panic", "method", r.Method, "path", r.URL.EscapedPath(),
				"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if gw.started {
				// Part of a reply is on the wire: break the connection, as net/http does.
				panic(http.ErrAbortHandler)
			}
			writeError(gw, errInternal)
		}()
		next.ServeHTTP(gw, r)
	})
}

// handled reports whether v, a value recover returned, is a panic to answer: not nil, and
// not http.ErrAbortHandler, with which it panics again to break the connection as net/http
// does.
func handled(v any) bool {
	if v == http.ErrAbortHandler { //nolint:errorlint // a sentinel panic value, never wrapped
		panic(v)
	}
	return v != nil
}

// guardedWriter gives writes to the client a deadline, so a client that stops reading fails
// the write instead of blocking it forever, while a stream that pauses between frames is
// never cut. It records whether the response has started.
//
// A write sets the deadline to stall from now, and it is kept across the writes and
// flushes that follow, set again once an eighth of stall has gone by: a stream's frames
// move the connection's timer a few times a minute rather than twice a frame, and a write
// may block for between 7/8 of stall and stall. Before the handler waits between two
// writes, or after its last (pause, a live reply's next event), it clears the deadline with
// SetWriteDeadline: over HTTP/2 the server resets a stream whose write deadline passes,
// written to or not, and over HTTP/1.1 the server's own last flush, after the handler, runs
// under the last deadline.
type guardedWriter struct {
	http.ResponseWriter
	rc      *http.ResponseController
	stall   time.Duration
	started bool
	until   time.Time // the write deadline set; zero when none is
	// noDeadline: the writer has no write deadline to set (a recorder, a foreign server),
	// as its first SetWriteDeadline said; net/http builds a new error for each refusal.
	noDeadline bool
}

func (w *guardedWriter) WriteHeader(code int) {
	w.ResponseWriter.WriteHeader(code) // may panic on an invalid code, before anything is sent
	w.started = true
}

func (w *guardedWriter) Write(b []byte) (int, error) {
	w.started = true
	w.arm()
	return w.ResponseWriter.Write(b)
}

// FlushError flushes under a deadline; http.ResponseController calls it. A flush follows
// the write that set or renewed the deadline, so it sets one only when none is set.
func (w *guardedWriter) FlushError() error {
	if w.until.IsZero() {
		w.arm()
	}
	return w.rc.Flush()
}

// Flush flushes, for callers that assert http.Flusher.
func (w *guardedWriter) Flush() { w.FlushError() }

// SetWriteDeadline sets the write deadline; the zero time clears it until the next write.
// http.ResponseController calls it.
func (w *guardedWriter) SetWriteDeadline(t time.Time) error {
	if err := w.rc.SetWriteDeadline(t); err != nil {
		return err
	}
	w.until = t
	return nil
}

// Unwrap lets http.ResponseController reach the underlying writer (read deadlines,
// hijacking).
func (w *guardedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// arm sets the write deadline to stall from now, unless the one set has more than 7/8 of
// stall left. A writer without deadlines (a recorder, a foreign server) is left as it is,
// and asked once.
func (w *guardedWriter) arm() {
	if w.noDeadline {
		return
	}
	now := time.Now()
	if w.until.Sub(now) > w.stall-w.stall/8 {
		return
	}
	w.noDeadline = errors.Is(w.SetWriteDeadline(now.Add(w.stall)), http.ErrNotSupported)
}

// utf8Error describes the first bytes of b that are not UTF-8 as Jackson, the JSON parser of
// Java services, does: "Invalid UTF-8 start byte 0xff", "Invalid UTF-8 middle byte 0x41".
// unverified: Bedrock's answer to a body that is not UTF-8 was not found.
func utf8Error(b []byte) string {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError || n > 1 {
			i += n
			continue
		}
		// A lead byte followed by a byte that does not continue it is a bad middle byte.
		if c := b[i]; c >= 0xC2 && c <= 0xF4 && i+1 < len(b) {
			for _, m := range b[i+1 : min(i+utf8.UTFMax, len(b))] {
				if !utf8.RuneStart(m) {
					continue
				}
				return fmt.Sprintf("Invalid UTF-8 middle byte 0x%x", m)
			}
		}
		return fmt.Sprintf("Invalid UTF-8 start byte 0x%x", b[i])
	}
	return ""
}

// validJSON reports whether b is JSON text, which is UTF-8 (RFC 8259 §8.1); json.Valid lets
// invalid UTF-8 in strings through, and a reply's raw JSON with it would render differently
// in Converse (as is) and ConverseStream (replaced).
func validJSON(b []byte) bool { return json.Valid(b) && utf8.Valid(b) }
