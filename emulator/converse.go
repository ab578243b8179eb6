package emulator

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gorilla/mux"

	"github.com/bedrock-emulator/bedrock-emulator/internal/api"
	"github.com/bedrock-emulator/bedrock-emulator/internal/catalog"
)

// DefaultMaxBodyBytes caps a request body when Options.MaxBodyBytes is 0; a larger body is
// answered with a ValidationException, "Input is too long for requested model.".
const DefaultMaxBodyBytes = api.MaxBodyBytes

// handler serves the Bedrock Runtime routes of one emulator.
type handler struct {
	opts    Options
	models  *catalog.Catalog
	chain   []Behaviour
	seq     atomic.Int64
	cache   promptCache
	journal *journal
	// guardrails and prompts are the definitions guardrail.go and prompt.go apply.
	guardrails *registry[*Guardrail]
	prompts    *registry[*Prompt]
}

func newHandler(o Options) (*handler, error) {
	if o.Auth == AuthStrict && len(o.Credentials) == 0 && len(o.APIKeys) == 0 {
		return nil, ErrNoCredentials
	}
	models := catalog.Default()
	if o.ModelsFile != "" {
		var err error
		if models, err = models.MergeFile(o.ModelsFile); err != nil {
			return nil, err
		}
	}
	chain := append([]Behaviour(nil), o.Behaviours...)
	if o.Fallback != nil {
		chain = append(chain, o.Fallback)
	}
	chain = append(chain, generator{})
	guardrails, err := checked(o.Guardrails)
	if err != nil {
		return nil, err
	}
	prompts, err := checked(o.Prompts)
	if err != nil {
		return nil, err
	}
	return &handler{opts: o, models: models, chain: chain, journal: newJournal(o.JournalSize, o.JournalBytes),
		guardrails: newRegistry(guardrails), prompts: newRegistry(prompts)}, nil
}

// converse is the router's handler of Converse and ConverseStream (converseFirst serves
// them before the router does).
func (h *handler) converse(op string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { h.serveConverse(op, w, r, mux.Vars(r)["modelId"]) }
}

// serveConverse serves Converse and ConverseStream: authenticate, decode, validate, ask the
// behaviours, render. pathModelID is the model ID in the path, still escaped.
func (h *handler) serveConverse(op string, w http.ResponseWriter, r *http.Request, pathModelID string) {
	start := time.Now()
	seq := h.seq.Add(1)
	id := requestID(seq)
	w.Header()["x-amzn-RequestId"] = []string{id}
	w.Header().Set("Connection", "keep-alive")

	entry := Entry{Seq: seq, RequestID: id, Time: start, Operation: op}
	call, reply, e := h.serve(r.Context(), op, r, pathModelID, id, seq, &entry)
	entry.Status = http.StatusOK
	switch {
	case e != nil:
		entry.Status = e.HTTPStatus()
		entry.Error = &JournalError{Type: e.Type, Message: e.Message}
		writeError(w, e)
	case reply.Recorded != nil:
		entry.Status = writeRecorded(r.Context(), w, reply.Recorded)
		entry.Response = reply.Recorded.Body
	case op == OpConverseStream:
		end := writeStream(r.Context(), w, streamEvents(reply, *reply.Usage), reply.Stream)
		entry.Response = converseBody(reply, *reply.Usage)
		switch end {
		case streamFailed:
			entry.Error = &JournalError{Type: reply.Stream.Fail.Type, Message: reply.Stream.Fail.Message}
		case streamDropped:
			entry.Dropped = true
		}
	default:
		body := converseBody(reply, *reply.Usage)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		w.Write(body)
		entry.Response = body
	}
	if call != nil {
		entry.ModelID = call.ModelID
	}
	entry.Duration = time.Since(start)
	h.journal.add(entry)
	if h.opts.Logger.Enabled(r.Context(), slog.LevelInfo) {
		h.opts.Logger.Info("request", "op", op, "model", entry.ModelID, "status", entry.Status,
			"requestId", id, "duration", entry.Duration)
	}
	if entry.Dropped {
		breakConnection(w)
	}
}

// writeRecorded writes a recorded response, its frames paced as recorded, and returns its
// status.
func writeRecorded(ctx context.Context, w http.ResponseWriter, rec *Recorded) int {
	if rec.Status != 0 && (rec.Status < 100 || rec.Status > 999) {
		// net/http would panic on it (found by FuzzCassette, a cassette with code 42).
		e := &Error{Type: "InternalServerException", Status: http.StatusInternalServerError,
			Message: fmt.Sprintf("bedrock-emulator: invalid reply: recorded status %d is not an HTTP status", rec.Status)}
		writeError(w, e)
		return e.Status
	}
	for k, v := range rec.Header {
		switch http.CanonicalHeaderKey(k) {
		case "Date", "Content-Length", "Transfer-Encoding":
			continue
		}
		w.Header()[k] = v
	}
	status := rec.Status
	if status == 0 {
		status = http.StatusOK
	}
	if rec.Frames == nil {
		w.Header().Set("Content-Length", strconv.Itoa(len(rec.Body)))
		w.WriteHeader(status)
		w.Write(rec.Body)
		return status
	}
	w.WriteHeader(status)
	rc := http.NewResponseController(w)
	start := time.Now()
	for _, f := range rec.Frames {
		if wait := f.At - time.Since(start); wait > 0 && !sleep(ctx, wait) {
			return status
		}
		if _, err := w.Write(f.Bytes); err != nil || rc.Flush() != nil {
			return status
		}
	}
	return status
}

// serve turns a request into a Call and a finished Reply, or a modeled error.
func (h *handler) serve(ctx context.Context, op string, r *http.Request, pathModelID, id string, seq int64, entry *Entry) (*Call, *Reply, *Error) {
	if e := h.authenticate(r); e != nil {
		return nil, nil, e
	}
	modelID, err := url.PathUnescape(pathModelID)
	if err != nil {
		return nil, nil, validationError(catalog.InvalidModelMessage)
	}
	req, body, e := h.decode(op, r)
	if e == nil || json.Valid(body) { // a body that decoded is valid JSON
		entry.Request = body
	}
	call := &Call{Operation: op, ModelID: modelID, Request: req, Body: body, Header: r.Header, RequestID: id, Seq: seq}
	var guard *guardRun
	if e == nil {
		call.Model, e = h.validate(op, req, modelID)
	}
	if e == nil {
		guard, e = h.guardrail(req.GuardrailConfig)
	}
	if e != nil {
		if reply := h.overrule(ctx, call); reply != nil {
			return call, reply, nil
		}
		return nil, nil, e
	}
	reply, e := guard.respond(ctx, h, call)
	if e != nil {
		return call, nil, e
	}
	h.complete(req, call.Model, reply)
	guard.finish(call, reply)
	return call, reply, nil
}

// complete fills in what a reply left to the emulator: the request's stop sequences and
// maxTokens applied, usage, latency, and the request's performance and service tier.
func (h *handler) complete(req *ConverseRequest, m *catalog.Model, reply *Reply) {
	finish(reply, req, maxTokens(req, m))
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

// validate resolves the model (a prompt ARN's, after expanding the prompt) and checks the
// conversation against it.
func (h *handler) validate(op string, req *ConverseRequest, modelID string) (*catalog.Model, *Error) {
	req.ModelID = modelID
	res, err := h.models.Resolve(modelID)
	if err != nil {
		return nil, modelError(err)
	}
	if res.Kind == catalog.KindPrompt {
		var e *Error
		if res, e = h.usePrompt(req, res); e != nil {
			return nil, e
		}
	}
	if e := validateConversation(op, req, res.Model); e != nil {
		return nil, e
	}
	return res.Model, nil
}

// overrule asks the Overrulers, in order, for a recorded answer to a call that validation
// rejected.
func (h *handler) overrule(ctx context.Context, call *Call) *Reply {
	for _, b := range h.chain {
		if o, ok := b.(Overruler); ok {
			if reply := o.Overrule(ctx, call); reply != nil && reply.Recorded != nil {
				return reply
			}
		}
	}
	return nil
}

// respond asks the behaviours in order (the default generator always answers), then lets
// every Amender amend the reply.
func (h *handler) respond(ctx context.Context, call *Call) (*Reply, *Error) {
	reply, e := h.decide(ctx, call)
	if e == nil {
		for _, b := range h.chain {
			if a, ok := b.(Amender); ok {
				a.Amend(ctx, call, reply)
			}
		}
	}
	return reply, e
}

func (h *handler) decide(ctx context.Context, call *Call) (*Reply, *Error) {
	for _, b := range h.chain {
		reply, err := h.ask(ctx, b, call)
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

// decode reads and checks the request body.
func (h *handler) decode(op string, r *http.Request) (*ConverseRequest, []byte, *Error) {
	body, err := readBody(r, h.opts.MaxBodyBytes)
	if err != nil {
		return nil, nil, bodyError(err)
	}
	if e := validateShape(op, body); e != nil {
		return nil, body, e
	}
	var req ConverseRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, body, serializationError(err.Error())
	}
	return &req, body, nil
}

// readBody reads r's body, at most limit bytes, into one buffer of the declared length when
// there is one (io.ReadAll would grow it step by step, copying a large body many times).
func readBody(r *http.Request, limit int64) ([]byte, error) {
	body := http.MaxBytesReader(nil, r.Body, limit)
	n := r.ContentLength
	if n <= 0 || n > limit {
		return io.ReadAll(body)
	}
	b := make([]byte, 0, n+1) // +1: room to read the end of the body without growing
	for {
		m, err := body.Read(b[len(b):cap(b)])
		b = b[:len(b)+m]
		switch {
		case err == io.EOF:
			return b, nil
		case err != nil:
			return b, err
		case len(b) == cap(b):
			b = append(b, 0)[:len(b)]
		}
	}
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

// requestID is the n-th x-amzn-RequestId: a lowercase UUID, as Bedrock's, derived from n so
// that runs are repeatable.
func requestID(n int64) string {
	var in [64]byte
	sum := sha256.Sum256(strconv.AppendInt(append(in[:0], "bedrock-emulator/"...), n, 10))
	sum[6] = sum[6]&0x0f | 0x40
	sum[8] = sum[8]&0x3f | 0x80
	var id [36]byte
	hex.Encode(id[0:8], sum[0:4])
	hex.Encode(id[9:13], sum[4:6])
	hex.Encode(id[14:18], sum[6:8])
	hex.Encode(id[19:23], sum[8:10])
	hex.Encode(id[24:36], sum[10:16])
	id[8], id[13], id[18], id[23] = '-', '-', '-', '-'
	return string(id[:])
}

// writeError writes e as Bedrock does (docs/wire-facts.md §2.3): its status, x-amzn-ErrorType, and
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
