package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/bedrock-emulator/bedrock-emulator/internal/api"
	"github.com/bedrock-emulator/bedrock-emulator/internal/catalog"
	"github.com/bedrock-emulator/bedrock-emulator/internal/spec"
)

// Operations the emulator serves besides Converse and ConverseStream. Behaviours see
// OpInvokeModel and OpInvokeModelWithResponseStream in Call.Operation; the others are
// answered without them and appear in the journal only.
const (
	OpInvokeModel                   = api.InvokeModel
	OpInvokeModelWithResponseStream = api.InvokeModelWithResponseStream
	OpCountTokens                   = api.CountTokens
	OpApplyGuardrail                = api.ApplyGuardrail
)

// answer is what an operation served by operation answers: a JSON body, or a stream that
// writes itself.
type answer struct {
	// header holds headers to send besides Content-Type and Content-Length.
	header http.Header
	// body is a JSON body, sent with status 200.
	body []byte
	// stream, when set, writes the whole response instead, and says how it ended; fail is
	// the exception it ends with when it fails.
	stream func(ctx context.Context, w http.ResponseWriter) streamEnd
	fail   *Error
	// recorded, when set, is written as it was recorded instead.
	recorded *Recorded
	// journal is the response the journal keeps; nil means body.
	journal []byte
}

// operation serves one operation with the framing every Bedrock operation shares: a request
// ID, authentication, an error answered as Bedrock does, the journal and the log line.
// serve fills in entry.ModelID and entry.Request as it learns them.
func (h *handler) operation(op string, serve func(ctx context.Context, r *http.Request, entry *Entry) (*answer, *Error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		seq := h.seq.Add(1)
		id := requestID(seq)
		w.Header()["x-amzn-RequestId"] = []string{id}
		w.Header().Set("Connection", "keep-alive")

		entry := Entry{Seq: seq, RequestID: id, Time: start, Operation: op, Status: http.StatusOK}
		var a *answer
		e := h.authenticate(r)
		if e == nil {
			a, e = serve(r.Context(), r, &entry)
		}
		switch {
		case e != nil:
			entry.Status = e.HTTPStatus()
			entry.Error = &JournalError{Type: e.Type, Message: e.Message}
			writeError(w, e)
		case a.recorded != nil:
			entry.Status = writeRecorded(r.Context(), w, a.recorded)
			entry.Response = journalBody(a.recorded.Body)
		case a.stream != nil:
			for k, v := range a.header {
				w.Header()[k] = v
			}
			switch a.stream(r.Context(), w) {
			case streamFailed:
				entry.Error = &JournalError{Type: a.fail.Type, Message: a.fail.Message}
			case streamDropped:
				entry.Dropped = true
			}
			entry.Response = a.journal
		default:
			for k, v := range a.header {
				w.Header()[k] = v
			}
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", strconv.Itoa(len(a.body)))
			w.WriteHeader(http.StatusOK)
			w.Write(a.body)
			entry.Response = a.body
			if a.journal != nil {
				entry.Response = a.journal
			}
		}
		entry.Duration = time.Since(start)
		h.journal.add(entry)
		h.opts.Logger.Info("request", "op", op, "model", entry.ModelID, "status", entry.Status,
			"requestId", id, "duration", entry.Duration)
		if entry.Dropped {
			breakConnection(w)
		}
	}
}

// readBody reads a request body up to Options.MaxBodyBytes.
func (h *handler) readBody(r *http.Request) ([]byte, *Error) {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, h.opts.MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, validationError(msgInputTooLong)
		}
		return nil, serializationError(err.Error())
	}
	return body, nil
}

// pathModel is the URL-decoded {modelId} of a request path.
func pathModel(r *http.Request) (string, *Error) {
	id, err := url.PathUnescape(mux.Vars(r)["modelId"])
	if err != nil {
		return "", validationError(catalog.InvalidModelMessage)
	}
	return id, nil
}

// journalBody is body when it is JSON (the journal keeps JSON only), else nil.
func journalBody(body []byte) json.RawMessage {
	if json.Valid(body) {
		return body
	}
	return nil
}

// validateBoundMembers checks the values of the members an operation binds to its URI or to
// headers (by member name; absent ones are left out) against their patterns and enums in
// the API model, answering as the service's request layer does. The body validator,
// internal/spec, checks body members only.
func validateBoundMembers(op string, values map[string]string) *Error {
	m := spec.Model()
	o, ok := m.Operation(op)
	if !ok {
		return nil
	}
	in, _ := m.Shape(o.Input)
	var vs []spec.Violation
	for _, mem := range in.Members {
		v, ok := values[mem.Name]
		if !ok || mem.Location != "uri" && mem.Location != "header" {
			continue
		}
		sh, _ := m.Shape(mem.Target)
		switch {
		case sh == nil:
		case sh.Enum != nil && !slices.Contains(sh.Enum, v):
			vs = append(vs, spec.Violation{Kind: spec.KindEnum, Path: mem.Name, Value: "'" + v + "'",
				Constraint: "Member must satisfy enum value set: [" + strings.Join(sh.Enum, ", ") + "]"})
		case sh.Pattern != "" && !regexp.MustCompile(`^(?:`+sh.Pattern+`)$`).MatchString(v):
			vs = append(vs, spec.Violation{Kind: spec.KindPattern, Path: mem.Name, Value: "'" + v + "'",
				Constraint: "Member must satisfy regular expression pattern: " + sh.Pattern})
		}
	}
	if len(vs) == 0 {
		return nil
	}
	return validationError("%s", spec.Message(vs))
}

// runtimeRoutes adds the operations besides Converse and ConverseStream, and the admin
// endpoints of guardrails and prompts.
func (h *handler) runtimeRoutes(r, admin *mux.Router) {
	r.HandleFunc("/model/{modelId}/invoke", h.operation(OpInvokeModel, h.invoke(OpInvokeModel))).Methods(http.MethodPost)
	r.HandleFunc("/model/{modelId}/invoke-with-response-stream",
		h.operation(OpInvokeModelWithResponseStream, h.invoke(OpInvokeModelWithResponseStream))).Methods(http.MethodPost)
	r.HandleFunc("/model/{modelId}/count-tokens", h.operation(OpCountTokens, h.countTokens)).Methods(http.MethodPost)
	r.HandleFunc("/guardrail/{guardrailIdentifier}/version/{guardrailVersion}/apply",
		h.operation(OpApplyGuardrail, h.applyGuardrail)).Methods(http.MethodPost)
	r.HandleFunc("/model/{modelId}/invoke-with-bidirectional-stream",
		h.operation("InvokeModelWithBidirectionalStream", h.unsupported("InvokeModelWithBidirectionalStream"))).Methods(http.MethodPost)
	r.HandleFunc("/async-invoke", h.operation("StartAsyncInvoke", h.unsupported("StartAsyncInvoke"))).Methods(http.MethodPost)
	r.HandleFunc("/async-invoke", h.operation("ListAsyncInvokes", h.unsupported("ListAsyncInvokes"))).Methods(http.MethodGet)
	r.HandleFunc("/async-invoke/{invocationArn}", h.operation("GetAsyncInvoke", h.unsupported("GetAsyncInvoke"))).Methods(http.MethodGet)

	adminRoutes(admin, "guardrails", h.guardrails)
	adminRoutes(admin, "prompts", h.prompts)
}
