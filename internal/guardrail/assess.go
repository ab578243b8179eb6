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
	// Find returns the spans it matches in a text.
	Find Finder
}

// A Finding is one thing a rule found in the assessed text.
type Finding struct {
	Rule   *Rule
	Match  string
	Action string // as reported: BLOCKED, ANONYMIZED or NONE
}

// reportedAction is how an assessment reports an action.
var reportedAction = map[string]string{"BLOCK": "BLOCKED", "ANONYMIZE": "ANONYMIZED", "NONE": "NONE"}

// Assess applies rules for side s to texts. It returns what they found, how many characters
// (code points) it assessed, and the texts with their ANONYMIZE matches replaced, or nil when
// nothing was masked. Denied topics, content filters and words are reported once each, PII
// and regex matches once per occurrence, as Bedrock reports them (every ADDRESS match listed
// in openllmetry's test_guardrail_converse.yaml).
func Assess(rules []*Rule, s Side, texts []string) (findings []Finding, chars int, masked []string) {
	reported := make(map[*Rule]bool)
	out, anyMasked := slices.Clone(texts), false
	for i, text := range texts {
		chars += utf8.RuneCountInString(text)
		var spans []Span
		for _, r := range rules {
			act := r.Action[s]
			if act == "" {
				continue
			}
			for _, m := range r.Find(text) {
				if m[0] == m[1] {
					continue // a regex that matches nothing finds nothing
				}
				once := r.Policy != PolicyPII && r.Policy != PolicyRegex
				if once && reported[r] {
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
