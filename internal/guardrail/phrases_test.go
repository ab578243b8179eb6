package guardrail

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Phrases finds each phrase as whole words, regardless of case, with a phraseMatcher of one
// list: the matcher as a Finder, for the tests (rules list theirs in Rule.Phrases, found with
// every other rule's in one pass).
func Phrases(list []string) Finder {
	m := newPhraseMatcher([][]string{list})
	return func(s string, n int) [][]int {
		if n < 0 {
			n = len(s)
		}
		return m.find(s, func(int) int { return n })[0]
	}
}

// regexPhrases is the regexp the phrase matcher replaced: one alternation per list, searched
// again after each match. The matcher must find what it finds.
func regexPhrases(list []string) Finder {
	var alts []string
	for _, p := range list {
		if p = strings.TrimSpace(p); p != "" {
			alts = append(alts, regexp.QuoteMeta(p))
		}
	}
	if len(alts) == 0 {
		return func(string, int) [][]int { return nil }
	}
	re := regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}_])(` + strings.Join(alts, "|") + `)(?:$|[^\p{L}\p{N}_])`)
	return func(s string, _ int) [][]int {
		var out [][]int
		for from := 0; from < len(s); {
			m := re.FindStringSubmatchIndex(s[from:])
			if m == nil {
				break
			}
			out = append(out, []int{from + m[2], from + m[3]})
			from += m[3]
		}
		return out
	}
}

// TestPhrasesAsRegexp compares the phrase matcher with the regexp on random texts and lists
// over a small alphabet, where phrases overlap, nest and repeat. The phrases begin and end
// with a word character: the regexp took the end of a match for a word boundary (its ^
// matched where the search resumed), so a phrase that begins with punctuation matched
// right after a word there; the matcher checks the character before.
func TestPhrasesAsRegexp(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "b", "A", " ", ".", "é", "É", "_"}
	word := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	letters := []string{"a", "b", "A", "é", "É", "_"}
	for i := range 2000 {
		var list []string
		for range 1 + rng.IntN(4) {
			edge := func() string { return letters[rng.IntN(len(letters))] }
			p := edge()
			if n := rng.IntN(3); n > 0 {
				p += word(n-1) + edge()
			}
			list = append(list, p)
		}
		text := word(rng.IntN(20))
		var got, want []string
		for _, m := range Phrases(list)(text, -1) {
			got = append(got, text[m[0]:m[1]])
		}
		for _, m := range regexPhrases(list)(text, -1) {
			want = append(want, text[m[0]:m[1]])
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("case %d: phrases %q in %q (-regexp +matcher):\n%s", i, list, text, diff)
		}
	}
}
