// Package logbuf batches log lines into fewer writes. A server that logs a line a request
// would otherwise make one write system call a request, under its logger's lock; a Writer
// collects the lines and writes them together, a short delay after the first one, when they
// fill its buffer, and on Flush and Close. The caller must Close it before it exits, or the
// lines of the last moments are lost.
package logbuf

import (
	"io"
	"sync"
	"time"
)

// maxBuffer is the size at which a Write writes the lines out at once rather than waiting.
const maxBuffer = 64 << 10

// A Writer batches what is written to it into fewer writes to an underlying writer. It is
// safe for concurrent use.
type Writer struct {
	mu      sync.Mutex
	out     io.Writer
	buf     []byte
	delay   time.Duration
	timer   *time.Timer
	pending bool // the timer will flush
	closed  bool
}

// New returns a Writer that writes to out at most delay after a Write. The caller must Close
// it.
func New(out io.Writer, delay time.Duration) *Writer {
	w := &Writer{out: out, delay: delay}
	w.timer = time.AfterFunc(time.Hour, func() { w.Flush() })
	w.timer.Stop()
	return w
}

// Write keeps p to be written within the Writer's delay; a Write that fills the buffer
// writes it out at once, and returns that write's error. After Close, it writes p through.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return w.out.Write(p)
	}
	w.buf = append(w.buf, p...)
	if len(w.buf) >= maxBuffer {
		return len(p), w.flushLocked()
	}
	if !w.pending {
		w.pending = true
		w.timer.Reset(w.delay)
	}
	return len(p), nil
}

// Flush writes out what the Writer holds.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.flushLocked()
}

func (w *Writer) flushLocked() error {
	w.pending = false
	if len(w.buf) == 0 {
		return nil
	}
	_, err := w.out.Write(w.buf)
	if cap(w.buf) > 2*maxBuffer { // one large line: let it go
		w.buf = nil
	}
	w.buf = w.buf[:0]
	return err
}

// Close writes out what the Writer holds; later writes go straight through. It does not
// close the underlying writer.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
	w.timer.Stop()
	return w.flushLocked()
}
