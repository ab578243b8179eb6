package emulator

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
)

func TestReadBody(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 5000)
	tests := []struct {
		name          string
		body          string
		contentLength int64 // as declared; -1 unknown
		limit         int64
		want          string
		tooBig        bool
	}{
		{name: "declared", body: long, contentLength: 5000, limit: 1 << 20, want: long},
		{name: "unknown length", body: long, contentLength: -1, limit: 1 << 20, want: long},
		{name: "declared short", body: long, contentLength: 10, limit: 1 << 20, want: long},
		{name: "empty", body: "", contentLength: 0, limit: 1 << 20, want: ""},
		{name: "over the limit, declared", body: long, contentLength: 5000, limit: 100, tooBig: true},
		{name: "over the limit, unknown", body: long, contentLength: -1, limit: 100, tooBig: true},
		{name: "at the limit", body: long, contentLength: 5000, limit: 5000, want: long},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(http.MethodPost, "/", io.NopCloser(strings.NewReader(tt.body)))
			r.ContentLength = tt.contentLength
			got, err := readBody(r, tt.limit)
			var maxErr *http.MaxBytesError
			if tt.tooBig {
				if !errors.As(err, &maxErr) {
					t.Errorf("err = %v, want a MaxBytesError", err)
				}
				return
			}
			if err != nil || string(got) != tt.want {
				t.Errorf("readBody = %d bytes, %v; want %d bytes", len(got), err, len(tt.want))
			}
		})
	}
}

// TestReadBodyDeclaredNotSent: a body that declares 25 MiB and sends one byte costs what
// arrived, not what was declared (issue 13, item 3).
func TestReadBodyDeclaredNotSent(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/", io.MultiReader(strings.NewReader("{"), errReader{io.ErrUnexpectedEOF}))
	r.ContentLength = DefaultMaxBodyBytes
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got, err := readBody(r, DefaultMaxBodyBytes)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, io.ErrUnexpectedEOF) || string(got) != "{" {
		t.Fatalf("readBody = %q, %v; want the one byte and unexpected EOF", got, err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("readBody allocated %d bytes for one byte of a body declared as %d", n, r.ContentLength)
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
