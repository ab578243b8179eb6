package emulator

import (
	"encoding/json"
	"sync"
	"time"
)

// Entry is one request the emulator received and what it answered.
type Entry struct {
	Seq       int64           `json:"seq"`
	RequestID string          `json:"requestId"`
	Time      time.Time       `json:"time"`
	Operation string          `json:"operation"`
	ModelID   string          `json:"modelId,omitempty"`
	Request   json.RawMessage `json:"request,omitempty"`
	Status    int             `json:"status"`
	// Response is the Converse-shaped reply (also for ConverseStream, whose events render
	// the same reply), or nil when an error was answered.
	Response json.RawMessage `json:"response,omitempty"`
	// Error is the modeled error answered: before the response, or (with Status 200) the
	// exception frame that ended a stream.
	Error *JournalError `json:"error,omitempty"`
	// Dropped reports a stream whose connection the emulator broke on purpose
	// (StreamShape.Drop).
	Dropped  bool          `json:"dropped,omitempty"`
	Duration time.Duration `json:"durationNs"`
}

// JournalError is a modeled error as the journal records it.
type JournalError struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

// DefaultJournalSize is how many entries a journal keeps when Options.JournalSize is 0.
const DefaultJournalSize = 1000

// journal keeps the last entries in a ring.
type journal struct {
	mu      sync.Mutex
	entries []Entry
	next    int
	full    bool
}

func newJournal(size int) *journal {
	if size <= 0 {
		size = DefaultJournalSize
	}
	return &journal{entries: make([]Entry, size)}
}

func (j *journal) add(e Entry) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries[j.next] = e
	j.next = (j.next + 1) % len(j.entries)
	if j.next == 0 {
		j.full = true
	}
}

// list returns the kept entries, oldest first.
func (j *journal) list() []Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := make([]Entry, 0, len(j.entries))
	if j.full {
		out = append(out, j.entries[j.next:]...)
	}
	return append(out, j.entries[:j.next]...)
}

func (j *journal) reset() {
	j.mu.Lock()
	defer j.mu.Unlock()
	clear(j.entries)
	j.next, j.full = 0, false
}
