package recorder

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
)

// tape is a cassette being recorded, shared by the Go transport and the proxy. An
// interaction takes its place when its response headers arrive, so identical requests keep
// their order, and is saved only once its body has ended.
type tape struct {
	path  string
	hooks []Hook
	// mask says to mask account IDs as interactions are redacted.
	mask bool
	// warn reports a secret redacted from one interaction (a *cassette.SecretError, which
	// never holds the secret); the interaction and the rest of the cassette are kept.
	warn func(error)

	mu      sync.Mutex
	c       *cassette.Cassette
	pending map[*cassette.Interaction]bool
	dirty   bool
	errs    []error // from hooks run after the response was handed on
	lost    int     // exchanges that failed before they could be recorded
}

// newTape returns a tape recording to c, saved at path. warn nil keeps the warnings as
// errors for err to report.
func newTape(path string, c *cassette.Cassette, hooks []Hook, maskAccountIDs bool, warn func(error)) *tape {
	t := &tape{path: path, c: c, hooks: hooks, mask: maskAccountIDs, warn: warn, pending: map[*cassette.Interaction]bool{}}
	if warn == nil {
		t.warn = t.fail
	}
	return t
}

// begin adds i, still being received.
func (t *tape) begin(i *cassette.Interaction) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.c.Add(i)
	t.pending[i] = true
}

// finish runs the AfterCapture hooks on i, redacts it and makes it ready to save. A hook's
// error removes i from the cassette. A secret-shaped string left after redacting the
// credentials (an access key ID quoted in a prompt, an API key in a header not named as a
// credential) is redacted too, with a warning: one such string must not cost the rest of
// the recording.
func (t *tape) finish(i *cassette.Interaction) error {
	err := runHooks(t.hooks, AfterCaptureHook, i)
	cassette.Redact(i, cassette.WithMaskAccountIDs(t.mask))
	for _, e := range cassette.RedactShapes(i) {
		t.warn(e)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.pending, i)
	if err != nil {
		t.remove(i)
		return err
	}
	t.dirty = true
	return nil
}

// abandon removes i: the exchange failed before it could be recorded.
func (t *tape) abandon(i *cassette.Interaction) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.pending, i)
	t.remove(i)
	t.lost++
}

// lose counts an exchange that failed before it had a response to record.
func (t *tape) lose() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lost++
}

func (t *tape) remove(i *cassette.Interaction) {
	kept := t.c.Interactions[:0]
	for _, j := range t.c.Interactions {
		if j != i {
			kept = append(kept, j)
		}
	}
	t.c.Interactions = kept
}

// fail keeps an error to report when the recording stops.
func (t *tape) fail(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.errs = append(t.errs, err)
}

// save writes the finished interactions to the cassette file, atomically, when anything
// changed since the last save (or always, with force). The BeforeSave hooks run on each,
// and what they leave secret-shaped is redacted, with a warning. A save that fails leaves
// the file as it was.
func (t *tape) save(force bool) error {
	var warnings []*cassette.SecretError
	defer func() {
		for _, e := range warnings {
			t.warn(e)
		}
	}()
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.dirty && !force {
		return nil
	}
	out := cassette.New(t.path)
	for _, i := range t.c.Interactions {
		if t.pending[i] {
			continue
		}
		if err := runHooks(t.hooks, BeforeSaveHook, i); err != nil {
			return err
		}
		cp := *i
		out.Add(&cp)
		warnings = append(warnings, cassette.RedactShapes(&cp)...)
	}
	if _, err := os.Stat(t.path); err == nil && len(out.Interactions) == 0 && t.lost > 0 {
		// A recording whose every exchange failed does not empty the cassette there was.
		return fmt.Errorf("nothing recorded, every exchange failed (%d): %s is left as it was", t.lost, t.path)
	}
	if err := out.Save(t.path); err != nil {
		return err
	}
	t.dirty = false
	return nil
}

// len is the number of interactions, finished or not.
func (t *tape) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.c.Interactions)
}

func (t *tape) err() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return errors.Join(t.errs...)
}

// captured is a recorded exchange: the request as sent and the response as it arrived.
func captured(req *http.Request, url string, body []byte, resp *http.Response, took time.Duration) *cassette.Interaction {
	i := &cassette.Interaction{}
	i.Request = cassette.Request{
		Proto: req.Proto, ProtoMajor: req.ProtoMajor, ProtoMinor: req.ProtoMinor,
		ContentLength: int64(len(body)), Host: req.Host,
		Body: string(body), Headers: req.Header.Clone(), URL: url, Method: req.Method,
	}
	i.Response.Proto, i.Response.ProtoMajor, i.Response.ProtoMinor = resp.Proto, resp.ProtoMajor, resp.ProtoMinor
	i.Response.Status, i.Response.Code = resp.Status, resp.StatusCode
	i.Response.Headers = resp.Header.Clone()
	i.Response.ContentLength = resp.ContentLength
	i.Response.Duration = took.Round(time.Microsecond)
	return i
}

// teeBody passes an event-stream response body on to its reader while cutting it into
// frames as it arrives. done runs once, at the end of the body, an error reading it, or
// Close (which may come from another goroutine than Read), whichever comes first.
type teeBody struct {
	body  io.ReadCloser
	cut   *cassette.Cutter
	done  func(frames []cassette.Frame)
	mu    sync.Mutex // guards cut and ended
	ended bool
}

func (b *teeBody) Read(p []byte) (int, error) {
	n, err := b.body.Read(p)
	b.mu.Lock()
	if !b.ended {
		b.cut.Write(p[:n])
	}
	b.mu.Unlock()
	if err != nil {
		b.end()
	}
	return n, err
}

func (b *teeBody) Close() error {
	err := b.body.Close()
	b.end()
	return err
}

func (b *teeBody) end() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ended {
		return
	}
	b.ended = true
	frames := b.cut.Frames()
	if frames == nil {
		frames = []cassette.Frame{} // an empty stream is still a stream
	}
	b.done(frames)
}
