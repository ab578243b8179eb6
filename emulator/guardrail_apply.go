package emulator

import (
	"encoding/json"
	"net/url"
)

// applyGuardrailRequest is the body of an ApplyGuardrail request.
type applyGuardrailRequest struct {
	Source  string `json:"source"`
	Content []struct {
		Text  *GuardText      `json:"text,omitempty"`
		Image json.RawMessage `json:"image,omitempty"`
	} `json:"content"`
	OutputScope string `json:"outputScope,omitempty"`
}

// wireApplyGuardrailResponse is the ApplyGuardrail response as Bedrock writes it: sorted
// keys, null for what is absent, and two members the API model does not have,
// "blockedResponse" and "output" (a copy of "outputs"), all as in the real response in
// Arize-ai/openinference's test_apply_guardrails.yaml and test_apply_success_guardrails.yaml.
type wireApplyGuardrailResponse struct {
	Action            string                `json:"action"`
	ActionReason      string                `json:"actionReason"`
	Assessments       []wireApplyAssessment `json:"assessments"`
	BlockedResponse   *string               `json:"blockedResponse"`
	GuardrailCoverage wireApplyCoverage     `json:"guardrailCoverage"`
	Output            []wireOutputText      `json:"output"`
	Outputs           []wireOutputText      `json:"outputs"`
	Usage             wireGuardrailUsage    `json:"usage"`
}

type wireOutputText struct {
	Text string `json:"text"`
}

// applyGuardrail serves ApplyGuardrail: the guardrail's policies applied to the content, as
// for the input (source INPUT) or the output (OUTPUT) of a model. outputScope FULL also
// lists what was not detected.
func (h *handler) applyGuardrail(x *exchange) (answer, *Error) {
	body := x.body
	identifier, err1 := url.PathUnescape(x.vars.Get("guardrailIdentifier"))
	version, err2 := url.PathUnescape(x.vars.Get("guardrailVersion"))
	if err1 != nil || err2 != nil {
		return answer{}, validationError(msgGuardrailInvalid)
	}
	if e := validateShape(OpApplyGuardrail, body); e != nil {
		return answer{}, e
	}
	if e := validateBoundMembers(OpApplyGuardrail, map[string]string{"guardrailIdentifier": identifier, "guardrailVersion": version}); e != nil {
		return answer{}, e
	}
	var req applyGuardrailRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return answer{}, serializationError(err.Error())
	}
	g, e := h.findGuardrail(identifier, version)
	if e != nil {
		return answer{}, e
	}
	s, blockedMsg := sideInput, g.BlockedInputMessaging
	if req.Source == "OUTPUT" {
		s, blockedMsg = sideOutput, g.BlockedOutputsMessaging
	}
	var texts []string
	for _, c := range req.Content {
		if c.Text != nil && !groundingOnly(c.Text.Qualifiers) {
			texts = append(texts, c.Text.Text)
		}
	}
	a := g.assess(version, s, texts)
	resp := wireApplyGuardrailResponse{
		Action:            "NONE",
		ActionReason:      a.actionReason(),
		Assessments:       []wireApplyAssessment{a.applyWire(req.OutputScope == "FULL")},
		GuardrailCoverage: wireApplyCoverage{TextCharacters: wireTextCharacters{Guarded: a.chars, Total: a.chars}},
		Outputs:           []wireOutputText{},
		Usage:             a.units(),
	}
	switch {
	case a.blocked():
		resp.Action, resp.BlockedResponse = "GUARDRAIL_INTERVENED", &blockedMsg
		resp.Outputs = []wireOutputText{{Text: blockedMsg}}
	case a.anonymized():
		resp.Action = "GUARDRAIL_INTERVENED"
		for _, t := range a.masked {
			resp.Outputs = append(resp.Outputs, wireOutputText{Text: t})
		}
	}
	resp.Output = resp.Outputs
	return answer{body: encodeJSON(resp)}, nil
}

// groundingOnly reports whether qualifiers mark text as input to contextual grounding only.
func groundingOnly(qualifiers []string) bool {
	for _, q := range qualifiers {
		if q == "grounding_source" || q == "query" {
			return true
		}
	}
	return false
}
