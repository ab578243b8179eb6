package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

func TestJournal(t *testing.T) {
	t.Parallel()
	srv, c := start(t, func(o *emulator.Options) { o.JournalSize = 2 })
	in := &bedrockruntime.ConverseInput{ModelId: aws.String("amazon.nova-micro-v1:0"), Messages: []types.Message{testkit.UserText("first")}}
	testkit.Converse(t, c, in)
	in.Messages = []types.Message{testkit.UserText("second")}
	testkit.Converse(t, c, in)
	c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String("no.such-model-v1:0"), Messages: in.Messages})

	got := srv.Requests()
	if len(got) != 2 {
		t.Fatalf("journal holds %d entries, want the last 2", len(got))
	}
	type row struct {
		Seq    int64
		Model  string
		Status int
		Error  string
	}
	var rows []row
	for _, e := range got {
		r := row{e.Seq, e.ModelID, e.Status, ""}
		if e.Error != nil {
			r.Error = e.Error.Type + ": " + e.Error.Message
		}
		rows = append(rows, r)
	}
	want := []row{
		{2, "amazon.nova-micro-v1:0", 200, ""},
		// A refused request is journaled with the model it named, as every operation's is.
		{3, "no.such-model-v1:0", 400, "ValidationException: The provided model identifier is invalid."},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("journal (-want +got):\n%s", diff)
	}
	var req struct {
		Messages []struct{ Content []struct{ Text string } }
	}
	if err := json.Unmarshal(got[0].Request, &req); err != nil || req.Messages[0].Content[0].Text != "second" {
		t.Errorf("journal request = %s", got[0].Request)
	}

	// The admin API shows and clears the same journal.
	resp, err := http.Get(srv.URL + "/_emulator/requests")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var listed struct{ Requests []emulator.Entry }
	if err := json.Unmarshal(body, &listed); err != nil || len(listed.Requests) != 2 {
		t.Fatalf("GET /_emulator/requests = %s (%v)", body, err)
	}
	req2, _ := http.NewRequest(http.MethodDelete, srv.URL+"/_emulator/requests", nil)
	if resp, err := http.DefaultClient.Do(req2); err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE: %v %v", resp, err)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("after DELETE the journal holds %d entries", n)
	}
}

// TestWait: Wait returns once the journal holds the requests asked for, streams included,
// and gives up when its context ends; WaitFunc waits for what its function wants.
func TestWait(t *testing.T) {
	t.Parallel()
	srv, c := start(t)
	model := aws.String("amazon.nova-micro-v1:0")
	testkit.ConverseStream(t, c, &bedrockruntime.ConverseStreamInput{ModelId: model, Messages: []types.Message{testkit.UserText("one")}})
	testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: model, Messages: []types.Message{testkit.UserText("two")}})

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	entries, err := srv.Wait(ctx, 2)
	if err != nil || len(entries) != 2 || entries[0].Operation != emulator.OpConverseStream {
		t.Fatalf("Wait(2) = %d entries, %v; want the stream and the Converse", len(entries), err)
	}
	entries, err = srv.WaitFunc(ctx, func(es []emulator.Entry) bool { return es[len(es)-1].Operation == emulator.OpConverse })
	if err != nil || len(entries) != 2 {
		t.Errorf("WaitFunc = %d entries, %v; want 2", len(entries), err)
	}

	short, cancelShort := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancelShort()
	if entries, err := srv.Wait(short, 3); !errors.Is(err, context.DeadlineExceeded) || len(entries) != 2 {
		t.Errorf("Wait(3) = %d entries, %v; want the 2 there are and the context's error", len(entries), err)
	}
	srv.ResetRequests()
	if entries, err := srv.Wait(short, 0); err != nil || len(entries) != 0 {
		t.Errorf("Wait(0) after a reset = %d entries, %v; want none at once", len(entries), err)
	}
}

// TestJournalStreamed: GET /_emulator/requests writes the journal entry by entry, never the
// whole of it at once (issue 13, item 4).
func TestJournalStreamed(t *testing.T) {
	t.Parallel()
	h, err := emulator.NewHandler()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("a", 1<<18) // within Nova Micro's context window
	body := `{"messages":[{"role":"user","content":[{"text":"` + text + `"}]}]}`
	const n = 8
	for range n {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/model/amazon.nova-micro-v1%3A0/converse", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer ABSKZXhhbXBsZQ==")
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("converse: %d %s", rec.Code, rec.Body)
		}
	}
	w := &writeSizes{header: http.Header{}}
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/_emulator/requests", nil))
	var got struct{ Requests []emulator.Entry }
	if err := json.Unmarshal(w.body.Bytes(), &got); err != nil || len(got.Requests) != n {
		t.Fatalf("journal: %d entries, %v; want %d", len(got.Requests), err, n)
	}
	if w.largest > 2*len(body) {
		t.Errorf("the journal of %d bytes was written in a piece of %d bytes; want no piece much larger than one entry (%d)",
			w.body.Len(), w.largest, len(body))
	}
}

// writeSizes is a ResponseWriter that records what is written, and its largest Write.
type writeSizes struct {
	header  http.Header
	body    bytes.Buffer
	largest int
}

func (w *writeSizes) Header() http.Header { return w.header }
func (w *writeSizes) WriteHeader(int)     {}
func (w *writeSizes) Write(b []byte) (int, error) {
	w.largest = max(w.largest, len(b))
	return w.body.Write(b)
}
