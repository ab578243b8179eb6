package emulator

import (
	"encoding/json"
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
		gw := &guardedWriter{ResponseWriter: w, rc: http.NewResponseController(w), stall: h.opts.StallTimeout, keep: r.ProtoMajor == 1}
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
		if gw.keep && !gw.until.IsZero() {
			gw.arm()
		}
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
// the write instead of blocking it forever, while a stream that pauses between frames
// (pacing, a slow behaviour) is never cut. It records whether the response has started.
//
// Over HTTP/2 the server resets a stream once its write deadline passes, written to or not,
// so there a Write arms the deadline and the Flush that follows it clears it. Over HTTP/1.1
// a deadline bounds only the writes made under it, and one that passes while nothing is
// written cuts nothing: there the deadline is kept across flushes, and set again before a
// write once an eighth of stall has gone by. A stream's frames then move the connection's
// timer a few times a minute instead of twice a frame, and a write may block for between
// 7/8 of stall and stall. The server's own last flush, after the handler, runs under the
// last deadline (guard renews a kept one first).
type guardedWriter struct {
	http.ResponseWriter
	rc      *http.ResponseController
	stall   time.Duration
	keep    bool // HTTP/1.1: the deadline is kept across flushes
	started bool
	until   time.Time // the write deadline set; zero when none is
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

// FlushError flushes under a deadline; http.ResponseController calls it.
func (w *guardedWriter) FlushError() error {
	w.arm()
	err := w.rc.Flush()
	if !w.keep && !w.until.IsZero() {
		w.until = time.Time{}
		w.rc.SetWriteDeadline(time.Time{})
	}
	return err
}

// Flush flushes, for callers that assert http.Flusher.
func (w *guardedWriter) Flush() { w.FlushError() }

// Unwrap lets http.ResponseController reach the underlying writer (deadlines, hijacking).
func (w *guardedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// arm sets the write deadline to stall from now, unless one is set (and, when it is kept,
// has more than 7/8 of stall left). A writer without deadlines (a recorder, a foreign
// server) is left as it is.
func (w *guardedWriter) arm() {
	if !w.until.IsZero() && !w.keep {
		return
	}
	now := time.Now()
	if w.until.Sub(now) > w.stall-w.stall/8 {
		return
	}
	if until := now.Add(w.stall); w.rc.SetWriteDeadline(until) == nil {
		w.until = until
	}
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
