package emulator

import (
	"slices"
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
