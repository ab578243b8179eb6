package emulator

import (
	"slices"

	"github.com/bedrock-emulator/bedrock-emulator/internal/guardrail"
)

// assessment is what a guardrail found in the text of one side of a call.
type assessment struct {
	g        *Guardrail
	version  string
	side     side
	findings []guardrail.Finding
	// chars is how many characters (code points) were assessed.
	chars int
	// masked holds the assessed texts with their ANONYMIZE matches replaced, or nil when
	// nothing was masked.
	masked []string
}

// assess applies g's rules for side s to texts (see guardrail.Assess).
func (g *Guardrail) assess(version string, s side, texts []string) *assessment {
	findings, chars, masked := g.set.Assess(s, texts)
	return &assessment{g: g, version: version, side: s, findings: findings, chars: chars, masked: masked}
}

// blocked reports whether a finding blocks.
func (a *assessment) blocked() bool {
	return a != nil && slices.ContainsFunc(a.findings, func(f guardrail.Finding) bool { return f.Action == "BLOCKED" })
}

// anonymized reports whether a finding masked text.
func (a *assessment) anonymized() bool { return a != nil && a.masked != nil }

// intervened reports whether the guardrail acted: blocked or masked.
func (a *assessment) intervened() bool { return a.blocked() || a.anonymized() }

// actionReason is Bedrock's reason for the side's outcome. Real values: "No action.",
// "Guardrail blocked." (ApplyGuardrail in Arize-ai/openinference's test_apply_guardrails.yaml)
// and "Guardrail masked." (openllmetry's test_guardrail_converse.yaml).
func (a *assessment) actionReason() string {
	switch {
	case a.blocked():
		return "Guardrail blocked."
	case a.anonymized():
		return "Guardrail masked."
	}
	return "No action."
}

// units is how many text units (of up to 1,000 characters) the assessment used for each
// policy it ran. unverified: Bedrock's free-unit rule for sensitive information is not
// documented; the emulator reports none free.
func (a *assessment) units() wireGuardrailUsage {
	n := (a.chars + 999) / 1000
	var u wireGuardrailUsage
	for _, r := range a.g.rules {
		if r.Action[a.side] == "" {
			continue
		}
		switch r.Policy {
		case guardrail.PolicyTopic:
			u.TopicPolicyUnits = n
		case guardrail.PolicyContent:
			u.ContentPolicyUnits = n
		case guardrail.PolicyWord, guardrail.PolicyManagedWord:
			u.WordPolicyUnits = n
		case guardrail.PolicyPII, guardrail.PolicyRegex:
			u.SensitiveInformationPolicyUnits = n
		}
	}
	return u
}

// latency is the simulated guardrailProcessingLatency: deterministic, growing with the text.
func (a *assessment) latency() int64 { return int64(100 + a.chars/20) }

// The wire form of assessments. Converse and ConverseStream traces and the ApplyGuardrail
// response write modelled structures with sorted keys, as everything else Bedrock sends
// (openllmetry test_guardrail_converse*.yaml; openinference test_apply_guardrails.yaml);
// ApplyGuardrail also writes null for each policy the guardrail lacks.

type wireGuardrailUsage struct {
	AutomatedReasoningPolicies          int `json:"automatedReasoningPolicies"`
	AutomatedReasoningPolicyUnits       int `json:"automatedReasoningPolicyUnits"`
	ContentPolicyImageUnits             int `json:"contentPolicyImageUnits"`
	ContentPolicyUnits                  int `json:"contentPolicyUnits"`
	ContextualGroundingPolicyUnits      int `json:"contextualGroundingPolicyUnits"`
	SensitiveInformationPolicyFreeUnits int `json:"sensitiveInformationPolicyFreeUnits"`
	SensitiveInformationPolicyUnits     int `json:"sensitiveInformationPolicyUnits"`
	TopicPolicyUnits                    int `json:"topicPolicyUnits"`
	WordPolicyUnits                     int `json:"wordPolicyUnits"`
}

type wireAppliedGuardrail struct {
	GuardrailArn       string   `json:"guardrailArn"`
	GuardrailID        string   `json:"guardrailId"`
	GuardrailOrigin    []string `json:"guardrailOrigin"`
	GuardrailOwnership string   `json:"guardrailOwnership"`
	GuardrailVersion   string   `json:"guardrailVersion"`
}

type wireTextCharacters struct {
	Guarded int `json:"guarded"`
	Total   int `json:"total"`
}

type wireCoverage struct {
	TextCharacters wireTextCharacters `json:"textCharacters"`
}

// wireApplyCoverage is ApplyGuardrail's coverage, which writes "images":null.
type wireApplyCoverage struct {
	Images         *struct{}          `json:"images"`
	TextCharacters wireTextCharacters `json:"textCharacters"`
}

type wireInvocationMetrics[C any] struct {
	GuardrailCoverage          C                  `json:"guardrailCoverage"`
	GuardrailProcessingLatency int64              `json:"guardrailProcessingLatency"`
	Usage                      wireGuardrailUsage `json:"usage"`
}

type wireTopic struct {
	Action   string `json:"action"`
	Detected bool   `json:"detected"`
	Name     string `json:"name"`
	Type     string `json:"type"`
}

type wireContentFilter struct {
	Action         string `json:"action"`
	Confidence     string `json:"confidence"`
	Detected       bool   `json:"detected"`
	FilterStrength string `json:"filterStrength"`
	Type           string `json:"type"`
}

type wireCustomWord struct {
	Action   string `json:"action"`
	Detected bool   `json:"detected"`
	Match    string `json:"match"`
}

type wireManagedWord struct {
	Action   string `json:"action"`
	Detected bool   `json:"detected"`
	Match    string `json:"match"`
	Type     string `json:"type"`
}

type wirePII struct {
	Action   string `json:"action"`
	Detected bool   `json:"detected"`
	Match    string `json:"match"`
	Type     string `json:"type"`
}

type wireRegex struct {
	Action   string `json:"action"`
	Detected bool   `json:"detected"`
	Match    string `json:"match"`
	Name     string `json:"name"`
	Regex    string `json:"regex"`
}

type wireTopicPolicy struct {
	Topics []wireTopic `json:"topics"`
}

type wireContentPolicy struct {
	Filters []wireContentFilter `json:"filters"`
}

type wireWordPolicy struct {
	CustomWords      []wireCustomWord  `json:"customWords,omitempty"`
	ManagedWordLists []wireManagedWord `json:"managedWordLists,omitempty"`
}

type wireSensitivePolicy struct {
	PiiEntities []wirePII   `json:"piiEntities,omitempty"`
	Regexes     []wireRegex `json:"regexes,omitempty"`
}

// wireApplyWordPolicy and wireApplySensitivePolicy write null for an empty list, as
// ApplyGuardrail does ("regexes":null in test_apply_guardrails.yaml).
type wireApplyWordPolicy struct {
	CustomWords      []wireCustomWord  `json:"customWords"`
	ManagedWordLists []wireManagedWord `json:"managedWordLists"`
}

type wireApplySensitivePolicy struct {
	PiiEntities []wirePII   `json:"piiEntities"`
	Regexes     []wireRegex `json:"regexes"`
}

// policies is an assessment's findings grouped by policy, as both encodings list them.
type policies struct {
	topics  []wireTopic
	filters []wireContentFilter
	words   []wireCustomWord
	managed []wireManagedWord
	pii     []wirePII
	regexes []wireRegex
}

// group collects the findings by policy. full also lists, as not detected, each rule that
// ran on this side and found nothing (trace enabled_full, outputScope FULL; the shape of
// undetected entries, "match":"" for PII, is that of test_apply_guardrails.yaml).
func (a *assessment) group(full bool) policies {
	var p policies
	found := make(map[*guardrail.Rule]bool)
	add := func(r *guardrail.Rule, match, action string, detected bool) {
		switch r.Policy {
		case guardrail.PolicyTopic:
			p.topics = append(p.topics, wireTopic{Action: action, Detected: detected, Name: r.Name, Type: r.Type})
		case guardrail.PolicyContent:
			conf := "NONE"
			if detected {
				conf = "HIGH"
			}
			p.filters = append(p.filters, wireContentFilter{Action: action, Confidence: conf, Detected: detected,
				FilterStrength: r.Strength[a.side], Type: r.Type})
		case guardrail.PolicyWord:
			p.words = append(p.words, wireCustomWord{Action: action, Detected: detected, Match: cmpOr(match, r.Name)})
		case guardrail.PolicyManagedWord:
			p.managed = append(p.managed, wireManagedWord{Action: action, Detected: detected, Match: match, Type: r.Type})
		case guardrail.PolicyPII:
			p.pii = append(p.pii, wirePII{Action: action, Detected: detected, Match: match, Type: r.Type})
		case guardrail.PolicyRegex:
			p.regexes = append(p.regexes, wireRegex{Action: action, Detected: detected, Match: match, Name: r.Name, Regex: r.Regex})
		}
	}
	for _, f := range a.findings {
		found[f.Rule] = true
		add(f.Rule, f.Match, f.Action, true)
	}
	for _, r := range a.g.rules {
		if full && r.Action[a.side] != "" && !found[r] && r.Policy != guardrail.PolicyManagedWord {
			add(r, "", "NONE", false)
		}
	}
	return p
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (a *assessment) applied() *wireAppliedGuardrail {
	return &wireAppliedGuardrail{GuardrailArn: a.g.arn(), GuardrailID: a.g.GuardrailID,
		GuardrailOrigin: []string{"REQUEST"}, GuardrailOwnership: "SELF", GuardrailVersion: a.version}
}

// wireTraceAssessment is a GuardrailAssessment in a Converse or ConverseStream trace. Real
// traces leave out the policies that found nothing ("trace": "enabled" in pydantic-ai's
// test_bedrock_model_guardrail_config.yaml).
type wireTraceAssessment struct {
	AppliedGuardrailDetails    *wireAppliedGuardrail               `json:"appliedGuardrailDetails,omitempty"`
	ContentPolicy              *wireContentPolicy                  `json:"contentPolicy,omitempty"`
	InvocationMetrics          wireInvocationMetrics[wireCoverage] `json:"invocationMetrics"`
	SensitiveInformationPolicy *wireSensitivePolicy                `json:"sensitiveInformationPolicy,omitempty"`
	TopicPolicy                *wireTopicPolicy                    `json:"topicPolicy,omitempty"`
	WordPolicy                 *wireWordPolicy                     `json:"wordPolicy,omitempty"`
}

func (a *assessment) traceWire(full bool) wireTraceAssessment {
	p := a.group(full)
	w := wireTraceAssessment{
		AppliedGuardrailDetails: a.applied(),
		InvocationMetrics: wireInvocationMetrics[wireCoverage]{
			GuardrailCoverage:          wireCoverage{TextCharacters: wireTextCharacters{Guarded: a.chars, Total: a.chars}},
			GuardrailProcessingLatency: a.latency(),
			Usage:                      a.units(),
		},
	}
	if len(p.topics) > 0 {
		w.TopicPolicy = &wireTopicPolicy{Topics: p.topics}
	}
	if len(p.filters) > 0 {
		w.ContentPolicy = &wireContentPolicy{Filters: p.filters}
	}
	if len(p.words)+len(p.managed) > 0 {
		w.WordPolicy = &wireWordPolicy{CustomWords: p.words, ManagedWordLists: p.managed}
	}
	if len(p.pii)+len(p.regexes) > 0 {
		w.SensitiveInformationPolicy = &wireSensitivePolicy{PiiEntities: p.pii, Regexes: p.regexes}
	}
	return w
}

// wireApplyAssessment is a GuardrailAssessment in an ApplyGuardrail response, which writes
// null for the policies the guardrail lacks, and for those with nothing to list.
type wireApplyAssessment struct {
	AppliedGuardrailDetails    *wireAppliedGuardrail                    `json:"appliedGuardrailDetails"`
	AutomatedReasoningPolicy   *struct{}                                `json:"automatedReasoningPolicy"`
	ContentPolicy              *wireContentPolicy                       `json:"contentPolicy"`
	ContextualGroundingPolicy  *struct{}                                `json:"contextualGroundingPolicy"`
	InvocationMetrics          wireInvocationMetrics[wireApplyCoverage] `json:"invocationMetrics"`
	SensitiveInformationPolicy *wireApplySensitivePolicy                `json:"sensitiveInformationPolicy"`
	TopicPolicy                *wireTopicPolicy                         `json:"topicPolicy"`
	WordPolicy                 *wireApplyWordPolicy                     `json:"wordPolicy"`
}

func (a *assessment) applyWire(full bool) wireApplyAssessment {
	p := a.group(full)
	w := wireApplyAssessment{
		AppliedGuardrailDetails: a.applied(),
		InvocationMetrics: wireInvocationMetrics[wireApplyCoverage]{
			GuardrailCoverage:          wireApplyCoverage{TextCharacters: wireTextCharacters{Guarded: a.chars, Total: a.chars}},
			GuardrailProcessingLatency: a.latency(),
			Usage:                      a.units(),
		},
	}
	if len(p.topics) > 0 {
		w.TopicPolicy = &wireTopicPolicy{Topics: p.topics}
	}
	if len(p.filters) > 0 {
		w.ContentPolicy = &wireContentPolicy{Filters: p.filters}
	}
	if len(p.words)+len(p.managed) > 0 {
		w.WordPolicy = &wireApplyWordPolicy{CustomWords: p.words, ManagedWordLists: p.managed}
	}
	if len(p.pii)+len(p.regexes) > 0 {
		w.SensitiveInformationPolicy = &wireApplySensitivePolicy{PiiEntities: p.pii, Regexes: p.regexes}
	}
	return w
}
