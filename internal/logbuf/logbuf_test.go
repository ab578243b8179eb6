package logbuf_test

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bedrock-emulator/bedrock-emulator/internal/logbuf"
)

// sink is an underlying writer that records each write and announces it.
type sink struct {
	mu     sync.Mutex
	writes []string
	wrote  chan struct{}
}

func newSink() *sink { return &sink{wrote: make(chan struct{}, 1000)} }

func (s *sink) Write(p []byte) (int, error) {
	s.mu.Lock()
	s.writes = append(s.writes, string(p))
	s.mu.Unlock()
	s.wrote <- struct{}{}
	return len(p), nil
}

func (s *sink) got() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.writes...)
}

// Lines written together reach the underlying writer in one write, after the delay.
func TestDelay(t *testing.T) {
	t.Parallel()
	s := newSink()
	w := logbuf.New(s, time.Millisecond)
	defer w.Close()
	start := time.Now()
	w.Write([]byte("a\n"))
	w.Write([]byte("b\n"))
	select {
	case <-s.wrote:
	case <-time.After(10 * time.Second):
		t.Fatal("nothing written 10 s after the writes")
	}
	if time.Since(start) < time.Millisecond {
		t.Errorf("written before the delay")
	}
	if got := s.got(); len(got) != 1 || got[0] != "a\nb\n" {
		t.Errorf("writes %q, want one of both lines", got)
	}
}

// Flush and Close write at once; after Close, writes go straight through.
func TestFlushClose(t *testing.T) {
	t.Parallel()
	s := newSink()
	w := logbuf.New(s, time.Hour)
	w.Write([]byte("a\n"))
	if got := s.got(); len(got) != 0 {
		t.Fatalf("written before the delay: %q", got)
	}
	w.Flush()
	w.Write([]byte("b\n"))
	w.Close()
	w.Write([]byte("c\n"))
	if got, want := s.got(), []string{"a\n", "b\n", "c\n"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("writes %q, want %q", got, want)
	}
}

// A Write that fills the buffer writes it out before it returns.
func TestFull(t *testing.T) {
	t.Parallel()
	s := newSink()
	w := logbuf.New(s, time.Hour)
	defer w.Close()
	line := strings.Repeat("x", 1000) + "\n"
	for range 70 {
		w.Write([]byte(line))
	}
	got := s.got()
	if len(got) != 1 || len(got[0]) < 64<<10 || len(got[0])%len(line) != 0 {
		t.Errorf("%d writes (first %d bytes); want one of whole lines, 64 KiB or more", len(got), len(got[0]))
	}
}

// Concurrent writers' lines all arrive, whole and once each.
func TestConcurrent(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	w := logbuf.New(&out, 50*time.Microsecond)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 1000 {
				fmt.Fprintf(w, "writer %d line %d\n", g, i)
			}
		})
	}
	wg.Wait()
	w.Close()
	seen := map[string]bool{}
	for line := range strings.Lines(out.String()) {
		if seen[line] || !strings.HasPrefix(line, "writer ") {
			t.Fatalf("line %q repeated or cut", line)
		}
		seen[line] = true
	}
	if len(seen) != 8000 {
		t.Errorf("%d lines, want 8000", len(seen))
	}
}
