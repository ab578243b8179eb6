package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// A panic outside the behaviours (an emulator bug) is answered with a modeled
// InternalServerException and logged with its stack; once part of a reply is on the wire,
// the connection is broken instead, as net/http does.
func TestGuardPanics(t *testing.T) {
	t.Parallel()
	var logs testkit.Buffer // the server writes it, from its handlers
	h, err := newHandler(buildOptions([]func(*Options){WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))}))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/before", func(http.ResponseWriter, *http.Request) { panic("before the reply") })
	mux.HandleFunc("/during", func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte("partial"))
		http.NewResponseController(w).Flush()
		panic("during the reply")
	})
	srv := httptest.NewServer(h.guard(mux))
	defer srv.Close()

	resp, err := http.Post(srv.URL+"/before", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	want := `{"message":"The system encountered an unexpected error during processing. Try your request again."}`
	if resp.StatusCode != 500 || string(body) != want ||
		resp.Header.Get("X-Amzn-Errortype") != "InternalServerException:http://internal.amazon.com/coral/com.amazon.bedrock/" {
		t.Errorf("panic before the reply: %d %s %v, want 500 %s", resp.StatusCode, body, resp.Header, want)
	}

	resp, err = http.Post(srv.URL+"/during", "application/json", nil)
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if err == nil {
		t.Error("panic during the reply: the reply ended cleanly, want a broken connection")
	}

	for _, want := range []string{`msg=panic method=POST path=/before panic="before the reply" stack=`, `path=/during panic="during the reply"`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
}

// The stall guard's write deadline moves on as a response is written: a handler that writes
// a kilobyte every 5 ms for half a second, against a StallTimeout of 300 ms, is not cut,
// over HTTP/1.1 and h2c.
func TestGuardDeadlineMovesOn(t *testing.T) {
	t.Parallel()
	const stall = 300 * time.Millisecond
	h, err := newHandler(buildOptions([]func(*Options){WithStallTimeout(stall)}))
	if err != nil {
		t.Fatal(err)
	}
	kilobyte := strings.Repeat("k", 1<<10)
	srv := httptest.NewUnstartedServer(h.guard(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		for range 100 {
			w.Write([]byte(kilobyte))
			http.NewResponseController(w).Flush()
			time.Sleep(5 * time.Millisecond)
		}
	})))
	srv.Config.Protocols = new(http.Protocols)
	srv.Config.Protocols.SetHTTP1(true)
	srv.Config.Protocols.SetUnencryptedHTTP2(true)
	srv.Start()
	defer srv.Close()
	for _, proto := range []string{"HTTP/1.1", "HTTP/2.0"} {
		tr := &http.Transport{Protocols: new(http.Protocols)}
		tr.Protocols.SetHTTP1(proto == "HTTP/1.1")
		tr.Protocols.SetUnencryptedHTTP2(proto == "HTTP/2.0")
		defer tr.CloseIdleConnections()
		resp, err := (&http.Client{Transport: tr}).Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || len(body) != 100<<10 || resp.Proto != proto {
			t.Errorf("%s response written over half a second, stall timeout %v: %d bytes, %v; want 100 KiB and the end", resp.Proto, stall, len(body), err)
		}
	}
}

// A writer without write deadlines (httptest.ResponseRecorder, as a test serving NewHandler
// in process uses) is asked for one once, not at every write and flush of a stream: each
// refusal from http.ResponseController is an error made anew.
func TestGuardAsksOnceForNoDeadline(t *testing.T) {
	t.Parallel()
	h, err := newHandler(buildOptions(nil))
	if err != nil {
		t.Fatal(err)
	}
	w := &noDeadlineWriter{ResponseRecorder: httptest.NewRecorder()}
	h.guard(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		for range 100 {
			w.Write([]byte("frame"))
			http.NewResponseController(w).Flush()
		}
	})).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	if w.Body.Len() != 500 || w.asked != 1 {
		t.Errorf("100 writes and flushes: %d bytes, a write deadline asked for %d times; want 500 bytes and once", w.Body.Len(), w.asked)
	}
}

// noDeadlineWriter refuses write deadlines, as net/http's writers without them do, and
// counts the requests.
type noDeadlineWriter struct {
	*httptest.ResponseRecorder
	asked int
}

func (w *noDeadlineWriter) SetWriteDeadline(time.Time) error {
	w.asked++
	return fmt.Errorf("%w", http.ErrNotSupported)
}

func TestUTF8Error(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"caf\xe9":          "Invalid UTF-8 start byte 0xe9",
		"caf\xe9\"":        "Invalid UTF-8 middle byte 0x22",
		"\xff":             "Invalid UTF-8 start byte 0xff",
		"ok \xc3\xa9 \x80": "Invalid UTF-8 start byte 0x80",
		"\xe2\x82":         "Invalid UTF-8 start byte 0xe2",
		"fine":             "",
	}
	for in, want := range tests {
		if got := utf8Error([]byte(in)); got != want {
			t.Errorf("utf8Error(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBodyError(t *testing.T) {
	t.Parallel()
	if e := bodyError(&http.MaxBytesError{Limit: 1}); e.Type != "ValidationException" || e.Message != msgInputTooLong {
		t.Errorf("too large: %v", e)
	}
	if e := bodyError(io.ErrUnexpectedEOF); e.Type != "SerializationException" || e.Message != "unexpected EOF" {
		t.Errorf("cut off: %v", e)
	}
	if e := bodyError(fmt.Errorf("read tcp: %w", os.ErrDeadlineExceeded)); e.Type != "SerializationException" || e.Message != "The request body was not received in time." {
		t.Errorf("too slow: %v", e)
	}
}

// A reply whose raw JSON is not UTF-8 is refused: Converse would send the bytes as they are
// and ConverseStream replaced, so the two encodings would differ (found by
// FuzzStreamRoundTrip, testdata/fuzz/FuzzStreamRoundTrip/invalid-utf8-tool-input).
func TestReplyCheckUTF8(t *testing.T) {
	t.Parallel()
	bad := json.RawMessage("{\"a\":\"\xbc\"}")
	for name, r := range map[string]*Reply{
		"tool input":                    {Content: []Block{{ToolUse: &ToolUse{ToolUseID: "t", Name: "f", Input: bad}}}},
		"additionalModelResponseFields": {AdditionalModelResponseFields: bad},
		"trace":                         {Trace: bad},
	} {
		if r.check() == nil {
			t.Errorf("%s with invalid UTF-8 passed the check", name)
		}
	}
}

// The journal keeps every entry, and bodies up to its byte budget, dropping the oldest
// bodies first and never the newest entry's.
func TestJournalBytes(t *testing.T) {
	t.Parallel()
	j := newJournal(4, 100)
	body := json.RawMessage(`"` + strings.Repeat("x", 38) + `"`) // 40 bytes
	for seq := range int64(6) {
		j.add(Entry{Seq: seq, Request: body})
	}
	var kept []int64
	for _, e := range j.list() {
		if e.Request != nil {
			kept = append(kept, e.Seq)
		}
	}
	if got := len(j.list()); got != 4 {
		t.Errorf("%d entries, want 4", got)
	}
	if len(kept) != 2 || kept[0] != 4 || kept[1] != 5 || j.bytes != 80 {
		t.Errorf("bodies kept for %v (%d bytes), want the newest two (80 bytes)", kept, j.bytes)
	}
	j.add(Entry{Seq: 6, Request: json.RawMessage(`"` + strings.Repeat("y", 198) + `"`)})
	if l := j.list(); l[len(l)-1].Request == nil || j.bytes != 200 {
		t.Errorf("the newest body, alone over the budget, was dropped (%d bytes kept)", j.bytes)
	}
	j.reset()
	if j.bytes != 0 || len(j.list()) != 0 {
		t.Errorf("after reset: %d bytes, %d entries", j.bytes, len(j.list()))
	}
}
