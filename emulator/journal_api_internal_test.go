package emulator

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"
)

// TestLongPollEnds: a long poll of GET /_emulator/requests/summary that nothing answers
// ends, well before its wait, when the client goes away or the server shuts down (which
// would otherwise wait for it).
func TestLongPollEnds(t *testing.T) {
	t.Parallel()
	const poll = AdminPrefix + "/requests/summary?after=0&wait=60s"
	// waiting blocks until the journal has a waiter: the poll.
	waiting := func(j *journal) {
		for {
			j.mu.Lock()
			w := j.changed != nil
			j.mu.Unlock()
			if w {
				return
			}
			runtime.Gosched()
		}
	}
	// ended fails the test unless done is closed long before the poll's wait.
	ended := func(t *testing.T, done <-chan struct{}) {
		t.Helper()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatal("the long poll is still waiting")
		}
	}

	t.Run("client gone", func(t *testing.T) {
		t.Parallel()
		h, err := newHandler(buildOptions(nil))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		w := httptest.NewRecorder()
		done := make(chan struct{})
		go func() {
			defer close(done)
			h.routes().ServeHTTP(w, httptest.NewRequestWithContext(ctx, http.MethodGet, poll, nil))
		}()
		waiting(h.journal)
		cancel()
		ended(t, done)
	})

	t.Run("shutdown", func(t *testing.T) {
		t.Parallel()
		srv := NewServer()
		done := make(chan struct{})
		var page struct{ Requests []json.RawMessage }
		go func() {
			defer close(done)
			resp, err := http.Get(srv.URL + poll)
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
				t.Error(err)
			}
		}()
		waiting(srv.handler.journal)
		closed := make(chan struct{})
		go func() { srv.Close(); close(closed) }()
		ended(t, done)
		<-closed
		if page.Requests == nil || len(page.Requests) != 0 {
			t.Errorf("long poll at shutdown answered %v, want an empty list", page.Requests)
		}
	})
}
