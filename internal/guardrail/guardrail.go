// Package guardrail is the emulator's guardrail engine: the phrase, PII-pattern and regex
// finders that decide what a guardrail's denied topics, content filters, words, PII entities
// and regexes find in a text, the compiled rules that carry them with their action on each
// side, the assessment of texts against those rules (findings and masking), and the
// enumerations of Bedrock's CreateGuardrail request. It knows nothing of requests: the
// emulator compiles a guardrail's policies into rules and reports the findings in Bedrock's
// wire form.
package guardrail

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// The enumerations of CreateGuardrail (botocore's bedrock service model).
var (
	ContentFilterTypes = []string{"SEXUAL", "VIOLENCE", "HATE", "INSULTS", "MISCONDUCT", "PROMPT_ATTACK"}
	FilterStrengths    = []string{"NONE", "LOW", "MEDIUM", "HIGH"}
	BlockActions       = []string{"BLOCK", "NONE"}
	SensitiveActions   = []string{"BLOCK", "ANONYMIZE", "NONE"}
	PIIEntityTypes     = []string{"ADDRESS", "AGE", "AWS_ACCESS_KEY", "AWS_SECRET_KEY", "CA_HEALTH_NUMBER",
		"CA_SOCIAL_INSURANCE_NUMBER", "CREDIT_DEBIT_CARD_CVV", "CREDIT_DEBIT_CARD_EXPIRY",
		"CREDIT_DEBIT_CARD_NUMBER", "DRIVER_ID", "EMAIL", "INTERNATIONAL_BANK_ACCOUNT_NUMBER", "IP_ADDRESS",
		"LICENSE_PLATE", "MAC_ADDRESS", "NAME", "PASSWORD", "PHONE", "PIN", "SWIFT_CODE",
		"UK_NATIONAL_HEALTH_SERVICE_NUMBER", "UK_NATIONAL_INSURANCE_NUMBER", "UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER",
		"URL", "USERNAME", "US_BANK_ACCOUNT_NUMBER", "US_BANK_ROUTING_NUMBER", "US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER",
		"US_PASSPORT_NUMBER", "US_SOCIAL_SECURITY_NUMBER", "VEHICLE_IDENTIFICATION_NUMBER"}
)

// A Finder returns the spans (start, end byte offsets) it matches in text, in order of
// position.
type Finder func(text string) [][]int

// PII finds the PII entity type typ: each of matches as a phrase (the types Bedrock
// recognises with a model: NAME, ADDRESS, …), and the type's fixed form where it has one.
func PII(typ string, matches []string) Finder {
	finders := []Finder{Phrases(matches)}
	if re, ok := piiPatterns[typ]; ok {
		finders = append(finders, matchesOf(re))
	}
	return AnyOf(finders...)
}

// Regex compiles pattern (RE2 syntax) into a Finder of its matches.
func Regex(pattern string) (Finder, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	return matchesOf(re), nil
}

// matchesOf is a Finder of re's matches.
func matchesOf(re *regexp.Regexp) Finder {
	return func(s string) [][]int { return re.FindAllStringIndex(s, -1) }
}

// OneOf returns an error naming what, v and the allowed values when v is not one of them.
func OneOf(what, v string, allowed []string) error {
	if !slices.Contains(allowed, v) {
		return fmt.Errorf("%s %q: want one of %s", what, v, strings.Join(allowed, ", "))
	}
	return nil
}

// Phrases finds each phrase as whole words, regardless of case.
func Phrases(list []string) Finder {
	var alts []string
	for _, p := range list {
		if p = strings.TrimSpace(p); p != "" {
			alts = append(alts, regexp.QuoteMeta(p))
		}
	}
	if len(alts) == 0 {
		return func(string) [][]int { return nil }
	}
	re := regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}_])(` + strings.Join(alts, "|") + `)(?:$|[^\p{L}\p{N}_])`)
	return func(s string) [][]int {
		var out [][]int
		for from := 0; from < len(s); {
			m := re.FindStringSubmatchIndex(s[from:])
			if m == nil {
				break
			}
			out = append(out, []int{from + m[2], from + m[3]})
			from += m[3] // the next match may start at the character after this one
		}
		return out
	}
}

// AnyOf finds what any of finders finds, in order of position.
func AnyOf(finders ...Finder) Finder {
	return func(s string) [][]int {
		var out [][]int
		for _, f := range finders {
			out = append(out, f(s)...)
		}
		slices.SortFunc(out, func(a, b []int) int { return a[0] - b[0] })
		return out
	}
}

// piiPatterns detect the PII types that have a fixed form. The card pattern takes 16
// digits only: Bedrock's detector was seen missing 15-digit (4-6-5) Amex numbers (a live-test
// report without a citable source, docs/wire-facts.md §7.6).
var piiPatterns = map[string]*regexp.Regexp{
	"EMAIL":                     regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`),
	"PHONE":                     regexp.MustCompile(`(?:\+?1[ .-]?)?(?:\([0-9]{3}\)|\b[0-9]{3})[ .-]?[0-9]{3}[ .-]?[0-9]{4}\b`),
	"US_SOCIAL_SECURITY_NUMBER": regexp.MustCompile(`\b[0-9]{3}-[0-9]{2}-[0-9]{4}\b`),
	"CREDIT_DEBIT_CARD_NUMBER":  regexp.MustCompile(`\b[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}\b`),
	"IP_ADDRESS":                regexp.MustCompile(`\b(?:[0-9]{1,3}\.){3}[0-9]{1,3}\b`),
	"MAC_ADDRESS":               regexp.MustCompile(`\b(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}\b`),
	"URL":                       regexp.MustCompile(`\bhttps?://[^\s"'<>]+`),
	"AWS_ACCESS_KEY":            regexp.MustCompile(`\b(?:AKIA|ASIA)[A-Z0-9]{16}\b`),
}

// A Span is a match to replace: the byte offsets of its start and end in the text, and the
// Tag that replaces it.
type Span struct {
	Start, End int
	Tag        string
}

// Mask replaces spans in text, earliest first; a span that overlaps one already replaced
// is dropped.
func Mask(text string, spans []Span) string {
	slices.SortStableFunc(spans, func(a, b Span) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return b.End - a.End
	})
	var sb strings.Builder
	at := 0
	for _, s := range spans {
		if s.Start < at {
			continue
		}
		sb.WriteString(text[at:s.Start])
		sb.WriteString(s.Tag)
		at = s.End
	}
	sb.WriteString(text[at:])
	return sb.String()
}
