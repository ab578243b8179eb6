package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-emulator/bedrock-emulator/client"
	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// summaryPage is GET /_emulator/requests/summary's answer.
type summaryPage struct {
	Requests []struct {
		Seq           int64
		TestID        string
		Operation     string
		ModelID       string
		Method        string
		Path          string
		Status        int
		Error         *emulator.JournalError
		AnsweredBy    string
		Events        int
		RequestBytes  int
		ResponseBytes int
		// Request is what a summary must not hold.
		Request json.RawMessage
	}
	Matched, Kept int
	Newest        int64
}

// seqs are the seqs of a page's requests, in order.
func (p summaryPage) seqs() []int64 {
	out := []int64{}
	for _, r := range p.Requests {
		out = append(out, r.Seq)
	}
	return out
}

// getJSON gets url, decodes its JSON answer into v and returns the status.
func getJSON(t testing.TB, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("GET %s: Content-Type %q, want application/json", url, ct)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v: %s", url, err, body)
	}
	return resp.StatusCode
}

// summaries gets a page of GET /_emulator/requests/summary with query.
func summaries(t testing.TB, srv *emulator.Server, query string) summaryPage {
	t.Helper()
	var p summaryPage
	if status := getJSON(t, srv.URL+"/_emulator/requests/summary?"+query, &p); status != http.StatusOK {
		t.Fatalf("summary?%s: status %d", query, status)
	}
	return p
}

// midStream answers the last user message "fail mid-stream" with a reply whose stream ends
// with a ThrottlingException after three events.
var midStream = emulator.BehaviourFunc(func(_ context.Context, c *emulator.Call) (*emulator.Reply, error) {
	if m := c.Request.Messages; len(m) == 0 || len(m[len(m)-1].Content) == 0 || m[len(m)-1].Content[0].Text == nil ||
		*m[len(m)-1].Content[0].Text != "fail mid-stream" {
		return nil, nil
	}
	throttled, _ := emulator.NewError("ThrottlingException", "slow down")
	return &emulator.Reply{Content: []emulator.Block{emulator.TextBlock("one two three four")},
		Stream: emulator.StreamShape{Fail: throttled, FailAfter: 3}}, nil
})

func TestRequestSummary(t *testing.T) {
	t.Parallel()
	srv := emulator.NewServer(emulator.WithBehaviour(midStream))
	t.Cleanup(srv.Close)
	const nova, haiku = "amazon.nova-micro-v1:0", "anthropic.claude-3-haiku-20240307-v1:0"
	a, b := testkit.Client(srv.URL, client.WithTestID("test-a")), testkit.Client(srv.URL, client.WithTestID("test-b"))
	testkit.Converse(t, a, &bedrockruntime.ConverseInput{ModelId: aws.String(nova), Messages: []types.Message{testkit.UserText("Where is the Eiffel Tower?")}})
	testkit.ConverseStream(t, b, &bedrockruntime.ConverseStreamInput{ModelId: aws.String(haiku), Messages: []types.Message{testkit.UserText("Hello there")}})
	failed := testkit.ConverseStream(t, testkit.Client(srv.URL), &bedrockruntime.ConverseStreamInput{ModelId: aws.String(haiku), Messages: []types.Message{testkit.UserText("fail mid-stream")}})
	if testkit.ErrorCode(failed.Err) != "ThrottlingException" {
		t.Fatalf("mid-stream failure: %v", failed.Err)
	}
	_, err := a.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String("no.such-model-v1:0"), Messages: []types.Message{testkit.UserText("x")}})
	if testkit.ErrorCode(err) != "ValidationException" {
		t.Fatalf("unknown model: %v", err)
	}

	all := summaries(t, srv, "")
	if got, want := all.seqs(), []int64{4, 3, 2, 1}; !cmp.Equal(got, want) {
		t.Fatalf("summary seqs = %v, want %v, newest first", got, want)
	}
	if all.Matched != 4 || all.Kept != 4 || all.Newest != 4 {
		t.Errorf("matched, kept, newest = %d, %d, %d; want 4, 4, 4", all.Matched, all.Kept, all.Newest)
	}
	first := all.Requests[3]
	if first.TestID != "test-a" || first.Operation != "Converse" || first.ModelID != nova || first.Method != "POST" ||
		first.Path != "/model/amazon.nova-micro-v1%3A0/converse" || first.Status != 200 || first.AnsweredBy != "generator" ||
		first.RequestBytes == 0 || first.ResponseBytes == 0 || first.Request != nil {
		t.Errorf("summary of the first request = %+v", first)
	}
	if s := all.Requests[1]; s.Status != 200 || s.Error == nil || s.Error.Type != "ThrottlingException" || s.Events != 3 {
		t.Errorf("summary of the failed stream = %+v", s)
	}

	for _, c := range []struct {
		query string
		want  []int64
	}{
		{"status=error", []int64{4, 3}},
		{"status=4xx", []int64{4}},
		{"status=200", []int64{3, 2, 1}},
		{"status=2xx&operation=ConverseStream", []int64{3, 2}},
		{"model=" + url.QueryEscape(nova), []int64{1}},
		{"testId=test-b", []int64{2}},
		{"testId=", []int64{3}},
		{"q=eiffel", []int64{1}},           // the request body, in another case
		{"q=MODEL+IDENTIFIER", []int64{4}}, // the error message
		{"q=hello+THERE", []int64{2}},
		{"q=THREE+FOUR", []int64{3}}, // the response body
		{"limit=2", []int64{4, 3}},
		{"limit=2&before=3", []int64{2, 1}},
		{"after=2", []int64{4, 3}},
		{"after=1&before=4", []int64{3, 2}},
		{"after=4&wait=1ms", []int64{}},
	} {
		p := summaries(t, srv, c.query)
		if got := p.seqs(); !cmp.Equal(got, c.want) {
			t.Errorf("summary?%s = %v, want %v", c.query, got, c.want)
		}
	}
	// matched counts the filters' entries in any window.
	if p := summaries(t, srv, "status=200&limit=1&before=2"); p.Matched != 3 || len(p.Requests) != 1 {
		t.Errorf("status=200&limit=1&before=2: matched %d, %d requests; want 3, 1", p.Matched, len(p.Requests))
	}

	for _, q := range []string{"limit=0", "limit=1001", "limit=x", "before=-1", "after=x", "wait=25s", "after=1&wait=61s",
		"after=1&wait=soon", "q=" + strings.Repeat("x", 1025), "status=99", "status=1000", "status=6xx", "status=ok"} {
		var e struct{ Message string }
		if status := getJSON(t, srv.URL+"/_emulator/requests/summary?"+q, &e); status != http.StatusBadRequest || e.Message == "" {
			t.Errorf("summary?%s: status %d, message %q; want 400 and a message", q, status, e.Message)
		}
	}
}

// replayed answers a last user message that names one of recorded with that recorded reply.
func replayed(recorded map[string]*emulator.Recorded) emulator.Behaviour {
	return emulator.BehaviourFunc(func(_ context.Context, c *emulator.Call) (*emulator.Reply, error) {
		m := c.Request.Messages
		if text := m[len(m)-1].Content[0].Text; text != nil && recorded[*text] != nil {
			return &emulator.Reply{Recorded: recorded[*text]}, nil
		}
		return nil, nil
	})
}

// haikuRequest is an in-process request to Claude 3 Haiku's op (converse, converse-stream)
// of one message, with an API key.
func haikuRequest(op, role, text string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "/model/anthropic.claude-3-haiku-20240307-v1%3A0/"+op,
		strings.NewReader(`{"messages":[{"role":"`+role+`","content":[{"text":"`+text+`"}]}]}`))
	req.Header.Set("Authorization", "Bearer ABSKZXhhbXBsZQ==")
	return req
}

// flushProbe is a ResponseWriter that notes how much of the body was written at its last
// flush.
type flushProbe struct {
	*httptest.ResponseRecorder
	flushed int
}

func (p *flushProbe) Flush() {
	p.flushed = p.Body.Len()
	p.ResponseRecorder.Flush()
}

// TestStreamEndUnflushed: a stream's exception frame, and a recorded stream's last frame,
// are written but not flushed: net/http sends them with the end of the response, after the
// request is journaled, so that a client, which stops reading at an exception, finds the
// request in the journal (TestRequestSummary does so through the SDK). Every other frame is
// flushed as it is written.
func TestStreamEndUnflushed(t *testing.T) {
	t.Parallel()
	replay := replayed(map[string]*emulator.Recorded{"replay": {
		Header: http.Header{"Content-Type": {"application/vnd.amazon.eventstream"}},
		Frames: []emulator.Frame{
			{Bytes: encodeEvent(t, "messageStart", `{"role":"assistant"}`)},
			{Bytes: encodeEvent(t, "messageStop", `{"stopReason":"end_turn"}`)},
		},
	}})
	h, err := emulator.NewHandler(emulator.WithBehaviour(midStream), emulator.WithBehaviour(replay))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ text, unflushed string }{
		{"fail mid-stream", "exception throttlingException"},
		{"replay", "messageStop"},
	} {
		w := &flushProbe{ResponseRecorder: httptest.NewRecorder()}
		h.ServeHTTP(w, haikuRequest("converse-stream", "user", tt.text))
		if w.Code != http.StatusOK || w.flushed == 0 {
			t.Fatalf("%s: status %d, %d bytes flushed", tt.text, w.Code, w.flushed)
		}
		var unflushed []string
		dec, r := eventstream.NewDecoder(), bytes.NewReader(w.Body.Bytes()[w.flushed:])
		for r.Len() > 0 {
			msg, err := dec.Decode(r, nil)
			if err != nil {
				t.Fatalf("%s: the frames after the last flush: %v", tt.text, err)
			}
			typ := msg.Headers.Get(":event-type")
			if typ == nil {
				typ = eventstream.StringValue("exception " + msg.Headers.Get(":exception-type").String())
			}
			unflushed = append(unflushed, typ.String())
		}
		if want := []string{tt.unflushed}; !cmp.Equal(unflushed, want) {
			t.Errorf("%s: frames written after the last flush = %q, want %q", tt.text, unflushed, want)
		}
	}
}

// journalProbe is a ResponseWriter that, at each write, asks the handler's journal how
// many requests it keeps. It runs inside the handler, whose guard would turn a failure
// there into an answer, so it keeps the first error for the test to report.
type journalProbe struct {
	*httptest.ResponseRecorder
	h    http.Handler
	kept []int
	err  error
}

func (p *journalProbe) Write(b []byte) (int, error) {
	w := httptest.NewRecorder()
	p.h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/_emulator/requests/summary", nil))
	var page summaryPage
	if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil && p.err == nil {
		p.err = fmt.Errorf("the journal's summary: %w: %s", err, w.Body)
	}
	p.kept = append(p.kept, page.Kept)
	return p.ResponseRecorder.Write(b)
}

// bigReply is a Converse body of 64 KiB of text, which net/http sends as it is written.
var bigReply = `{"output":{"message":{"role":"assistant","content":[{"text":"` + strings.Repeat("x", 64<<10) +
	`"}]}},"stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2},"metrics":{"latencyMs":1}}`

// TestJournaledBeforeWritten: a body, generated or recorded, and an error are journaled
// before they are written, so that a client that has its answer finds the request in the
// journal, however large the body (bigReply).
func TestJournaledBeforeWritten(t *testing.T) {
	t.Parallel()
	replay := replayed(map[string]*emulator.Recorded{
		"replay":    {Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(bigReply)},
		"status 42": {Status: 42, Body: []byte("{}")},
	})
	h, err := emulator.NewHandler(emulator.WithBehaviour(replay))
	if err != nil {
		t.Fatal(err)
	}
	for i, tt := range []struct {
		role, text string
		status     int
		message    string
	}{
		{"user", "hello", http.StatusOK, ""},
		{"user", "replay", http.StatusOK, ""},
		{"robot", "hello", http.StatusBadRequest, ""},
		{"user", "status 42", http.StatusInternalServerError, "bedrock-emulator: invalid reply: recorded status 42 is not an HTTP status"},
	} {
		w := &journalProbe{ResponseRecorder: httptest.NewRecorder(), h: h}
		h.ServeHTTP(w, haikuRequest("converse", tt.role, tt.text))
		if w.err != nil {
			t.Fatalf("%s %q: %v", tt.role, tt.text, w.err)
		}
		var e struct{ Message string }
		json.Unmarshal(w.Body.Bytes(), &e)
		if w.Code != tt.status || tt.message != "" && e.Message != tt.message {
			t.Fatalf("%s %q: %d %q, want %d %q", tt.role, tt.text, w.Code, e.Message, tt.status, tt.message)
		}
		if len(w.kept) == 0 || slices.ContainsFunc(w.kept, func(n int) bool { return n != i+1 }) {
			t.Errorf("%s %q: the journal kept %v requests at each write, want %d", tt.role, tt.text, w.kept, i+1)
		}
	}
}

// TestRecordedBodyJournaled: through the AWS SDK for Go and a listening server, a replayed
// body's request is in the journal as soon as the SDK has returned the answer, without
// waiting. Journaled after the write, it fails here now and then (2 runs in 200), and in
// process every time (TestJournaledBeforeWritten).
func TestRecordedBodyJournaled(t *testing.T) {
	t.Parallel()
	srv, c := start(t, emulator.WithBehaviour(replayed(map[string]*emulator.Recorded{
		"replay": {Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(bigReply)},
	})))
	out := testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: aws.String("anthropic.claude-3-haiku-20240307-v1:0"),
		Messages: []types.Message{testkit.UserText("replay")}})
	text := out.Output.(*types.ConverseOutputMemberMessage).Value.Content[0].(*types.ContentBlockMemberText).Value
	entries := srv.Requests()
	if len(text) != 64<<10 || len(entries) != 1 || entries[0].Status != http.StatusOK {
		t.Errorf("replayed %d bytes of text, then the journal held %d entries; want %d bytes and the request", len(text), len(entries), 64<<10)
	}
}

func TestRequestEntry(t *testing.T) {
	t.Parallel()
	srv := emulator.NewServer(emulator.WithBehaviour(midStream))
	t.Cleanup(srv.Close)
	c := testkit.Client(srv.URL)
	const haiku = "anthropic.claude-3-haiku-20240307-v1:0"
	stream := testkit.ConverseStream(t, c, &bedrockruntime.ConverseStreamInput{ModelId: aws.String(haiku), Messages: []types.Message{testkit.UserText("Tell me a story")}})
	failed := testkit.ConverseStream(t, c, &bedrockruntime.ConverseStreamInput{ModelId: aws.String(haiku), Messages: []types.Message{testkit.UserText("fail mid-stream")}})

	var e emulator.Entry
	if status := getJSON(t, srv.URL+"/_emulator/requests/1", &e); status != http.StatusOK {
		t.Fatalf("GET /_emulator/requests/1: status %d", status)
	}
	if e.Seq != 1 || e.Method != "POST" || e.Path != "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream" {
		t.Errorf("entry seq, method, path = %d %q %q", e.Seq, e.Method, e.Path)
	}
	// The SDK signed the request: its signature is redacted, its scheme kept.
	if auth := e.RequestHeaders.Get("Authorization"); auth != "AWS4-HMAC-SHA256 REDACTED" {
		t.Errorf("journaled Authorization = %q, want it redacted", auth)
	}
	if ct := e.RequestHeaders.Get("Content-Type"); ct != "application/json" {
		t.Errorf("journaled Content-Type = %q", ct)
	}
	// The second entry is first read as a list: its headers are made then, as redacted.
	if auth := journaled(t, srv, 2).RequestHeaders.Get("Authorization"); auth != "AWS4-HMAC-SHA256 REDACTED" {
		t.Errorf("the second entry's Authorization, read as a list = %q, want it redacted", auth)
	}
	// The frames are those the SDK read, in order, their offsets from the first; the text
	// deltas' payloads make the text.
	var kinds []string
	var text strings.Builder
	for i, f := range e.Stream {
		kinds = append(kinds, f.Type)
		if i == 0 && f.Offset != 0 || i > 0 && f.Offset < e.Stream[i-1].Offset {
			t.Errorf("frame %d offset %v after %v; want 0 first, then never less", i, f.Offset, e.Stream[max(i-1, 0)].Offset)
		}
		var p struct{ Delta struct{ Text string } }
		if err := json.Unmarshal(f.Payload, &p); err != nil {
			t.Errorf("frame %d payload %s: %v", i, f.Payload, err)
		}
		text.WriteString(p.Delta.Text)
	}
	if diff := cmp.Diff(stream.Events, kinds); diff != "" {
		t.Errorf("journaled frame types (-SDK read +journaled):\n%s", diff)
	}
	if text.String() != stream.Text || stream.Text == "" {
		t.Errorf("journaled deltas make %q, the SDK read %q", text.String(), stream.Text)
	}

	// A stream ended by an exception: its frame is the last, of the exception's type.
	getJSON(t, srv.URL+"/_emulator/requests/2", &e)
	if n := len(e.Stream); n != len(failed.Events)+1 || e.Stream[n-1].Type != "throttlingException" ||
		string(e.Stream[n-1].Payload) != `{"message":"slow down"}` {
		t.Errorf("failed stream's frames = %+v", e.Stream)
	}

	// InvokeModelWithResponseStream's chunks, as sent: {"bytes": the chunk in base64, "p"}.
	chunks := testkit.InvokeModelStream(t, c, &bedrockruntime.InvokeModelWithResponseStreamInput{ModelId: aws.String(haiku),
		Body: []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":100,"messages":[{"role":"user","content":"hi"}]}`)})
	journaled(t, srv, 3)
	getJSON(t, srv.URL+"/_emulator/requests/3", &e)
	if len(e.Stream) != len(chunks.Chunks) {
		t.Fatalf("%d chunk frames journaled, the SDK read %d", len(e.Stream), len(chunks.Chunks))
	}
	for i, f := range e.Stream {
		var p struct{ Bytes []byte }
		if err := json.Unmarshal(f.Payload, &p); err != nil || f.Type != "chunk" || string(p.Bytes) != string(chunks.Chunks[i]) {
			t.Errorf("chunk frame %d: %s %s (%v), the SDK read %s", i, f.Type, f.Payload, err, chunks.Chunks[i])
		}
	}

	for _, c := range []struct {
		path   string
		status int
	}{{"/_emulator/requests/4", 404}, {"/_emulator/requests/x", 400}} {
		var m struct{ Message string }
		if status := getJSON(t, srv.URL+c.path, &m); status != c.status || m.Message == "" {
			t.Errorf("GET %s: %d %q, want %d and a message", c.path, status, m.Message, c.status)
		}
	}
}

// TestRequestSummaryWait: a long poll answers with the requests journaled after the one it
// names, among them a stream that began before it and ended after.
func TestRequestSummaryWait(t *testing.T) {
	t.Parallel()
	started, release := make(chan struct{}), make(chan struct{})
	slow := emulator.BehaviourFunc(func(_ context.Context, c *emulator.Call) (*emulator.Reply, error) {
		if c.Operation == emulator.OpConverseStream {
			close(started)
			<-release
		}
		return nil, nil
	})
	srv := emulator.NewServer(emulator.WithBehaviour(slow))
	t.Cleanup(srv.Close)
	const nova = "amazon.nova-micro-v1:0"
	var wg sync.WaitGroup
	wg.Go(func() {
		testkit.ConverseStream(t, testkit.Client(srv.URL), &bedrockruntime.ConverseStreamInput{ModelId: aws.String(nova), Messages: []types.Message{testkit.UserText("slow")}})
	})
	<-started // the stream is request 1
	testkit.Converse(t, testkit.Client(srv.URL), &bedrockruntime.ConverseInput{ModelId: aws.String(nova), Messages: []types.Message{testkit.UserText("fast")}})
	p := summaries(t, srv, "")
	if got := p.seqs(); !cmp.Equal(got, []int64{2}) || p.Newest != 2 {
		t.Fatalf("before the stream ends: %v, newest %d; want [2], 2", got, p.Newest)
	}

	polled := make(chan summaryPage)
	go func() { polled <- summaries(t, srv, "after=2&wait=60s") }()
	close(release)
	wg.Wait()
	if got := (<-polled).seqs(); !cmp.Equal(got, []int64{1}) {
		t.Errorf("long poll after 2 = %v, want the stream [1], journaled after 2", got)
	}
	if got := summaries(t, srv, "before=1").seqs(); !cmp.Equal(got, []int64{2}) {
		t.Errorf("before=1 = %v, want [2], journaled before it", got)
	}
}

// fillJournal sends n Converse requests to srv over plain HTTP, a few at a time; every
// tenth names test "tenth".
func fillJournal(t testing.TB, srv *emulator.Server, n int) {
	t.Helper()
	c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	var wg sync.WaitGroup
	next := make(chan int)
	for range 4 {
		wg.Go(func() {
			for i := range next {
				req, _ := http.NewRequest(http.MethodPost, srv.URL+benchPath+"converse", strings.NewReader(benchBody))
				req.Header = benchHeader.Clone()
				if i%10 == 0 {
					req.Header.Set(emulator.TestIDHeader, "tenth")
				}
				resp, err := c.Do(req)
				if err != nil {
					t.Error(err)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// TestRequestSummaryPages pages through 10,000 entries, a thousand at a time.
func TestRequestSummaryPages(t *testing.T) {
	t.Parallel()
	const n = 10_000
	srv := emulator.NewServer(emulator.WithJournalSize(n))
	t.Cleanup(srv.Close)
	fillJournal(t, srv, n)

	for _, c := range []struct {
		filter string
		want   int
	}{{"", n}, {"testId=tenth&", n / 10}} {
		seen := map[int64]bool{}
		query := c.filter + "limit=1000"
		for pages := 0; ; pages++ {
			p := summaries(t, srv, query)
			if p.Matched != c.want || p.Kept != n {
				t.Fatalf("%s: matched %d, kept %d; want %d, %d", query, p.Matched, p.Kept, c.want, n)
			}
			if len(p.Requests) == 0 {
				if pages != c.want/1000 {
					t.Errorf("%s: %d pages, want %d", c.filter, pages, c.want/1000)
				}
				break
			}
			for _, r := range p.Requests {
				if seen[r.Seq] {
					t.Fatalf("%s: request %d listed twice", query, r.Seq)
				}
				seen[r.Seq] = true
			}
			query = fmt.Sprintf("%slimit=1000&before=%d", c.filter, p.Requests[len(p.Requests)-1].Seq)
		}
		if len(seen) != c.want {
			t.Errorf("%s: %d requests listed, want %d", c.filter, len(seen), c.want)
		}
	}
}

// BenchmarkRequestSummary answers one page of a hundred summaries over 10,000 entries, as
// the web inspector asks: unfiltered, filtered by test, and searching the bodies for text
// that none holds.
func BenchmarkRequestSummary(b *testing.B) {
	const n = 10_000
	srv := emulator.NewServer(emulator.WithJournalSize(n))
	defer srv.Close()
	h := srv.Handler()
	for range n {
		r := httptest.NewRequest(http.MethodPost, benchPath+"converse", strings.NewReader(benchBody))
		r.Header = benchHeader
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	for _, query := range []string{"limit=100", "limit=100&testId=none", "limit=100&q=nowhere"} {
		b.Run(query, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/_emulator/requests/summary?"+query, nil))
				if w.Code != http.StatusOK {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
			}
		})
	}
}
