package emulator

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// A Guardrail is an Amazon Bedrock guardrail as the emulator applies it: to Converse and
// ConverseStream requests that name it in guardrailConfig, to InvokeModel requests that name
// it in their guardrail headers, and in ApplyGuardrail.
//
// Its fields are those of Bedrock's CreateGuardrail request (the JSON a team already keeps
// for `aws bedrock create-guardrail`), with the same names, plus GuardrailID, Versions and
// the emulator's Matches lists. Bedrock decides denied topics, content filters, managed
// word lists and names or addresses with models; the emulator decides them
// deterministically, by the phrases in Matches (and a topic's Examples), matched as whole
// words regardless of case. Custom words and regexes match as Bedrock matches them, and
// common PII types (EMAIL, PHONE, US_SOCIAL_SECURITY_NUMBER, CREDIT_DEBIT_CARD_NUMBER,
// IP_ADDRESS, MAC_ADDRESS, URL, AWS_ACCESS_KEY) are detected by pattern as well.
//
// Call Check before using a Guardrail built in Go; LoadGuardrails and ParseGuardrails check
// what they return.
type Guardrail struct {
	// GuardrailID is the guardrail's ID, lowercase letters and digits (Bedrock's are 12
	// long), as requests name it: alone, or at the end of the guardrail's ARN.
	GuardrailID string `json:"guardrailId"`
	// GuardrailArn is the ARN reported in traces; empty means
	// arn:aws:bedrock:us-east-1:123456789012:guardrail/<GuardrailID>.
	GuardrailArn string `json:"guardrailArn,omitempty"`
	// Name and Description are informational.
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	// Versions lists the published versions ("1", "2", …) besides DRAFT, which always
	// exists. Every version applies the same policies.
	Versions []string `json:"versions,omitempty"`
	// BlockedInputMessaging replaces a reply when the input is blocked, and
	// BlockedOutputsMessaging when the output is.
	BlockedInputMessaging   string `json:"blockedInputMessaging"`
	BlockedOutputsMessaging string `json:"blockedOutputsMessaging"`

	TopicPolicyConfig                *TopicPolicyConfig                `json:"topicPolicyConfig,omitempty"`
	ContentPolicyConfig              *ContentPolicyConfig              `json:"contentPolicyConfig,omitempty"`
	WordPolicyConfig                 *WordPolicyConfig                 `json:"wordPolicyConfig,omitempty"`
	SensitiveInformationPolicyConfig *SensitiveInformationPolicyConfig `json:"sensitiveInformationPolicyConfig,omitempty"`

	// rules are the compiled policies, set by Check.
	rules []*guardRule
}

// TopicPolicyConfig lists denied topics.
type TopicPolicyConfig struct {
	TopicsConfig []TopicConfig `json:"topicsConfig"`
}

// TopicConfig is a denied topic. It is detected when the text contains one of Examples or
// Matches.
type TopicConfig struct {
	Name       string   `json:"name"`
	Definition string   `json:"definition,omitempty"`
	Examples   []string `json:"examples,omitempty"`
	// Type is "DENY" (the only type); empty means DENY.
	Type string `json:"type,omitempty"`
	Toggles
	// Matches are further phrases that raise the topic (emulator only).
	Matches []string `json:"matches,omitempty"`
}

// ContentPolicyConfig lists content filters.
type ContentPolicyConfig struct {
	FiltersConfig []ContentFilterConfig `json:"filtersConfig"`
}

// ContentFilterConfig is a content filter: SEXUAL, VIOLENCE, HATE, INSULTS, MISCONDUCT or
// PROMPT_ATTACK. It is detected, with HIGH confidence, when the text contains one of
// Matches; a strength of NONE turns it off for that side.
type ContentFilterConfig struct {
	Type           string `json:"type"`
	InputStrength  string `json:"inputStrength,omitempty"`
	OutputStrength string `json:"outputStrength,omitempty"`
	// InputModalities and OutputModalities are accepted and ignored: the emulator assesses
	// text only.
	InputModalities  []string `json:"inputModalities,omitempty"`
	OutputModalities []string `json:"outputModalities,omitempty"`
	Toggles
	// Matches are the phrases that raise the filter (emulator only).
	Matches []string `json:"matches,omitempty"`
}

// WordPolicyConfig lists custom words and managed word lists.
type WordPolicyConfig struct {
	WordsConfig            []WordConfig            `json:"wordsConfig,omitempty"`
	ManagedWordListsConfig []ManagedWordListConfig `json:"managedWordListsConfig,omitempty"`
}

// WordConfig is a custom word or phrase.
type WordConfig struct {
	Text string `json:"text"`
	Toggles
}

// ManagedWordListConfig is a managed word list ("PROFANITY"), whose words are Matches.
type ManagedWordListConfig struct {
	Type string `json:"type"`
	Toggles
	// Matches are the list's words (emulator only).
	Matches []string `json:"matches,omitempty"`
}

// SensitiveInformationPolicyConfig lists PII entity types and regexes to block or mask.
type SensitiveInformationPolicyConfig struct {
	PiiEntitiesConfig []PiiEntityConfig `json:"piiEntitiesConfig,omitempty"`
	RegexesConfig     []RegexConfig     `json:"regexesConfig,omitempty"`
}

// PiiEntityConfig is a PII entity type and what to do with it: BLOCK, ANONYMIZE (replace
// it with {TYPE}) or NONE (report it only).
type PiiEntityConfig struct {
	Type   string `json:"type"`
	Action string `json:"action"`
	Toggles
	// Matches are further text to detect as this type (emulator only), for the types
	// Bedrock recognises with a model (NAME, ADDRESS, …).
	Matches []string `json:"matches,omitempty"`
}

// RegexConfig is a regular expression (RE2 syntax) to block or mask (as {Name}).
type RegexConfig struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Pattern     string `json:"pattern"`
	Action      string `json:"action"`
	Toggles
}

// Toggles are the per-side settings every policy entry has. An action left empty takes
// the entry's own action (BLOCK for topics, filters and words); an Enabled left nil means
// true.
type Toggles struct {
	InputAction   string `json:"inputAction,omitempty"`
	OutputAction  string `json:"outputAction,omitempty"`
	InputEnabled  *bool  `json:"inputEnabled,omitempty"`
	OutputEnabled *bool  `json:"outputEnabled,omitempty"`
}

// side is which side of a call a guardrail assesses.
type side int

const (
	sideInput side = iota
	sideOutput
)

// action is the toggled action for a side, or def; "" when the side is disabled.
func (t Toggles) action(s side, def string) string {
	act, on := t.InputAction, t.InputEnabled
	if s == sideOutput {
		act, on = t.OutputAction, t.OutputEnabled
	}
	if on != nil && !*on {
		return ""
	}
	if act == "" {
		return def
	}
	return act
}

// defaultGuardrailAccount and defaultGuardrailRegion make the ARN of a guardrail that
// names none.
const (
	defaultGuardrailRegion  = "us-east-1"
	defaultGuardrailAccount = "123456789012"
)

// The enumerations of CreateGuardrail (botocore's bedrock service model).
var (
	contentFilterTypes = []string{"SEXUAL", "VIOLENCE", "HATE", "INSULTS", "MISCONDUCT", "PROMPT_ATTACK"}
	filterStrengths    = []string{"NONE", "LOW", "MEDIUM", "HIGH"}
	blockActions       = []string{"BLOCK", "NONE"}
	sensitiveActions   = []string{"BLOCK", "ANONYMIZE", "NONE"}
	piiEntityTypes     = []string{"ADDRESS", "AGE", "AWS_ACCESS_KEY", "AWS_SECRET_KEY", "CA_HEALTH_NUMBER",
		"CA_SOCIAL_INSURANCE_NUMBER", "CREDIT_DEBIT_CARD_CVV", "CREDIT_DEBIT_CARD_EXPIRY",
		"CREDIT_DEBIT_CARD_NUMBER", "DRIVER_ID", "EMAIL", "INTERNATIONAL_BANK_ACCOUNT_NUMBER", "IP_ADDRESS",
		"LICENSE_PLATE", "MAC_ADDRESS", "NAME", "PASSWORD", "PHONE", "PIN", "SWIFT_CODE",
		"UK_NATIONAL_HEALTH_SERVICE_NUMBER", "UK_NATIONAL_INSURANCE_NUMBER", "UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER",
		"URL", "USERNAME", "US_BANK_ACCOUNT_NUMBER", "US_BANK_ROUTING_NUMBER", "US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER",
		"US_PASSPORT_NUMBER", "US_SOCIAL_SECURITY_NUMBER", "VEHICLE_IDENTIFICATION_NUMBER"}
)

var (
	guardrailIDPattern = regexp.MustCompile(`^[a-z0-9]+$`)
	versionPattern     = regexp.MustCompile(`^[1-9][0-9]{0,7}$`)
)

func (g *Guardrail) key() string { return g.GuardrailID }

// Check reports what is wrong with g, and compiles its policies so that it can be applied.
func (g *Guardrail) Check() error {
	if g == nil {
		return errors.New("a guardrail is empty")
	}
	if !guardrailIDPattern.MatchString(g.GuardrailID) {
		return fmt.Errorf("guardrailId %q: want lowercase letters and digits", g.GuardrailID)
	}
	for _, v := range g.Versions {
		if !versionPattern.MatchString(v) {
			return fmt.Errorf("guardrail %s: version %q: want a number from 1 to 99999999 (DRAFT always exists)", g.GuardrailID, v)
		}
	}
	if g.BlockedInputMessaging == "" || g.BlockedOutputsMessaging == "" {
		return fmt.Errorf("guardrail %s: blockedInputMessaging and blockedOutputsMessaging are required", g.GuardrailID)
	}
	rules, err := g.compile()
	if err != nil {
		return fmt.Errorf("guardrail %s: %w", g.GuardrailID, err)
	}
	g.rules = rules
	return nil
}

// arn is the guardrail's ARN.
func (g *Guardrail) arn() string {
	if g.GuardrailArn != "" {
		return g.GuardrailArn
	}
	return "arn:aws:bedrock:" + defaultGuardrailRegion + ":" + defaultGuardrailAccount + ":guardrail/" + g.GuardrailID
}

// hasVersion reports whether v ("DRAFT" or a number) names a version of g.
func (g *Guardrail) hasVersion(v string) bool {
	return v == "DRAFT" || slices.Contains(g.Versions, v)
}

// ParseGuardrails reads guardrail definitions, JSON or YAML: a list, or an object whose
// "guardrails" member holds one. Unknown fields are errors, and each definition is checked.
func ParseGuardrails(data []byte) ([]Guardrail, error) {
	gs, err := decodeDefinitions[*Guardrail](data, "guardrails")
	return derefAll(gs), err
}

// LoadGuardrails reads a file of guardrail definitions (see ParseGuardrails).
func LoadGuardrails(path string) ([]Guardrail, error) {
	gs, err := loadDefinitions[*Guardrail](path, "guardrails")
	return derefAll(gs), err
}

// WithGuardrails adds guardrails to Options.Guardrails.
func WithGuardrails(gs ...Guardrail) func(*Options) {
	return func(o *Options) { o.Guardrails = append(o.Guardrails, gs...) }
}

func derefAll[T any](ps []*T) []T {
	if ps == nil {
		return nil
	}
	out := make([]T, len(ps))
	for i, p := range ps {
		out[i] = *p
	}
	return out
}

// policy names the policy a rule belongs to.
type policy int

const (
	policyTopic policy = iota
	policyContent
	policyWord
	policyManagedWord
	policyPII
	policyRegex
)

// guardRule is one compiled policy entry: what it finds and what it does on each side.
type guardRule struct {
	policy   policy
	name     string // topic or regex name
	typ      string // filter, PII or managed list type
	regex    string // a regex rule's pattern, as reported
	toggles  Toggles
	def      string // the entry's own action
	strength [2]string
	// find returns the spans (start, end byte offsets) it matches in text.
	find func(text string) [][]int
}

// sideAction is what r does on side s: BLOCK, ANONYMIZE or NONE, or "" when r is off there.
func (r *guardRule) sideAction(s side) string {
	if r.policy == policyContent && r.strength[s] == "NONE" {
		return ""
	}
	return r.toggles.action(s, r.def)
}

func (g *Guardrail) compile() ([]*guardRule, error) {
	var rules []*guardRule
	oneOf := func(what, v string, allowed []string) error {
		if !slices.Contains(allowed, v) {
			return fmt.Errorf("%s %q: want one of %s", what, v, strings.Join(allowed, ", "))
		}
		return nil
	}
	checkToggles := func(what string, t Toggles, allowed []string) error {
		for _, a := range []string{t.InputAction, t.OutputAction} {
			if a != "" {
				if err := oneOf(what+" action", a, allowed); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if p := g.TopicPolicyConfig; p != nil {
		for _, t := range p.TopicsConfig {
			if t.Name == "" {
				return nil, errors.New("a topic has no name")
			}
			if t.Type != "" && t.Type != "DENY" {
				return nil, fmt.Errorf("topic %q: type %q: want DENY", t.Name, t.Type)
			}
			if err := checkToggles("topic "+t.Name, t.Toggles, blockActions); err != nil {
				return nil, err
			}
			rules = append(rules, &guardRule{policy: policyTopic, name: t.Name, typ: "DENY", toggles: t.Toggles,
				def: "BLOCK", find: phrases(append(slices.Clone(t.Examples), t.Matches...))})
		}
	}
	if p := g.ContentPolicyConfig; p != nil {
		for _, f := range p.FiltersConfig {
			if err := oneOf("content filter type", f.Type, contentFilterTypes); err != nil {
				return nil, err
			}
			in, out := strengthOr(f.InputStrength), strengthOr(f.OutputStrength)
			for _, s := range []string{in, out} {
				if err := oneOf("content filter "+f.Type+" strength", s, filterStrengths); err != nil {
					return nil, err
				}
			}
			if err := checkToggles("content filter "+f.Type, f.Toggles, blockActions); err != nil {
				return nil, err
			}
			rules = append(rules, &guardRule{policy: policyContent, typ: f.Type, toggles: f.Toggles, def: "BLOCK",
				strength: [2]string{in, out}, find: phrases(f.Matches)})
		}
	}
	if p := g.WordPolicyConfig; p != nil {
		for _, w := range p.WordsConfig {
			if strings.TrimSpace(w.Text) == "" {
				return nil, errors.New("a word is empty")
			}
			if err := checkToggles("word "+w.Text, w.Toggles, blockActions); err != nil {
				return nil, err
			}
			rules = append(rules, &guardRule{policy: policyWord, name: w.Text, toggles: w.Toggles, def: "BLOCK",
				find: phrases([]string{w.Text})})
		}
		for _, l := range p.ManagedWordListsConfig {
			if err := oneOf("managed word list type", l.Type, []string{"PROFANITY"}); err != nil {
				return nil, err
			}
			if err := checkToggles("managed word list", l.Toggles, blockActions); err != nil {
				return nil, err
			}
			rules = append(rules, &guardRule{policy: policyManagedWord, typ: l.Type, toggles: l.Toggles, def: "BLOCK",
				find: phrases(l.Matches)})
		}
	}
	if p := g.SensitiveInformationPolicyConfig; p != nil {
		for _, e := range p.PiiEntitiesConfig {
			if err := oneOf("PII entity type", e.Type, piiEntityTypes); err != nil {
				return nil, err
			}
			if err := oneOf("PII entity "+e.Type+" action", e.Action, sensitiveActions); err != nil {
				return nil, err
			}
			if err := checkToggles("PII entity "+e.Type, e.Toggles, sensitiveActions); err != nil {
				return nil, err
			}
			finders := []func(string) [][]int{phrases(e.Matches)}
			if re, ok := piiPatterns[e.Type]; ok {
				finders = append(finders, func(s string) [][]int { return re.FindAllStringIndex(s, -1) })
			}
			rules = append(rules, &guardRule{policy: policyPII, typ: e.Type, toggles: e.Toggles, def: e.Action,
				find: anyOf(finders)})
		}
		for _, x := range p.RegexesConfig {
			if x.Name == "" {
				return nil, errors.New("a regex has no name")
			}
			re, err := regexp.Compile(x.Pattern)
			if err != nil {
				return nil, fmt.Errorf("regex %q: %w", x.Name, err)
			}
			if err := oneOf("regex "+x.Name+" action", x.Action, sensitiveActions); err != nil {
				return nil, err
			}
			if err := checkToggles("regex "+x.Name, x.Toggles, sensitiveActions); err != nil {
				return nil, err
			}
			rules = append(rules, &guardRule{policy: policyRegex, name: x.Name, regex: x.Pattern, toggles: x.Toggles,
				def: x.Action, find: func(s string) [][]int { return re.FindAllStringIndex(s, -1) }})
		}
	}
	return rules, nil
}

func strengthOr(s string) string {
	if s == "" {
		return "HIGH"
	}
	return s
}

// phrases finds each phrase as whole words, regardless of case.
func phrases(list []string) func(string) [][]int {
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

func anyOf(finders []func(string) [][]int) func(string) [][]int {
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
