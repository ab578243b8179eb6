package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gorilla/mux"
)

// The journal's admin endpoints for a viewer (the web inspector): a page of summaries, one
// entry in full.
//
//	GET /_emulator/requests/summary   newest first, filtered, paged, long-polled (listSummaries)
//	GET /_emulator/requests/{seq}     one entry, with its headers and stream frames

// Limits of GET /_emulator/requests/summary.
const (
	defaultSummaryLimit = 100
	maxSummaryLimit     = 1000
	maxSummaryWait      = time.Minute
	maxSummaryText      = 1 << 10
)

// summary is an entry as GET /_emulator/requests/summary lists it: without its bodies,
// headers and frames, with the sizes of its bodies.
type summary struct {
	Seq           int64         `json:"seq"`
	RequestID     string        `json:"requestId"`
	TestID        string        `json:"testId,omitempty"`
	Time          time.Time     `json:"time"`
	Operation     string        `json:"operation"`
	ModelID       string        `json:"modelId,omitempty"`
	Method        string        `json:"method,omitempty"`
	Path          string        `json:"path,omitempty"`
	Status        int           `json:"status"`
	Error         *JournalError `json:"error,omitempty"`
	Dropped       bool          `json:"dropped,omitempty"`
	AnsweredBy    string        `json:"answeredBy,omitempty"`
	Events        int           `json:"events,omitempty"`
	Duration      time.Duration `json:"durationNs"`
	RequestBytes  int           `json:"requestBytes"`
	ResponseBytes int           `json:"responseBytes"`
}

func summarize(e *Entry) summary {
	return summary{Seq: e.Seq, RequestID: e.RequestID, TestID: e.TestID, Time: e.Time, Operation: e.Operation,
		ModelID: e.ModelID, Method: e.Method, Path: e.Path, Status: e.Status, Error: e.Error, Dropped: e.Dropped,
		AnsweredBy: e.AnsweredBy, Events: e.Events, Duration: e.Duration,
		RequestBytes: len(e.Request), ResponseBytes: len(e.Response)}
}

// summaryQuery is what GET /_emulator/requests/summary asks for: filters, which an entry
// must all meet, and a window of the journal.
type summaryQuery struct {
	// status: an exact code, a class (lo ≤ status ≤ hi), or entries with an error.
	statusLo, statusHi int
	errorsOnly         bool
	operation, model   string
	hasOp, hasModel    bool
	testID             string
	hasTestID          bool
	// text, when set, must be in the request or response body or the error message, in any
	// case; it is in lower case.
	text []byte
	// before and after, when set (hasBefore, hasAfter), keep the entries journaled before or
	// after the entry of that seq; when the journal no longer keeps it, those whose seq is
	// lower or higher.
	before, after       int64
	hasBefore, hasAfter bool
	limit               int
	wait                time.Duration
}

// parseSummaryQuery reads the query of GET /_emulator/requests/summary, or says what is
// wrong with it.
func parseSummaryQuery(q url.Values) (*summaryQuery, error) {
	s := &summaryQuery{limit: defaultSummaryLimit}
	var err error
	if v := q.Get("limit"); v != "" {
		if s.limit, err = strconv.Atoi(v); err != nil || s.limit < 1 || s.limit > maxSummaryLimit {
			return nil, fmt.Errorf("limit=%s: want a number from 1 to %d", v, maxSummaryLimit)
		}
	}
	for _, p := range []struct {
		name string
		v    *int64
		has  *bool
	}{{"before", &s.before, &s.hasBefore}, {"after", &s.after, &s.hasAfter}} {
		if v := q.Get(p.name); v != "" {
			if *p.v, err = strconv.ParseInt(v, 10, 64); err != nil || *p.v < 0 {
				return nil, fmt.Errorf("%s=%s: want a request's seq, a number", p.name, v)
			}
			*p.has = true
		}
	}
	if v := q.Get("wait"); v != "" {
		if s.wait, err = time.ParseDuration(v); err != nil || s.wait < 0 || s.wait > maxSummaryWait {
			return nil, fmt.Errorf("wait=%s: want a duration up to %v, such as 25s", v, maxSummaryWait)
		}
		if !s.hasAfter {
			return nil, errors.New("wait needs after=SEQ: the newest request already seen")
		}
	}
	if v := q.Get("status"); v != "" {
		if err := s.parseStatus(v); err != nil {
			return nil, err
		}
	}
	s.operation, s.hasOp = q.Get("operation"), q.Has("operation")
	s.model, s.hasModel = q.Get("model"), q.Has("model")
	s.testID, s.hasTestID = q.Get(TestIDParam), q.Has(TestIDParam)
	if v := q.Get("q"); v != "" {
		if len(v) > maxSummaryText {
			return nil, fmt.Errorf("q: %d bytes; search for at most %d", len(v), maxSummaryText)
		}
		s.text = appendLower(nil, []byte(v))
	}
	return s, nil
}

// parseStatus reads status=: "200", "4xx" or "error".
func (s *summaryQuery) parseStatus(v string) error {
	switch {
	case v == "error":
		s.errorsOnly = true
		return nil
	case len(v) == 3 && v[1:] == "xx" && v[0] >= '1' && v[0] <= '5':
		s.statusLo = int(v[0]-'0') * 100
		s.statusHi = s.statusLo + 99
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 100 || n > 999 {
		return fmt.Errorf("status=%s: want a status code (429), a class (2xx, 4xx, 5xx) or error", v)
	}
	s.statusLo, s.statusHi = n, n
	return nil
}

// matches reports whether e meets the filters other than the text.
func (s *summaryQuery) matches(e *Entry) bool {
	switch {
	case s.errorsOnly && e.Error == nil,
		s.statusLo != 0 && (e.Status < s.statusLo || e.Status > s.statusHi),
		s.hasOp && e.Operation != s.operation,
		s.hasModel && e.ModelID != s.model,
		s.hasTestID && e.TestID != s.testID:
		return false
	}
	return true
}

// matchesText reports whether e holds the text, in any case, in its bodies or error
// message; buf is scratch space, kept between calls.
func (s *summaryQuery) matchesText(e *Entry, buf *[]byte) bool {
	contains := func(lowered []byte) bool {
		*buf = lowered
		return bytes.Contains(lowered, s.text)
	}
	return contains(appendLower((*buf)[:0], e.Request)) || contains(appendLower((*buf)[:0], e.Response)) ||
		e.Error != nil && contains(appendLower((*buf)[:0], []byte(e.Error.Message)))
}

// appendLower appends b in lower case to buf. (Lowering, then a plain search, keeps a
// search linear in the text whatever it and the query hold.)
func appendLower(buf, b []byte) []byte {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf = append(buf, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		buf = utf8.AppendRune(buf, unicode.ToLower(r))
		i += n
	}
	return buf
}

// summaryPage is the answer of GET /_emulator/requests/summary.
type summaryPage struct {
	Requests []summary `json:"requests"`
	// Matched counts the kept entries that meet the filters, in any window; Kept, the kept
	// entries; Newest is the seq of the entry journaled last (0 for none).
	Matched int   `json:"matched"`
	Kept    int   `json:"kept"`
	Newest  int64 `json:"newest"`
}

// query answers q from the journal: the newest entries (last journaled first) of q's window
// that meet its filters, at most q.limit of them. The filters other than the text are tested
// under j.mu; the text, which reads every body, after, on the copies of the entries that met
// the others (the journal never changes a body it holds: it drops it).
func (j *journal) query(q *summaryQuery) summaryPage {
	type candidate struct {
		e        Entry
		inWindow bool
	}
	var page summaryPage
	var candidates []candidate
	j.mu.Lock()
	n := len(j.entries)
	page.Kept = n
	at := func(k int) *Entry { return &j.entries[(j.next+k)%n] } // k-th oldest
	if n > 0 {
		page.Newest = at(n - 1).Seq
	}
	// The window's ends, as positions from the oldest: the cursors' entries when kept.
	lo, hi := -1, n
	for k := range n {
		seq := at(k).Seq
		if q.hasAfter && seq == q.after {
			lo = k
		}
		if q.hasBefore && seq == q.before {
			hi = k
		}
	}
	inWindow := func(k int, e *Entry) bool {
		switch {
		case q.hasAfter && (lo >= 0 && k <= lo || lo < 0 && e.Seq <= q.after):
			return false
		case q.hasBefore && (hi < n && k >= hi || hi == n && e.Seq >= q.before):
			return false
		}
		return true
	}
	if q.text != nil {
		candidates = make([]candidate, 0, n)
	}
	for k := n - 1; k >= 0; k-- {
		e := at(k)
		if !q.matches(e) {
			continue
		}
		if q.text != nil {
			candidates = append(candidates, candidate{*e, inWindow(k, e)})
			continue
		}
		page.Matched++
		if len(page.Requests) < q.limit && inWindow(k, e) {
			page.Requests = append(page.Requests, summarize(e))
		}
	}
	j.mu.Unlock()
	var buf []byte
	for i := range candidates {
		c := &candidates[i]
		if !q.matchesText(&c.e, &buf) {
			continue
		}
		page.Matched++
		if len(page.Requests) < q.limit && c.inWindow {
			page.Requests = append(page.Requests, summarize(&c.e))
		}
	}
	if page.Requests == nil {
		page.Requests = []summary{}
	}
	return page
}

// listSummaries answers GET /_emulator/requests/summary: a page of the journal's entries,
// newest (last journaled) first, without bodies.
//
//	limit=N          at most N (1 to 1000; 100)
//	before=SEQ       those journaled before the entry SEQ (paging back)
//	after=SEQ        those journaled after it
//	wait=DUR         with after: wait up to DUR (at most 1m) for one, then answer
//	status=S         status S (429), class S (4xx) or, for S "error", an error, mid-stream too
//	operation=O, model=M, testId=T   exactly (testId= empty: the requests naming no test)
//	q=TEXT           TEXT in the request or response body or the error message, in any case
//
// It answers {"requests":[…], "matched": entries meeting the filters, "kept": entries kept,
// "newest": the seq of the entry journaled last}. A long poll ends early, with what it has,
// when the client goes away or the server shuts down.
func (h *handler) listSummaries(w http.ResponseWriter, r *http.Request) {
	q, err := parseSummaryQuery(r.URL.Query())
	if err != nil {
		adminError(w, http.StatusBadRequest, err.Error())
		return
	}
	var page summaryPage
	if q.wait > 0 {
		ctx, cancel := context.WithTimeout(r.Context(), q.wait)
		defer cancel()
		stop := context.AfterFunc(h.stopping, cancel)
		defer stop()
		// Asked at once, then at each change; when ctx ends, page is the last answer.
		h.journal.wait(ctx, func() bool {
			page = h.journal.query(q)
			return len(page.Requests) > 0
		})
	} else {
		page = h.journal.query(q)
	}
	adminJSON(w, http.StatusOK, page)
}

// getRequest answers GET /_emulator/requests/{seq}: the entry of that seq in full, or 404
// when the journal does not keep it.
func (h *handler) getRequest(w http.ResponseWriter, r *http.Request) {
	v := mux.Vars(r)["seq"]
	seq, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		adminError(w, http.StatusBadRequest, fmt.Sprintf("%q is not a request's seq, a number", v))
		return
	}
	e, ok := h.journal.get(seq)
	if !ok {
		adminError(w, http.StatusNotFound, fmt.Sprintf("the journal does not keep request %d", seq))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(append(marshalEntry(&e), '\n'))
}

// marshalEntry is e as JSON.
func marshalEntry(e *Entry) []byte {
	b, err := json.Marshal(e)
	if err != nil { // not seen: the journal keeps JSON bodies and payloads only
		c := *e
		c.Request, c.Response, c.Stream = nil, nil, nil
		b, _ = json.Marshal(c)
	}
	return b
}

// get returns the kept entry of seq.
func (j *journal) get(seq int64) (Entry, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for i := range j.entries {
		if j.entries[i].Seq == seq {
			j.resolve(&j.entries[i])
			return j.entries[i], true
		}
	}
	return Entry{}, false
}
