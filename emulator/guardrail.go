package emulator

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bedrock-emulator/bedrock-emulator/internal/guardrail"
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
	rules []*guardrail.Rule
	set   *guardrail.Set
	// created and updated are when CreateGuardrail and UpdateGuardrail (control.go) made and
	// last changed it; zero for a guardrail given otherwise.
	created, updated time.Time
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
type side = guardrail.Side

const (
	sideInput  = guardrail.Input
	sideOutput = guardrail.Output
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
	g.rules, g.set = rules, guardrail.Compile(rules)
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

// rule is a compiled policy entry r, with the actions t gives it on each side (def where t
// names none), and none on a side where a content filter's strength is NONE.
func rule(t Toggles, def string, r guardrail.Rule) *guardrail.Rule {
	for _, s := range []side{sideInput, sideOutput} {
		if r.Policy != guardrail.PolicyContent || r.Strength[s] != "NONE" {
			r.Action[s] = t.action(s, def)
		}
	}
	return &r
}

// Bedrock's limits on a guardrail's words and regexes (CreateGuardrail):
// https://docs.aws.amazon.com/bedrock/latest/APIReference/API_GuardrailWordPolicyConfig.html
// (10,000 words), API_GuardrailWordConfig.html (100 characters a word) and
// API_GuardrailSensitiveInformationPolicyConfig.html (30 regexes; 10 in older versions of
// the page). Each regex is a pass over the assessed text; the words are found together.
const (
	maxGuardrailWords     = 10000
	maxGuardrailWordChars = 100
	maxGuardrailRegexes   = 30
)

func (g *Guardrail) compile() ([]*guardrail.Rule, error) {
	var rules []*guardrail.Rule
	checkToggles := func(what string, t Toggles, allowed []string) error {
		for _, a := range []string{t.InputAction, t.OutputAction} {
			if a != "" {
				if err := guardrail.OneOf(what+" action", a, allowed); err != nil {
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
			if err := checkToggles("topic "+t.Name, t.Toggles, guardrail.BlockActions); err != nil {
				return nil, err
			}
			rules = append(rules, rule(t.Toggles, "BLOCK", guardrail.Rule{Policy: guardrail.PolicyTopic, Name: t.Name, Type: "DENY",
				Phrases: append(slices.Clone(t.Examples), t.Matches...)}))
		}
	}
	if p := g.ContentPolicyConfig; p != nil {
		for _, f := range p.FiltersConfig {
			if err := guardrail.OneOf("content filter type", f.Type, guardrail.ContentFilterTypes); err != nil {
				return nil, err
			}
			in, out := strengthOr(f.InputStrength), strengthOr(f.OutputStrength)
			for _, s := range []string{in, out} {
				if err := guardrail.OneOf("content filter "+f.Type+" strength", s, guardrail.FilterStrengths); err != nil {
					return nil, err
				}
			}
			if err := checkToggles("content filter "+f.Type, f.Toggles, guardrail.BlockActions); err != nil {
				return nil, err
			}
			rules = append(rules, rule(f.Toggles, "BLOCK", guardrail.Rule{Policy: guardrail.PolicyContent, Type: f.Type,
				Strength: [2]string{in, out}, Phrases: f.Matches}))
		}
	}
	if p := g.WordPolicyConfig; p != nil {
		if len(p.WordsConfig) > maxGuardrailWords {
			return nil, fmt.Errorf("%d words: Bedrock takes at most %d", len(p.WordsConfig), maxGuardrailWords)
		}
		for _, w := range p.WordsConfig {
			if n := utf8.RuneCountInString(w.Text); n > maxGuardrailWordChars {
				return nil, fmt.Errorf("word %.20q…: %d characters, Bedrock takes at most %d", w.Text, n, maxGuardrailWordChars)
			}
			if strings.TrimSpace(w.Text) == "" {
				return nil, errors.New("a word is empty")
			}
			if err := checkToggles("word "+w.Text, w.Toggles, guardrail.BlockActions); err != nil {
				return nil, err
			}
			rules = append(rules, rule(w.Toggles, "BLOCK", guardrail.Rule{Policy: guardrail.PolicyWord, Name: w.Text,
				Phrases: []string{w.Text}}))
		}
		for _, l := range p.ManagedWordListsConfig {
			if err := guardrail.OneOf("managed word list type", l.Type, []string{"PROFANITY"}); err != nil {
				return nil, err
			}
			if err := checkToggles("managed word list", l.Toggles, guardrail.BlockActions); err != nil {
				return nil, err
			}
			rules = append(rules, rule(l.Toggles, "BLOCK", guardrail.Rule{Policy: guardrail.PolicyManagedWord, Type: l.Type,
				Phrases: l.Matches}))
		}
	}
	if p := g.SensitiveInformationPolicyConfig; p != nil {
		for _, e := range p.PiiEntitiesConfig {
			if err := guardrail.OneOf("PII entity type", e.Type, guardrail.PIIEntityTypes); err != nil {
				return nil, err
			}
			if err := guardrail.OneOf("PII entity "+e.Type+" action", e.Action, guardrail.SensitiveActions); err != nil {
				return nil, err
			}
			if err := checkToggles("PII entity "+e.Type, e.Toggles, guardrail.SensitiveActions); err != nil {
				return nil, err
			}
			rules = append(rules, rule(e.Toggles, e.Action, guardrail.Rule{Policy: guardrail.PolicyPII, Type: e.Type,
				Phrases: e.Matches, Find: guardrail.Pattern(e.Type)}))
		}
		if len(p.RegexesConfig) > maxGuardrailRegexes {
			return nil, fmt.Errorf("%d regexes: Bedrock takes at most %d", len(p.RegexesConfig), maxGuardrailRegexes)
		}
		for _, x := range p.RegexesConfig {
			if x.Name == "" {
				return nil, errors.New("a regex has no name")
			}
			find, err := guardrail.Regex(x.Pattern)
			if err != nil {
				return nil, fmt.Errorf("regex %q: %w", x.Name, err)
			}
			if err := guardrail.OneOf("regex "+x.Name+" action", x.Action, guardrail.SensitiveActions); err != nil {
				return nil, err
			}
			if err := checkToggles("regex "+x.Name, x.Toggles, guardrail.SensitiveActions); err != nil {
				return nil, err
			}
			rules = append(rules, rule(x.Toggles, x.Action, guardrail.Rule{Policy: guardrail.PolicyRegex, Name: x.Name, Regex: x.Pattern,
				Find: find}))
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
