package conformance

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Summary counts results by outcome.
type Summary map[Outcome]int

// Summarize counts results by outcome.
func Summarize(results []Result) Summary {
	s := Summary{}
	for _, r := range results {
		s[r.Outcome]++
	}
	return s
}

// Failed reports whether any result failed.
func (s Summary) Failed() bool { return s[Fail] > 0 }

func (s Summary) String() string {
	return fmt.Sprintf("%d passed, %d failed, %d pending, %d skipped", s[Pass], s[Fail], s[Pending], s[Skip])
}

// WriteTable writes results as a table: case, outcome, why (one line of it), then the
// summary line.
func WriteTable(w io.Writer, results []Result) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CASE\tOUTCOME\tWHY")
	for _, r := range results {
		if r.Why == "" {
			fmt.Fprintf(tw, "%s\t%s\n", r.Case, r.Outcome) // no padding at the end of the line
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Case, r.Outcome, oneLine(r.Why))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, Summarize(results))
	return err
}

// WriteJSON writes results as a JSON object {"target":…, "summary":…, "results":[…]}.
func WriteJSON(w io.Writer, target string, results []Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Target  string   `json:"target"`
		Summary Summary  `json:"summary"`
		Results []Result `json:"results"`
	}{target, Summarize(results), results})
}

// oneLine keeps a table row on one line.
func oneLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	const max = 200
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "…"
	}
	return s
}
