package emulator

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gorilla/mux"

	"github.com/bedrock-emulator/bedrock-emulator/internal/catalog"
)

// DefaultMaxBodyBytes caps a request body when Options.MaxBodyBytes is 0.
// unverified: Bedrock documents per-block limits (images 3.75 MB, documents 4.5 MB) but no
// overall request size; 25 MiB holds the largest request those limits allow.
const DefaultMaxBodyBytes = 25 << 20

// handler serves the Bedrock Runtime routes of one emulator.
type handler struct {
	opts  Options
	chain []Behaviour
	seq   atomic.Int64
	cache promptCache
}

func newHandler(o Options) *handler {
	chain := append(append([]Behaviour(nil), o.Behaviours...), generator{})
	return &handler{opts: o, chain: chain}
}

// converse serves Converse and ConverseStream: authenticate, decode, validate, ask the
// behaviours, render.
func (h *handler) converse(op string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		seq := h.seq.Add(1)
		id := requestID(seq)
		w.Header()["x-amzn-RequestId"] = []string{id}
		w.Header().Set("Connection", "keep-alive")

		call, reply, e := h.serve(r.Context(), op, r, id, seq)
		status := http.StatusOK
		switch {
		case e != nil:
			status = e.HTTPStatus()
			writeError(w, e)
		case op == OpConverseStream:
			writeStream(r.Context(), w, streamEvents(reply, *reply.Usage), reply.Stream)
		default:
			body := converseBody(reply, *reply.Usage)
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(http.StatusOK)
			w.Write(body)
		}
		model := ""
		if call != nil {
			model = call.ModelID
		}
		h.opts.Logger.Info("request", "op", op, "model", model, "status", status,
			"requestId", id, "duration", time.Since(start))
	}
}

// serve turns a request into a Call and a finished Reply, or a modeled error.
func (h *handler) serve(ctx context.Context, op string, r *http.Request, id string, seq int64) (*Call, *Reply, *Error) {
	if e := authenticate(h.opts.Auth, r); e != nil {
		return nil, nil, e
	}
	modelID, err := url.PathUnescape(mux.Vars(r)["modelId"])
	if err != nil {
		return nil, nil, validationError(msgInvalidModel)
	}
	req, e := h.decode(op, r)
	if e != nil {
		return nil, nil, e
	}
	req.ModelID = modelID
	res, err := h.opts.Catalog.Resolve(modelID)
	if err != nil {
		return nil, nil, modelError(err)
	}
	caps := capsOf(res.Model)
	if e := validateConversation(op, req, caps); e != nil {
		return nil, nil, e
	}
	call := &Call{Operation: op, ModelID: modelID, Model: res.Model, Request: req, Header: r.Header, RequestID: id, Seq: seq}
	reply, e := h.respond(ctx, call)
	if e != nil {
		return call, nil, e
	}
	finish(reply, req, maxTokens(req, caps))
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
	return call, reply, nil
}

// respond asks the behaviours in order; the default generator always answers.
func (h *handler) respond(ctx context.Context, call *Call) (*Reply, *Error) {
	for _, b := range h.chain {
		reply, err := b.Respond(ctx, call)
		if err != nil {
			var e *Error
			if errors.As(err, &e) {
				return nil, e
			}
			return nil, &Error{Type: "InternalServerException", Status: http.StatusInternalServerError, Message: err.Error()}
		}
		if reply != nil {
			if err := reply.check(); err != nil {
				return nil, &Error{Type: "InternalServerException", Status: http.StatusInternalServerError, Message: "bedrock-emulator: invalid reply: " + err.Error()}
			}
			return reply, nil
		}
	}
	return nil, &Error{Type: "InternalServerException", Status: http.StatusInternalServerError, Message: "bedrock-emulator: no behaviour answered"}
}

// check reports a reply that cannot be rendered: document values that are not JSON.
func (r *Reply) check() error {
	for i, b := range r.Content {
		if b.ToolUse != nil && len(bytes.TrimSpace(b.ToolUse.Input)) > 0 && !json.Valid(b.ToolUse.Input) {
			return fmt.Errorf("content %d: tool input is not JSON", i)
		}
	}
	for name, raw := range map[string]json.RawMessage{"additionalModelResponseFields": r.AdditionalModelResponseFields, "trace": r.Trace} {
		if raw != nil && !json.Valid(raw) {
			return fmt.Errorf("%s is not JSON", name)
		}
	}
	return nil
}

// decode reads and checks the request body.
func (h *handler) decode(op string, r *http.Request) (*ConverseRequest, *Error) {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, h.opts.MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, validationError(msgInputTooLong)
		}
		return nil, validationError("The request body could not be read.")
	}
	if e := validateShape(op, body); e != nil {
		return nil, e
	}
	var req ConverseRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, serializationError(err)
	}
	return &req, nil
}

// maxTokens is the output limit of a call: the request's maxTokens, else the model's.
func maxTokens(req *ConverseRequest, m modelCaps) int {
	if ic := req.InferenceConfig; ic != nil && ic.MaxTokens != nil {
		return *ic.MaxTokens
	}
	return m.maxOutputTokens
}

// simulatedLatency is the metrics.latencyMs reported for a reply: deterministic, growing
// with its length.
func simulatedLatency(outputTokens int) int64 { return int64(200 + 10*outputTokens) }

// requestID is the n-th x-amzn-RequestId: a lowercase UUID, as Bedrock's, derived from n so
// that runs are repeatable.
func requestID(n int64) string {
	sum := sha256.Sum256(strconv.AppendInt([]byte("bedrock-emulator/"), n, 10))
	sum[6] = sum[6]&0x0f | 0x40
	sum[8] = sum[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
}

// writeError writes e as Bedrock does (GROUND-TRUTH §2.3): its status, x-amzn-ErrorType, and
// a compact {"message":…} body.
func writeError(w http.ResponseWriter, e *Error) {
	body := errorBody(e)
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h["x-amzn-ErrorType"] = []string{e.errorTypeHeader()}
	w.WriteHeader(e.HTTPStatus())
	w.Write(body)
}

// modelError maps a catalogue resolution failure to Bedrock's answer.
func modelError(err error) *Error {
	var np *catalog.NeedsProfileError
	if errors.As(err, &np) {
		return validationError(msgNeedsProfile, np.ModelID)
	}
	return validationError(msgInvalidModel)
}

const (
	// GROUND-TRUTH §4 (real recordings).
	msgInvalidModel = "The provided model identifier is invalid."
	// GROUND-TRUTH §4; the real message has U+2019 in "isn’t".
	msgNeedsProfile = "Invocation of model ID %s with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model."
	// unverified: Bedrock's answer to an over-long request body was not found; this is the
	// message it gives for input over a model's context window.
	msgInputTooLong = "Input is too long for requested model."
)
