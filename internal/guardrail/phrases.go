package guardrail

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// phraseMatcher finds the phrases of many lists in one pass over a text: an Aho–Corasick
// automaton over case-folded characters, so that a guardrail of 10,000 words (Bedrock's
// limit, https://docs.aws.amazon.com/bedrock/latest/APIReference/API_GuardrailWordPolicyConfig.html)
// costs one pass over a text, not one per word (issue 13, item 9). A phrase matches as whole
// words, regardless of case; within a list, matches are leftmost first (at one position,
// the phrase listed first) and do not overlap, as a regexp alternation of the list finds them.
type phraseMatcher struct {
	nodes   []acNode
	phrases []phrase
	lists   int
	window  int // the longest phrase, in characters
}

type acNode struct {
	next map[rune]int32
	fail int32
	// dict is the nearest node on the fail chain (itself excluded) where a phrase ends, or -1.
	dict int32
	ends []int32 // the phrases that end here
}

type phrase struct{ list, order, runes int }

// candidate is a match found in a text, from byte start (character startRune) to end, of
// the order-th phrase of its list.
type candidate struct {
	start, end, startRune, order int
}

func newPhraseMatcher(lists [][]string) *phraseMatcher {
	m := &phraseMatcher{nodes: []acNode{{dict: -1}}, lists: len(lists)}
	for li, list := range lists {
		for order, p := range list {
			if p = strings.TrimSpace(p); p == "" {
				continue
			}
			cur, n := int32(0), 0
			for _, r := range p {
				r, n = fold(r), n+1
				next, ok := m.nodes[cur].next[r]
				if !ok {
					if m.nodes[cur].next == nil {
						m.nodes[cur].next = map[rune]int32{}
					}
					next = int32(len(m.nodes))
					m.nodes[cur].next[r] = next
					m.nodes = append(m.nodes, acNode{dict: -1})
				}
				cur = next
			}
			m.nodes[cur].ends = append(m.nodes[cur].ends, int32(len(m.phrases)))
			m.phrases = append(m.phrases, phrase{list: li, order: order, runes: n})
			m.window = max(m.window, n)
		}
	}
	// Fail links, breadth first: a node's fail is the node of its longest proper suffix.
	queue := []int32{0}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		for r, v := range m.nodes[u].next {
			queue = append(queue, v)
			fail := int32(0)
			for f := m.nodes[u].fail; u != 0; f = m.nodes[f].fail {
				if w, ok := m.nodes[f].next[r]; ok {
					fail = w
					break
				}
				if f == 0 {
					break
				}
			}
			m.nodes[v].fail = fail
			if len(m.nodes[fail].ends) > 0 {
				m.nodes[v].dict = fail
			} else {
				m.nodes[v].dict = m.nodes[fail].dict
			}
		}
	}
	return m
}

// find returns, for each list, the spans of its matches in text, by position: at most
// limit(list) of them (none when it is 0).
func (m *phraseMatcher) find(text string, limit func(list int) int) [][][]int {
	out := make([][][]int, m.lists)
	if len(m.phrases) == 0 {
		return out
	}
	left := make([]int, m.lists)
	open := 0
	for i := range left {
		if left[i] = limit(i); left[i] > 0 {
			open++
		}
	}
	if open == 0 {
		return out
	}
	pending := make(map[int][]candidate)
	lastEnd := make([]int, m.lists) // where each list's last match ends
	// commit takes list i's pending matches that no later match can precede (those that
	// start before character from; all of them when from < 0), leftmost first.
	commit := func(i, from int) {
		for left[i] > 0 && len(pending[i]) > 0 {
			best := slices.MinFunc(pending[i], func(a, b candidate) int {
				if a.start != b.start {
					return a.start - b.start
				}
				return a.order - b.order
			})
			if from >= 0 && best.startRune >= from {
				return
			}
			out[i] = append(out[i], []int{best.start, best.end})
			lastEnd[i] = best.end
			if left[i]--; left[i] == 0 {
				open--
				delete(pending, i)
				return
			}
			pending[i] = slices.DeleteFunc(pending[i], func(c candidate) bool { return c.start < best.end })
		}
	}
	starts := make([]int, m.window) // the byte offsets of the last characters, a ring
	cur := int32(0)
	for n, at := 0, 0; at < len(text) && open > 0; n++ {
		r, w := utf8.DecodeRuneInString(text[at:])
		starts[n%m.window] = at
		r = fold(r)
		for cur != 0 {
			if _, ok := m.nodes[cur].next[r]; ok {
				break
			}
			cur = m.nodes[cur].fail
		}
		cur = m.nodes[cur].next[r] // the root when there is none
		end := at + w
		for node := cur; node > 0; node = m.nodes[node].dict {
			for _, id := range m.nodes[node].ends {
				p := m.phrases[id]
				if left[p.list] == 0 {
					continue
				}
				startRune := n - p.runes + 1
				start := starts[startRune%m.window]
				if !boundaryBefore(text, start) || !boundaryAfter(text, end) {
					continue
				}
				// A later match ends later, so starts at character n-window+2 or after.
				commit(p.list, n-m.window+2)
				if left[p.list] > 0 && start >= lastEnd[p.list] {
					pending[p.list] = append(pending[p.list], candidate{start: start, end: end, startRune: startRune, order: p.order})
				}
			}
		}
		at = end
	}
	for i := range pending {
		commit(i, -1)
	}
	return out
}

// isWord reports whether r is a word character: a letter, a digit or an underscore
// (\p{L}, \p{N} and _).
func isWord(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r) }

func boundaryBefore(text string, at int) bool {
	r, _ := utf8.DecodeLastRuneInString(text[:at])
	return at == 0 || !isWord(r)
}

func boundaryAfter(text string, at int) bool {
	r, _ := utf8.DecodeRuneInString(text[at:])
	return at == len(text) || !isWord(r)
}

// fold is the character that stands for r's case-folding orbit (its smallest member), as
// a case-insensitive regexp compares characters.
func fold(r rune) rune {
	switch {
	case r >= 'a' && r <= 'z':
		return r - ('a' - 'A')
	case r < utf8.RuneSelf:
		return r
	}
	m := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		m = min(m, f)
	}
	return m
}
