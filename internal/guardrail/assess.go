package guardrail

import (
	"slices"
	"unicode/utf8"
)

// Side is which side of a call a guardrail assesses.
type Side int

// The sides of a call.
const (
	Input Side = iota
	Output
)

// Policy names the policy a rule belongs to.
type Policy int

// The policies of a guardrail.
const (
	PolicyTopic Policy = iota
	PolicyContent
	PolicyWord
	PolicyManagedWord
	PolicyPII
	PolicyRegex
)

// A Rule is one compiled policy entry: what it finds and what it does on each side.
type Rule struct {
	Policy Policy
	Name   string // topic or regex name, or a custom word
	Type   string // filter, PII or managed list type; DENY for a topic
	Regex  string // a regex rule's pattern, as reported
	// Action is what the rule does on each side (indexed by Side): BLOCK, ANONYMIZE or NONE,
	// or "" when it is off there.
	Action [2]string
	// Strength is a content filter's strength on each side.
	Strength [2]string
	// Phrases are what the rule finds as whole words, regardless of case (a topic's
	// examples, a word, PII by its phrases); Find, when set, finds what it finds besides
	// (a PII pattern, a regex).
	Phrases []string
	Find    Finder
}

// once reports whether the rule is reported once however often it matches: denied topics,
// content filters and words are; PII and regexes are reported once per occurrence.
func (r *Rule) once() bool { return r.Policy != PolicyPII && r.Policy != PolicyRegex }

// A Set is a guardrail's rules, compiled to be assessed together: their phrases are found in
// one pass over a text.
type Set struct {
	rules   []*Rule
	phrases *phraseMatcher
}

// Compile compiles rules into a Set.
func Compile(rules []*Rule) *Set {
	lists := make([][]string, len(rules))
	for i, r := range rules {
		lists[i] = r.Phrases
	}
	return &Set{rules: rules, phrases: newPhraseMatcher(lists)}
}

// MaxFindings caps the findings of one assessment. It is the emulator's own: Bedrock's
// ApplyGuardrail reference documents no cap on the findings an assessment lists, and none
// was observed; without one, a text of many matches made an answer of tens of megabytes
// (issue 13, item 9). Past it, nothing more is found (or masked) in the assessed texts.
const MaxFindings = 1000

// A Finding is one thing a rule found in the assessed text.
type Finding struct {
	Rule   *Rule
	Match  string
	Action string // as reported: BLOCKED, ANONYMIZED or NONE
}

// reportedAction is how an assessment reports an action.
var reportedAction = map[string]string{"BLOCK": "BLOCKED", "ANONYMIZE": "ANONYMIZED", "NONE": "NONE"}

// Assess applies the rules for side s to texts. It returns what they found (at most
// MaxFindings), how many characters (code points) it assessed, and the texts with their
// ANONYMIZE matches replaced, or nil when nothing was masked. Denied topics, content
// filters and words are reported once each, PII and regex matches once per occurrence, as
// Bedrock reports them (every ADDRESS match listed in openllmetry's
// test_guardrail_converse.yaml). Its cost is linear in the texts: one pass for every rule's
// phrases, one per Find.
func (set *Set) Assess(s Side, texts []string) (findings []Finding, chars int, masked []string) {
	reported := make(map[*Rule]bool)
	out, anyMasked := slices.Clone(texts), false
	for i, text := range texts {
		chars += utf8.RuneCountInString(text)
		left := MaxFindings - len(findings)
		if left <= 0 {
			continue
		}
		limit := func(k int) int {
			r := set.rules[k]
			switch {
			case r.Action[s] == "", r.once() && reported[r]:
				return 0
			case r.once():
				return 1
			}
			return left
		}
		phrases := set.phrases.find(text, limit)
		var spans []Span
		for k, r := range set.rules {
			n := limit(k)
			if n == 0 {
				continue
			}
			found := phrases[k]
			if r.Find != nil {
				found = append(found, r.Find(text, n)...)
				slices.SortStableFunc(found, func(a, b []int) int { return a[0] - b[0] })
			}
			act := r.Action[s]
			for _, m := range found {
				if m[0] == m[1] {
					continue // a regex that matches nothing finds nothing
				}
				if r.once() && reported[r] || len(findings) == MaxFindings {
					break
				}
				reported[r] = true
				findings = append(findings, Finding{Rule: r, Match: text[m[0]:m[1]], Action: reportedAction[act]})
				if act == "ANONYMIZE" {
					spans = append(spans, Span{m[0], m[1], r.maskTag()})
				}
			}
		}
		if len(spans) > 0 {
			out[i], anyMasked = Mask(text, spans), true
		}
	}
	if anyMasked {
		masked = out
	}
	return findings, chars, masked
}

// maskTag is what an ANONYMIZE match is replaced with: {TYPE} for PII, {Name} for a regex
// ("{ADDRESS}", "{Account Number}" in openllmetry's guardrail recordings).
func (r *Rule) maskTag() string {
	if r.Policy == PolicyRegex {
		return "{" + r.Name + "}"
	}
	return "{" + r.Type + "}"
}
