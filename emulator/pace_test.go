package emulator

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Jitter is drawn from the seed: the same seed paces a stream the same way, another seed
// another way, and every delay stays within [d-Jitter, d+Jitter] and above zero.
func TestPacerJitter(t *testing.T) {
	t.Parallel()
	draw := func(seed uint64) []time.Duration {
		p := newPacer(StreamShape{Jitter: 10 * time.Millisecond, Seed: seed})
		var out []time.Duration
		for range 50 {
			d := p.jitter(20 * time.Millisecond)
			if d < 10*time.Millisecond || d > 30*time.Millisecond {
				t.Fatalf("delay %v outside 20ms ± 10ms", d)
			}
			out = append(out, d)
		}
		if d := p.jitter(0); d < 0 {
			t.Fatalf("delay %v below zero", d)
		}
		return out
	}
	if diff := cmp.Diff(draw(7), draw(7)); diff != "" {
		t.Errorf("seed 7 paced two streams differently (-first +second):\n%s", diff)
	}
	if cmp.Equal(draw(7), draw(8)) {
		t.Error("seeds 7 and 8 paced streams the same way")
	}
}

func TestSplit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		shape StreamShape
		text  string
		want  []string
	}{
		{"words", StreamShape{}, "one two  three", []string{"one", " two", "  three"}},
		{"characters", StreamShape{CharsPerDelta: 2}, "héllo", []string{"hé", "ll", "o"}},
		{"empty", StreamShape{CharsPerDelta: 2}, "", []string{""}},
		{"chunks", StreamShape{Chunks: map[int][]string{0: {"he", "llo"}}}, "hello", []string{"he", "llo"}},
		{"chunks that do not make the text", StreamShape{Chunks: map[int][]string{0: {"x"}}}, "a b", []string{"a", " b"}},
	}
	for _, tt := range tests {
		if got := tt.shape.split(0, tt.text); !cmp.Equal(tt.want, got) {
			t.Errorf("%s: split(%q) = %q, want %q", tt.name, tt.text, got, tt.want)
		}
	}
}
