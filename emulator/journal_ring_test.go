package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestJournalRing checks the order the journal keeps while it grows, after it wraps around
// (several times), and after a reset.
func TestJournalRing(t *testing.T) {
	t.Parallel()
	j := newJournal(3, 0)
	seqs := func() []int64 {
		var out []int64
		for _, e := range j.list() {
			out = append(out, e.Seq)
		}
		return out
	}
	for n, want := range [][]int64{{1}, {1, 2}, {1, 2, 3}, {2, 3, 4}, {3, 4, 5}, {4, 5, 6}, {5, 6, 7}, {6, 7, 8}} {
		j.add(Entry{Seq: int64(n + 1)})
		if got := seqs(); !slices.Equal(want, got) {
			t.Errorf("after %d adds: %v, want %v", n+1, got, want)
		}
	}
	j.reset()
	if got := seqs(); len(got) != 0 {
		t.Errorf("after reset: %v, want none", got)
	}
	for n := range 4 {
		j.add(Entry{Seq: int64(10 + n)})
	}
	if got, want := seqs(), []int64{11, 12, 13}; !slices.Equal(want, got) {
		t.Errorf("refilled: %v, want %v", got, want)
	}
}

// TestJournalBytesCountErrors: error messages and model IDs count against the journal's
// byte budget like bodies do (issue 13, item 4): past it, the oldest entries keep a short
// version of them.
func TestJournalBytesCountErrors(t *testing.T) {
	t.Parallel()
	const budget = 1 << 20
	j := newJournal(100, budget)
	huge := strings.Repeat("x", budget/2)
	for n := range 20 {
		j.add(Entry{Seq: int64(n), ModelID: huge, Error: &JournalError{Type: "ValidationException", Message: huge}})
	}
	kept := 0
	for _, e := range j.list() {
		kept += len(e.ModelID) + len(e.Error.Message)
	}
	// The newest entry is kept whole, however large.
	if limit := budget + 2*len(huge); kept > limit {
		t.Errorf("the journal keeps %d bytes of model IDs and messages; want at most %d", kept, limit)
	}
	entries := j.list()
	if oldest := entries[0]; !strings.HasSuffix(oldest.Error.Message, "…") || len(oldest.Error.Message) > 2*trimmedLen {
		t.Errorf("the oldest entry's message is %d bytes, want it shortened", len(oldest.Error.Message))
	}
	if newest := entries[len(entries)-1]; newest.Error.Message != huge {
		t.Errorf("the newest entry's message was shortened")
	}
}

// TestJournalBytesCountHeadersAndFrames: a request's headers, method, path and stream frames
// count against the journal's byte budget; past it, the oldest entries lose their headers
// and frames as they lose their bodies.
func TestJournalBytesCountHeadersAndFrames(t *testing.T) {
	t.Parallel()
	const budget = 1000
	j := newJournal(10, budget)
	entry := func(seq int64) Entry {
		return Entry{Seq: seq, Method: "POST", Path: "/model/m/converse-stream",
			RequestHeaders: http.Header{"X-Big": {strings.Repeat("h", 300)}},
			Stream:         []JournalFrame{{Type: "contentBlockDelta", Payload: json.RawMessage(`"` + strings.Repeat("p", 298) + `"`)}}}
	}
	one := entryBytes(&Entry{RequestHeaders: entry(0).RequestHeaders, Stream: entry(0).Stream, Method: "POST", Path: "/model/m/converse-stream"})
	if one < 600+frameOverhead {
		t.Fatalf("an entry of 300 bytes of headers and a 300-byte frame counts %d bytes", one)
	}
	for seq := range int64(3) {
		j.add(entry(seq))
	}
	l := j.list()
	if l[0].RequestHeaders != nil || l[0].Stream != nil || l[2].RequestHeaders == nil || l[2].Stream == nil {
		t.Errorf("over the budget: the oldest entry keeps headers %v, frames %v; the newest %v, %v",
			l[0].RequestHeaders != nil, l[0].Stream != nil, l[2].RequestHeaders != nil, l[2].Stream != nil)
	}
	if j.bytes > budget {
		t.Errorf("the journal keeps %d bytes, over its budget of %d", j.bytes, budget)
	}
}

// TestJournalHeader: the journal keeps a request's headers with their credentials redacted,
// and at most maxJournalHeader bytes of them.
func TestJournalHeader(t *testing.T) {
	t.Parallel()
	h := http.Header{"Authorization": {"Bearer bedrock-api-key-secret"}, "X-Amz-Security-Token": {"session-secret"},
		"Content-Type": {"application/json"}}
	got := journalHeader(h)
	want := http.Header{"Authorization": {"Bearer REDACTED"}, "X-Amz-Security-Token": {"REDACTED"}, "Content-Type": {"application/json"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("journalHeader (-want +got):\n%s", diff)
	}
	if h.Get("Authorization") != "Bearer bedrock-api-key-secret" {
		t.Errorf("journalHeader changed the request's header")
	}
	for i := range 40 {
		h.Set(fmt.Sprintf("X-Pad-%02d", i), strings.Repeat("v", 1000))
	}
	got = journalHeader(h)
	if n := headerBytes(got); n > maxJournalHeader+100 {
		t.Errorf("40 KB of headers journaled as %d bytes, want at most about %d", n, maxJournalHeader)
	}
	if got.Get("Authorization") != "Bearer REDACTED" || !strings.HasSuffix(got.Get("X-Bedrock-Emulator-Omitted"), "headers past 16384 bytes") {
		t.Errorf("capped headers: Authorization %q, omitted %q", got.Get("Authorization"), got.Get("X-Bedrock-Emulator-Omitted"))
	}
}

// TestJournalResolvesHeaders: an entry keeps the request's header as it came in, and gives
// it out redacted and capped (journalHeader) once it is read; the journal's byte count
// follows.
func TestJournalResolvesHeaders(t *testing.T) {
	t.Parallel()
	j := newJournal(10, 0)
	h := http.Header{"Authorization": {"Bearer bedrock-api-key-secret"}, "Accept": {"a", "b"}}
	j.add(Entry{Seq: 1, header: flatHeader(h)})
	h.Set("Accept", "changed") // the entry took the header as it was
	for range 2 {
		e, ok := j.get(1)
		want := http.Header{"Authorization": {"Bearer REDACTED"}, "Accept": {"a", "b"}}
		if diff := cmp.Diff(want, e.RequestHeaders); !ok || diff != "" {
			t.Errorf("get(1): %v, headers (-want +got):\n%s", ok, diff)
		}
		if e.header != nil {
			t.Errorf("get(1) left the entry's raw header")
		}
		sum := 0
		for _, e := range j.list() {
			sum += entryBytes(&e)
		}
		if j.bytes != sum {
			t.Errorf("the journal counts %d bytes; its entries hold %d", j.bytes, sum)
		}
	}
}
