package emulator

import (
	"context"
	"encoding/json"
	"math"
	"strings"
)

// How a guardrail named in a request is applied (Converse and ConverseStream guardrailConfig;
// InvokeModel's guardrail headers):
//
//   - The input is assessed first: the guardContent blocks if the request has any (system
//     prompt included), else the text of the user messages. Tool results, tool definitions
//     and tool inputs are never assessed, as Bedrock's guide says ("Include a guardrail with
//     the Converse API"), nor is the system prompt outside guardContent (30 of 56 characters
//     guarded, system prompt left out, in pydantic-ai's test_bedrock_model_guardrail_config.yaml).
//   - Blocked input is answered without asking the behaviours: the blocked input message,
//     stopReason guardrail_intervened, the input's tokens and the message's as usage (as
//     Titan's blocked answer counts them in openllmetry's test_guardrail_invoke_stream.yaml).
//     Masked input reaches the behaviours masked.
//   - The reply's text is assessed next. Blocked output is replaced by the blocked output
//     message, masked output is masked; either way the stop reason is guardrail_intervened,
//     and usage stays the model's.
//   - ConverseStream in the default sync mode sends each text block in one delta, as the
//     guardrail buffers it (one delta in openllmetry's test_guardrail_converse_stream.yaml).
//     In async mode deltas flow as usual, masking is not done (Bedrock's guide: "doesn't
//     support the masking of sensitive information with asynchronous mode"), and blocked
//     output is cut before the blocked match and followed by the blocked output message
//     (inference: the guide says only that later chunks are blocked).
//   - With trace enabled (or enabled_full, which also lists what was not detected) the
//     reply carries trace.guardrail in Bedrock's shape.

// Bedrock's answers to a guardrail it cannot use. The first answers a bad version and an
// unknown ID alike (a live-test report
// without a citable source, docs/wire-facts.md §7.6: "bad-id and bad-version produce
// the same error"); the second was seen for identifiers such as "1" and a placeholder
// (openclaw/openclaw#58588). inference: the
// second answers an identifier that cannot be a guardrail ID (12 lowercase letters and
// digits), the first one that can.
const (
	msgGuardrailNotFound = "The guardrail identifier or version provided in the request does not exist."
	msgGuardrailInvalid  = "The provided guardrail identifier is invalid."
)

// guardRun is one request's guardrail: which, how, and what it found.
type guardRun struct {
	g       *Guardrail
	version string
	trace   string // disabled (or ""), enabled, enabled_full
	async   bool
	// input and output are the assessments; output is nil when the input was blocked.
	input, output *assessment
	// before is the reply as the model gave it, kept when the guardrail changed it: traces
	// report it as modelOutput.
	before *Reply
	// format is the InvokeModel format of a native call; nil for Converse.
	format nativeFormat
}

// guardrail returns the guardrail run a Converse request asks for, nil for none.
func (h *handler) guardrail(cfg *GuardrailConfig) (*guardRun, *Error) {
	if cfg == nil {
		return nil, nil
	}
	g, e := h.findGuardrail(cfg.GuardrailIdentifier, cfg.GuardrailVersion)
	if e != nil {
		return nil, e
	}
	return &guardRun{g: g, version: cfg.GuardrailVersion, trace: cfg.Trace, async: cfg.StreamProcessingMode == "async"}, nil
}

// findGuardrail resolves a guardrail identifier (an ID or a guardrail ARN) and version.
func (h *handler) findGuardrail(identifier, version string) (*Guardrail, *Error) {
	id := identifier
	if strings.HasPrefix(id, "arn:") {
		if i := strings.LastIndex(id, ":guardrail/"); i >= 0 {
			id = id[i+len(":guardrail/"):]
		}
	}
	g, ok := h.guardrails.get(id)
	switch {
	case ok && g.hasVersion(version):
		return g, nil
	case !ok && (len(id) != 12 || !guardrailIDPattern.MatchString(id)):
		return nil, validationError(msgGuardrailInvalid)
	}
	return nil, validationError(msgGuardrailNotFound)
}

// guardrails is the link of the chain that applies the guardrail a call names: it assesses
// the input first and answers blocked input itself, or asks the rest of the chain with the
// input masked; then it assesses and applies to the completed reply (see finish).
type guardrails struct{ h *handler }

func (l guardrails) Respond(ctx context.Context, call *Call, next Next) (*Reply, error) {
	gr := call.guard
	if gr == nil {
		return next(ctx, call)
	}
	texts := guardedInput(call.Request)
	gr.input = gr.g.assess(gr.version, sideInput, deref(texts))
	var reply *Reply
	if gr.input.blocked() {
		msg := gr.g.BlockedInputMessaging
		in, _ := inputTokens(call.Request)
		reply = &Reply{
			Content:    []Block{TextBlock(msg)},
			StopReason: stopGuardrail,
			Usage:      &Usage{InputTokens: in, OutputTokens: TextTokens(msg)},
		}
		l.h.complete(call, reply)
	} else {
		if masked := gr.input.masked; masked != nil {
			for i, p := range texts {
				*p = masked[i]
			}
		}
		var err error
		if reply, err = next(ctx, call); err != nil || reply.Recorded != nil {
			// A recorded reply is replayed as it is.
			return reply, err
		}
	}
	gr.finish(call, reply)
	return reply, nil
}

const stopGuardrail = "guardrail_intervened"

// finish assesses a completed reply's text and applies what the guardrail decided: the
// blocked or masked text, the stop reason, the stream shape and the trace.
func (gr *guardRun) finish(call *Call, reply *Reply) {
	if !gr.input.blocked() {
		gr.assessOutput(reply)
	}
	// A native body keeps the model's stop reason when only masking was done (Nova's
	// "end_turn" in openllmetry's test_nova_completion.yaml); Converse reports the
	// intervention (test_guardrail_converse.yaml).
	masked := gr.input.anonymized() || gr.output.anonymized() && !gr.async
	if gr.input.blocked() || gr.output.blocked() || masked && gr.format == nil {
		reply.StopReason = stopGuardrail
	}
	if call.Operation == OpConverseStream && !gr.async {
		// One delta a block: no chunks, no characters per delta, all words in one.
		reply.Stream.Chunks, reply.Stream.CharsPerDelta, reply.Stream.WordsPerDelta = nil, 0, math.MaxInt32
	}
	if gr.traced() && gr.format == nil && reply.Trace == nil {
		reply.Trace = gr.traceJSON(gr.modelOutput(call, reply))
	}
}

func (gr *guardRun) traced() bool { return gr.trace == "enabled" || gr.trace == "enabled_full" }

// modelOutput is what a trace reports the model answered, when the guardrail changed it:
// the model's native response body for Converse and InvokeModel (Titan's, in openllmetry's
// test_guardrail_converse.yaml and test_guardrail_invoke.yaml), its text for the streams
// (test_guardrail_converse_stream.yaml, test_titan_invoke_stream.yaml).
func (gr *guardRun) modelOutput(call *Call, reply *Reply) []string {
	if gr.before == nil {
		return nil
	}
	f := gr.format
	if f == nil {
		f = nativeFormatFor(call.Model, nil)
	}
	if f != nil && (call.Operation == OpConverse || call.Operation == OpInvokeModel) {
		before := *gr.before
		before.Usage, before.LatencyMs = reply.Usage, reply.LatencyMs
		return []string{string(f.response(&nativeReply{call: call, reply: &before, usage: *reply.Usage}))}
	}
	return []string{textOf(gr.before)}
}

// assessOutput assesses the reply's text blocks and blocks or masks them.
func (gr *guardRun) assessOutput(reply *Reply) {
	var texts []string
	for _, b := range reply.Content {
		if b.Text != nil {
			texts = append(texts, *b.Text)
		}
	}
	gr.output = gr.g.assess(gr.version, sideOutput, texts)
	if gr.output.blocked() || gr.output.anonymized() && !gr.async {
		before := *reply
		gr.before = &before
	}
	switch {
	case gr.output.blocked():
		var kept []Block
		if gr.async {
			if prefix := beforeFirstBlock(gr.output, texts); prefix != "" {
				kept = append(kept, TextBlock(prefix))
			}
		}
		reply.Content = append(kept, TextBlock(gr.g.BlockedOutputsMessaging))
	case gr.output.anonymized() && !gr.async:
		content := make([]Block, len(reply.Content))
		n := 0
		for i, b := range reply.Content {
			content[i] = b
			if b.Text != nil {
				content[i] = TextBlock(gr.output.masked[n]) // a new block: b.Text may be shared
				n++
			}
		}
		reply.Content = content
	}
}

// beforeFirstBlock is the text the model streamed before the first blocked match, which an
// async guardrail lets through.
func beforeFirstBlock(a *assessment, texts []string) string {
	all := strings.Join(texts, "")
	cut := len(all)
	for _, f := range a.findings {
		if f.Action != "BLOCKED" {
			continue
		}
		if i := strings.Index(all, f.Match); i >= 0 && i < cut {
			cut = i
		}
	}
	return all[:cut]
}

// actionReason joins the input's and the output's reasons ("No action.\nGuardrail masked."
// in openllmetry's test_guardrail_converse.yaml), saying "No action." once when neither acted
// (pydantic-ai's test_bedrock_model_guardrail_config.yaml).
func (gr *guardRun) actionReason() string {
	reason := gr.input.actionReason()
	if gr.output != nil && (gr.input.intervened() || gr.output.intervened()) {
		reason += "\n" + gr.output.actionReason()
	}
	return reason
}

// wireGuardrailTrace is GuardrailTraceAssessment, keys sorted.
type wireGuardrailTrace struct {
	ActionReason      string                           `json:"actionReason,omitempty"`
	InputAssessment   map[string]wireTraceAssessment   `json:"inputAssessment,omitempty"`
	ModelOutput       []string                         `json:"modelOutput,omitempty"`
	OutputAssessments map[string][]wireTraceAssessment `json:"outputAssessments,omitempty"`
}

// traceJSON is a Converse reply's trace: {"guardrail":{…}}.
func (gr *guardRun) traceJSON(modelOutput []string) json.RawMessage {
	full, id := gr.trace == "enabled_full", gr.g.GuardrailID
	t := wireGuardrailTrace{
		ActionReason:    gr.actionReason(),
		InputAssessment: map[string]wireTraceAssessment{id: gr.input.traceWire(full)},
		ModelOutput:     modelOutput,
	}
	if gr.output != nil {
		t.OutputAssessments = map[string][]wireTraceAssessment{id: {gr.output.traceWire(full)}}
	}
	return encodeJSON(struct {
		Guardrail wireGuardrailTrace `json:"guardrail"`
	}{t})
}

// guardedInput points at the texts a guardrail assesses in a request: its guardContent
// blocks if it has any, else the text blocks of its user messages. Guard content qualified
// as a grounding source or a query is input to contextual grounding, which the emulator
// does not have, and is left out.
func guardedInput(req *ConverseRequest) []*string {
	var guarded, user []*string
	guard := func(g *GuardContentBlock) {
		if g == nil || g.Text == nil {
			return
		}
		if groundingOnly(g.Text.Qualifiers) {
			return
		}
		guarded = append(guarded, &g.Text.Text)
	}
	for i := range req.System {
		guard(req.System[i].GuardContent)
	}
	for _, m := range req.Messages {
		for i := range m.Content {
			b := &m.Content[i]
			guard(b.GuardContent)
			if b.Text != nil && m.Role == RoleUser {
				user = append(user, b.Text)
			}
		}
	}
	if len(guarded) > 0 || hasGuardContent(req) {
		return guarded
	}
	return user
}

func hasGuardContent(req *ConverseRequest) bool {
	for _, b := range req.System {
		if b.GuardContent != nil {
			return true
		}
	}
	for _, m := range req.Messages {
		for _, b := range m.Content {
			if b.GuardContent != nil {
				return true
			}
		}
	}
	return false
}

func deref(ps []*string) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = *p
	}
	return out
}
