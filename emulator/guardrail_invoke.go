package emulator

import (
	"bytes"
	"net/http"
	"strings"
)

// Guardrails on InvokeModel and InvokeModelWithResponseStream are named in headers
// (X-Amzn-Bedrock-GuardrailIdentifier, -GuardrailVersion, -Trace) and report in the native
// body: "amazon-bedrock-guardrailAction" (INTERVENED or NONE) and, with the trace on,
// "amazon-bedrock-trace", whose assessments keep the guardrail's own key order and are
// keyed "input" and "outputs" (openllmetry's test_guardrail_invoke.yaml,
// test_titan_invoke_stream.yaml, test_guardrail_invoke_stream.yaml and
// test_nova_completion.yaml). The assessment itself is the one Converse uses.

// invokeGuardrail returns the guardrail run an InvokeModel request's headers ask for, nil
// for none.
func (h *handler) invokeGuardrail(hdr http.Header, f nativeFormat) (*guardRun, *Error) {
	id, version := hdr.Get("X-Amzn-Bedrock-GuardrailIdentifier"), hdr.Get("X-Amzn-Bedrock-GuardrailVersion")
	if id == "" && version == "" {
		return nil, nil
	}
	g, e := h.findGuardrail(id, version)
	if e != nil {
		return nil, e
	}
	return &guardRun{g: g, version: version, trace: strings.ToLower(hdr.Get("X-Amzn-Bedrock-Trace")), format: f}, nil
}

// native adds the guardrail's members to a native body, or to a stream's last chunk before
// its invocation metrics.
func (gr *guardRun) native(n *nativeReply, obj []byte) []byte {
	action := "NONE"
	if gr.input.intervened() || gr.output.intervened() {
		action = "INTERVENED"
	}
	type member struct {
		name  string
		value any
	}
	members := []member{{"amazon-bedrock-guardrailAction", action}}
	if gr.traced() {
		trace := member{"amazon-bedrock-trace", map[string]wireNativeTrace{"guardrail": gr.nativeTrace(n)}}
		if n.call.Operation == OpInvokeModel {
			members = []member{trace, members[0]} // the order of test_guardrail_invoke.yaml
		} else {
			members = append(members, trace)
		}
	}
	const metrics = `,"amazon-bedrock-invocationMetrics":`
	tail := []byte("}")
	if i := bytes.LastIndex(obj, []byte(metrics)); i >= 0 {
		obj, tail = obj[:i], obj[i:]
		obj = append(bytes.Clone(obj), '}')
	}
	for _, m := range members {
		obj = withMember(obj, m.name, m.value)
	}
	return append(obj[:len(obj)-1], tail...)
}

// wireNativeTrace is a native body's trace, in the guardrail's order.
type wireNativeTrace struct {
	ModelOutput  []string                          `json:"modelOutput,omitempty"`
	Input        map[string]wireNativeAssessment   `json:"input,omitempty"`
	Outputs      []map[string]wireNativeAssessment `json:"outputs,omitempty"`
	ActionReason string                            `json:"actionReason,omitempty"`
}

func (gr *guardRun) nativeTrace(n *nativeReply) wireNativeTrace {
	full, id := gr.trace == "enabled_full", gr.g.GuardrailID
	t := wireNativeTrace{
		ModelOutput:  gr.modelOutput(n.call, n.reply),
		Input:        map[string]wireNativeAssessment{id: gr.input.nativeWire(full)},
		ActionReason: gr.actionReason(),
	}
	if gr.output != nil {
		t.Outputs = []map[string]wireNativeAssessment{{id: gr.output.nativeWire(full)}}
	}
	return t
}

type wireNativeTopic struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Action   string `json:"action"`
	Detected bool   `json:"detected"`
}

type wireNativeFilter struct {
	Type           string `json:"type"`
	Confidence     string `json:"confidence"`
	FilterStrength string `json:"filterStrength"`
	Action         string `json:"action"`
	Detected       bool   `json:"detected"`
}

type wireNativeWord struct {
	Match    string `json:"match"`
	Type     string `json:"type,omitempty"`
	Action   string `json:"action"`
	Detected bool   `json:"detected"`
}

type wireNativePII struct {
	Match    string `json:"match"`
	Type     string `json:"type"`
	Action   string `json:"action"`
	Detected bool   `json:"detected"`
}

type wireNativeRegex struct {
	Name     string `json:"name"`
	Regex    string `json:"regex"`
	Match    string `json:"match"`
	Action   string `json:"action"`
	Detected bool   `json:"detected"`
}

type wireNativeUsage struct {
	TopicPolicyUnits                    int `json:"topicPolicyUnits"`
	ContentPolicyUnits                  int `json:"contentPolicyUnits"`
	WordPolicyUnits                     int `json:"wordPolicyUnits"`
	AutomatedReasoningPolicyUnits       int `json:"automatedReasoningPolicyUnits"`
	AutomatedReasoningPolicies          int `json:"automatedReasoningPolicies"`
	SensitiveInformationPolicyUnits     int `json:"sensitiveInformationPolicyUnits"`
	SensitiveInformationPolicyFreeUnits int `json:"sensitiveInformationPolicyFreeUnits"`
	ContextualGroundingPolicyUnits      int `json:"contextualGroundingPolicyUnits"`
	ContentPolicyImageUnits             int `json:"contentPolicyImageUnits"`
}

type wireNativeAssessment struct {
	TopicPolicy *struct {
		Topics []wireNativeTopic `json:"topics"`
	} `json:"topicPolicy,omitempty"`
	ContentPolicy *struct {
		Filters []wireNativeFilter `json:"filters"`
	} `json:"contentPolicy,omitempty"`
	WordPolicy *struct {
		CustomWords      []wireNativeWord `json:"customWords,omitempty"`
		ManagedWordLists []wireNativeWord `json:"managedWordLists,omitempty"`
	} `json:"wordPolicy,omitempty"`
	SensitiveInformationPolicy *struct {
		Regexes     []wireNativeRegex `json:"regexes,omitempty"`
		PiiEntities []wireNativePII   `json:"piiEntities,omitempty"`
	} `json:"sensitiveInformationPolicy,omitempty"`
	InvocationMetrics struct {
		GuardrailProcessingLatency int64           `json:"guardrailProcessingLatency"`
		Usage                      wireNativeUsage `json:"usage"`
		GuardrailCoverage          wireCoverage    `json:"guardrailCoverage"`
	} `json:"invocationMetrics"`
}

func (a *assessment) nativeWire(full bool) wireNativeAssessment {
	p := a.group(full)
	var w wireNativeAssessment
	if len(p.topics) > 0 {
		w.TopicPolicy = &struct {
			Topics []wireNativeTopic `json:"topics"`
		}{}
		for _, t := range p.topics {
			w.TopicPolicy.Topics = append(w.TopicPolicy.Topics, wireNativeTopic{t.Name, t.Type, t.Action, t.Detected})
		}
	}
	if len(p.filters) > 0 {
		w.ContentPolicy = &struct {
			Filters []wireNativeFilter `json:"filters"`
		}{}
		for _, f := range p.filters {
			w.ContentPolicy.Filters = append(w.ContentPolicy.Filters, wireNativeFilter{f.Type, f.Confidence, f.FilterStrength, f.Action, f.Detected})
		}
	}
	if len(p.words)+len(p.managed) > 0 {
		w.WordPolicy = &struct {
			CustomWords      []wireNativeWord `json:"customWords,omitempty"`
			ManagedWordLists []wireNativeWord `json:"managedWordLists,omitempty"`
		}{}
		for _, x := range p.words {
			w.WordPolicy.CustomWords = append(w.WordPolicy.CustomWords, wireNativeWord{Match: x.Match, Action: x.Action, Detected: x.Detected})
		}
		for _, x := range p.managed {
			w.WordPolicy.ManagedWordLists = append(w.WordPolicy.ManagedWordLists, wireNativeWord{x.Match, x.Type, x.Action, x.Detected})
		}
	}
	if len(p.pii)+len(p.regexes) > 0 {
		w.SensitiveInformationPolicy = &struct {
			Regexes     []wireNativeRegex `json:"regexes,omitempty"`
			PiiEntities []wireNativePII   `json:"piiEntities,omitempty"`
		}{}
		for _, x := range p.regexes {
			w.SensitiveInformationPolicy.Regexes = append(w.SensitiveInformationPolicy.Regexes, wireNativeRegex{x.Name, x.Regex, x.Match, x.Action, x.Detected})
		}
		for _, x := range p.pii {
			w.SensitiveInformationPolicy.PiiEntities = append(w.SensitiveInformationPolicy.PiiEntities, wireNativePII{x.Match, x.Type, x.Action, x.Detected})
		}
	}
	u := a.units()
	w.InvocationMetrics.GuardrailProcessingLatency = a.latency()
	w.InvocationMetrics.Usage = wireNativeUsage{TopicPolicyUnits: u.TopicPolicyUnits, ContentPolicyUnits: u.ContentPolicyUnits,
		WordPolicyUnits: u.WordPolicyUnits, SensitiveInformationPolicyUnits: u.SensitiveInformationPolicyUnits}
	w.InvocationMetrics.GuardrailCoverage = wireCoverage{TextCharacters: wireTextCharacters{Guarded: a.chars, Total: a.chars}}
	return w
}
