// Package guardrail is the emulator's guardrail engine: the phrase matcher (every rule's
// phrases in one pass over a text), the PII-pattern and regex finders that decide what a
// guardrail's denied topics, content filters, words, PII entities and regexes find in a
// text, the compiled rules that carry them with their action on each
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
// position: at most n of them, or all when n < 0.
type Finder func(text string, n int) [][]int

// Pattern finds the PII entity type typ by its fixed form, or is nil for the types Bedrock
// recognises with a model (NAME, ADDRESS, …), which a rule finds by its phrases only.
func Pattern(typ string) Finder {
	if re, ok := piiPatterns[typ]; ok {
		return re.FindAllStringIndex
	}
	return nil
}

// Regex compiles pattern (RE2 syntax) into a Finder of its matches.
func Regex(pattern string) (Finder, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	return re.FindAllStringIndex, nil
}

// OneOf returns an error naming what, v and the allowed values when v is not one of them.
func OneOf(what, v string, allowed []string) error {
	if !slices.Contains(allowed, v) {
		return fmt.Errorf("%s %q: want one of %s", what, v, strings.Join(allowed, ", "))
	}
	return nil
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
