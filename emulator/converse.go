package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/bedrock-emulator/bedrock-emulator/internal/api"
	"github.com/bedrock-emulator/bedrock-emulator/internal/catalog"
)

// DefaultMaxBodyBytes caps a request body when Options.MaxBodyBytes is 0; a larger body is
// answered with a ValidationException, "Input is too long for requested model.".
const DefaultMaxBodyBytes = api.MaxBodyBytes

// decodeConverse decodes a Converse or ConverseStream request: its path and its body.
func (h *handler) decodeConverse(x *exchange) (*Call, *Error) {
	modelID, e := x.model()
	if e != nil {
		return nil, e
	}
	call := x.call(modelID)
	var req ConverseRequest
	if e := decodeShape(x.op, x.body, &req); e != nil {
		call.Err = e
		return call, nil
	}
	x.bodyJSON = true
	req.ModelID = modelID
	call.Request = &req
	return call, nil
}

// validateConverse checks a Converse request's conversation against its model (which the
// prompts link resolved) and looks up the guardrail it names.
func (h *handler) validateConverse(call *Call) *Error {
	if e := validateConversation(call.Operation, call.Request, call.Model); e != nil {
		return e
	}
	var e *Error
	if call.guard, e = h.guardrail(call.Request.GuardrailConfig); e != nil {
		return e
	}
	return validateModelInput(call.Request, call.Model)
}

// renderConverse renders a reply as a Converse body, or as the ConverseStream events of the
// same message (the journal keeps the Converse body of both).
func renderConverse(call *Call, reply *Reply) answer {
	if reply.Live != nil { // a ConverseStream's live reply, completed as it ends
		var body []byte
		done := func() (Usage, usageShape) {
			body = converseBody(reply, *reply.Usage, usageShapeOf(call.Model, false, reply))
			return *reply.Usage, usageShapeOf(call.Model, true, reply)
		}
		return answer{events: liveEvents(reply, done), shape: reply.Stream, live: func() []byte { return body }}
	}
	body := converseBody(reply, *reply.Usage, usageShapeOf(call.Model, false, reply))
	if call.Operation == OpConverseStream {
		return answer{events: streamEvents(reply, *reply.Usage, usageShapeOf(call.Model, true, reply)), shape: reply.Stream, journal: body}
	}
	return answer{body: body}
}

// complete fills in what a reply left to the emulator: the request's stop sequences and
// maxTokens applied, usage, latency, and the request's performance and service tier. A
// native call keeps the stop sequence its body reports.
func (h *handler) complete(call *Call, reply *Reply) {
	req := call.Request
	if ic := req.InferenceConfig; call.format != nil && ic != nil && !reply.Verbatim && (reply.StopReason == "" || reply.StopReason == "end_turn") {
		call.stop = cutAtStopSequence(reply, ic.StopSequences)
	}
	finish(reply, req, maxTokens(req, call.Model))
	if reply.Usage == nil {
		u := h.cache.usage(req, outputTokens(reply.Content))
		reply.Usage = &u
	}
	if reply.LatencyMs == 0 {
		reply.LatencyMs = simulatedLatency(reply.Usage.OutputTokens)
	}
	if reply.PerformanceConfig == nil {
		reply.PerformanceConfig = req.PerformanceConfig
	}
	if reply.ServiceTier == nil {
		reply.ServiceTier = req.ServiceTier
	}
}

// check reports a reply that cannot be rendered: a recorded status that is not an HTTP
// status, document values that are not JSON.
func (r *Reply) check() error {
	if rec := r.Recorded; rec != nil && rec.Status != 0 && (rec.Status < 100 || rec.Status > 999) {
		// net/http would panic on it (found by FuzzCassette, a cassette with code 42).
		return fmt.Errorf("recorded status %d is not an HTTP status", rec.Status)
	}
	for i, b := range r.Content {
		if b.ToolUse != nil && len(bytes.TrimSpace(b.ToolUse.Input)) > 0 && !validJSON(b.ToolUse.Input) {
			return fmt.Errorf("content %d: tool input is not JSON", i)
		}
		if b.Citations != nil {
			for j, c := range b.Citations.Citations {
				if !validJSON(c) || bytes.TrimSpace(c)[0] != '{' {
					return fmt.Errorf("content %d: citation %d is not a JSON object", i, j)
				}
			}
		}
	}
	for _, f := range [...]struct {
		name string
		raw  json.RawMessage
	}{{"additionalModelResponseFields", r.AdditionalModelResponseFields}, {"trace", r.Trace}} {
		if f.raw != nil && !validJSON(f.raw) {
			return fmt.Errorf("%s is not JSON", f.name)
		}
	}
	return nil
}

// maxTokens is the output limit of a call: the request's maxTokens, else the model's.
func maxTokens(req *ConverseRequest, m *catalog.Model) int {
	if ic := req.InferenceConfig; ic != nil && ic.MaxTokens != nil {
		return *ic.MaxTokens
	}
	return m.MaxOutputTokens
}

// simulatedLatency is the metrics.latencyMs reported for a reply: deterministic, growing
// with its length.
func simulatedLatency(outputTokens int) int64 { return int64(200 + 10*outputTokens) }

// modelError maps a catalogue resolution failure to Bedrock's answer.
func modelError(err error) *Error {
	if msg, ok := catalog.BedrockMessage(err); ok {
		return validationError("%s", msg)
	}
	return validationError(catalog.InvalidModelMessage)
}

const (
	// Bedrock's answer to a request over its size limit (see DefaultMaxBodyBytes), the same
	// as to input over a model's context window.
	msgInputTooLong = "Input is too long for requested model."
)
