package emulator

import (
	"slices"
	"strings"
	"testing"
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
