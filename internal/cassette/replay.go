package cassette

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// HTTPResponse returns the recorded response as the answer to req: status, headers (names
// canonical, Content-Length and Transfer-Encoding set for the body replayed) and body. An
// event stream's frames are re-encoded; with timing, each is delivered at its recorded
// offset after the response, else all at once. Reading the body stops when req's context
// ends.
func (i *Interaction) HTTPResponse(req *http.Request, timing bool) (*http.Response, error) {
	r := &i.Response
	h := make(http.Header, len(r.Headers))
	for k, v := range WireHeader(r.Headers) {
		h[http.CanonicalHeaderKey(k)] = append([]string(nil), v...)
	}
	h.Del("Content-Length")
	h.Del("Transfer-Encoding")
	status := r.StatusCode()
	statusText := r.Status
	if statusText == "" {
		statusText = strings.TrimSpace(strconv.Itoa(status) + " " + http.StatusText(status))
	}
	resp := &http.Response{
		Status:     statusText,
		StatusCode: status,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     h,
		Request:    req,
	}
	if r.Frames == nil {
		resp.ContentLength = int64(len(r.Body))
		h.Set("Content-Length", strconv.Itoa(len(r.Body)))
		resp.Body = io.NopCloser(strings.NewReader(r.Body))
		return resp, nil
	}
	fr := &frameReader{ctx: req.Context(), start: time.Now()}
	for _, f := range r.Frames {
		b, err := f.Encode()
		if err != nil {
			return nil, err
		}
		at := f.At
		if !timing {
			at = 0
		}
		fr.frames = append(fr.frames, timedFrame{at, b})
	}
	resp.ContentLength = -1
	resp.Body = fr
	return resp, nil
}

type timedFrame struct {
	at    time.Duration
	bytes []byte
}

// frameReader delivers frames, each no earlier than its offset after start.
type frameReader struct {
	ctx    context.Context
	start  time.Time
	frames []timedFrame
	cur    bytes.Reader
}

func (r *frameReader) Read(p []byte) (int, error) {
	for r.cur.Len() == 0 {
		if len(r.frames) == 0 {
			return 0, io.EOF
		}
		f := r.frames[0]
		if wait := f.at - time.Since(r.start); wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-r.ctx.Done():
				t.Stop()
				return 0, r.ctx.Err()
			}
		}
		r.frames = r.frames[1:]
		r.cur.Reset(f.bytes)
	}
	return r.cur.Read(p)
}

func (r *frameReader) Close() error {
	r.frames = nil
	r.cur.Reset(nil)
	return nil
}
