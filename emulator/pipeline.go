package emulator

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream/eventstreamapi"

	"github.com/bedrock-emulator/bedrock-emulator/internal/api"
	"github.com/bedrock-emulator/bedrock-emulator/internal/catalog"
	"github.com/bedrock-emulator/bedrock-emulator/internal/redact"
	"github.com/bedrock-emulator/bedrock-emulator/internal/spec"
)

// Every operation goes through one pipeline (handler.serve): a request ID, authentication,
// the body read, then either the operation's own answer (CountTokens, ApplyGuardrail, the
// unsupported operations), or its decoding into a Call, the behaviour chain and the
// rendering of the Reply (Converse, ConverseStream, InvokeModel and its stream); one adapter
// (handler.write) writes the answer or the modeled error; then the journal and the log line.

// An operation is one entry of the pipeline: how it decodes and renders, or answers on its own.
type operation struct {
	// decode turns a request into the Call the behaviours are asked about. A body that does
	// not decode is a Call with Err set, which a recording may still answer; the *Error
	// returned is answered as it is (a path that does not decode).
	decode func(h *handler, x *exchange) (*Call, *Error)
	// validate checks a decoded call (the validation link calls it): its model, its
	// request, the guardrail it names.
	validate func(h *handler, call *Call) *Error
	// render turns the chain's reply, completed and not recorded, into the answer.
	render func(call *Call, reply *Reply) answer
	// serve answers, instead of decode and render, an operation no behaviour is asked about.
	serve func(h *handler, x *exchange) (answer, *Error)
	// control says the operation is the bedrock control plane's: its URI and query members
	// are checked against botocore's bedrock model (checkParams) before serve.
	control bool
}

// operations are the pipeline's entries, by operation name; every operation of api.Routes
// has one (routes_internal_test.go holds them to it).
var operations = map[string]*operation{
	api.Converse:                           converse,
	api.ConverseStream:                     converse,
	api.InvokeModel:                        invoke,
	api.InvokeModelWithResponseStream:      invoke,
	api.CountTokens:                        {serve: (*handler).countTokens},
	api.ApplyGuardrail:                     {serve: (*handler).applyGuardrail},
	api.InvokeModelWithBidirectionalStream: {serve: unsupported},
	api.StartAsyncInvoke:                   {serve: unsupported},
	api.ListAsyncInvokes:                   {serve: unsupported},
	api.GetAsyncInvoke:                     {serve: unsupported},
	api.ListFoundationModels:               {serve: (*handler).listFoundationModels, control: true},
	api.GetFoundationModel:                 {serve: (*handler).getFoundationModel, control: true},
	api.ListInferenceProfiles:              {serve: (*handler).listInferenceProfiles, control: true},
	api.GetInferenceProfile:                {serve: (*handler).getInferenceProfile, control: true},
	api.CreateGuardrail:                    {serve: (*handler).createGuardrail, control: true},
	api.GetGuardrail:                       {serve: (*handler).getGuardrail, control: true},
	api.ListGuardrails:                     {serve: (*handler).listGuardrails, control: true},
	api.UpdateGuardrail:                    {serve: (*handler).updateGuardrail, control: true},
	api.DeleteGuardrail:                    {serve: (*handler).deleteGuardrail, control: true},
	api.CreateGuardrailVersion:             {serve: (*handler).createGuardrailVersion, control: true},
}

var (
	converse = &operation{decode: (*handler).decodeConverse, validate: (*handler).validateConverse, render: renderConverse}
	invoke   = &operation{decode: (*handler).decodeInvoke, validate: (*handler).validateInvoke, render: renderInvoke}
)

// exchange is one request on its way through the pipeline.
type exchange struct {
	op   string
	o    *operation
	r    *http.Request
	vars api.Vars // the path's variables, still escaped
	// badModelID says the path's {modelId} does not URL-decode (entry.ModelID is then "").
	badModelID bool
	body       []byte
	// bodyJSON is set once the body is known to be JSON (it decoded).
	bodyJSON bool
	// entry is the request's journal entry, filled in as the pipeline learns it.
	entry Entry
}

// answer is what an operation answers: a JSON body, an event stream or a recorded response.
type answer struct {
	// header holds headers to send besides Content-Type and Content-Length.
	header http.Header
	// body is a JSON body, sent with status (0 means 200).
	body   []byte
	status int
	// events, when set, are sent as an event stream shaped by shape.
	events iter.Seq[event]
	shape  StreamShape
	// recorded, when set, is written as it was recorded instead.
	recorded *Recorded
	// journal is the response the journal keeps; nil means body.
	journal []byte
	// live, when set, gives the journal's response once a live reply's events are written
	// (nil if it did not complete).
	live func() []byte
}

// handler serves the Bedrock Runtime routes of one emulator.
type handler struct {
	opts   Options
	models *catalog.Catalog
	// next[i] asks the behaviour chain from its i-th link on.
	next []Next
	seq  atomic.Int64
	// idSeed seeds the request IDs: Options.RequestIDSeed, or random bytes.
	idSeed  string
	cache   promptCache
	journal *journal
	// guardrails and prompts are the definitions guardrail.go and prompt.go apply.
	guardrails *registry[*Guardrail]
	prompts    *registry[*Prompt]
	// stopping ends when the server starts to shut down (stop), so that long polls answer
	// at once instead of holding the shutdown.
	stopping context.Context
	stop     context.CancelFunc
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
	guardrails, err := checked(o.Guardrails)
	if err != nil {
		return nil, err
	}
	prompts, err := checked(o.Prompts)
	if err != nil {
		return nil, err
	}
	h := &handler{opts: o, models: models, journal: newJournal(o.JournalSize, o.JournalBytes),
		guardrails: newRegistry(guardrails), prompts: newRegistry(prompts), idSeed: o.RequestIDSeed}
	h.stopping, h.stop = context.WithCancel(context.Background())
	if h.idSeed == "" {
		h.idSeed = rand.Text()
	}
	h.next = h.chain()
	return h, nil
}

// chain links the behaviours in the order Behaviour's doc gives.
func (h *handler) chain() []Next {
	links := slices.Concat([]Behaviour{prompts{h}, validation{h}}, h.opts.Recordings,
		[]Behaviour{raise{}, guardrails{h}, completion{h}}, h.opts.Behaviours)
	if h.opts.Fallback != nil {
		links = append(links, h.opts.Fallback)
	}
	if h.opts.Upstream != nil {
		links = append(links, h.opts.Upstream)
	}
	links = append(links, generator{tools: h.opts.Tools})
	next := make([]Next, len(links)+1)
	for i, b := range links {
		next[i] = func(ctx context.Context, call *Call) (*Reply, error) { return h.ask(ctx, b, call, next[i+1]) }
	}
	next[len(links)] = func(context.Context, *Call) (*Reply, error) { return nil, errNoAnswer }
	return next
}

var errNoAnswer = &Error{Type: "InternalServerException", Status: http.StatusInternalServerError, Message: "bedrock-emulator: no behaviour answered"}

// serve is the pipeline: it answers one request of operation op, whose escaped path is path
// and path variables vars.
func (h *handler) serve(op string, w http.ResponseWriter, r *http.Request, path string, vars api.Vars) {
	start := time.Now()
	seq := h.seq.Add(1)
	id := requestID(h.idSeed, seq)
	w.Header()["x-amzn-RequestId"] = []string{id}
	w.Header().Set("Connection", "keep-alive")

	x := &exchange{op: op, r: r, vars: vars, entry: Entry{Seq: seq, RequestID: id, Time: start, Operation: op,
		Method: r.Method, Path: path, header: flatHeader(r.Header),
		Status: http.StatusOK, TestID: r.Header.Get(TestIDHeader)}}
	entry := &x.entry
	// Decoded once, for the operation (model) and for the log and the journal, also when the
	// request is refused.
	var err error
	entry.ModelID, err = url.PathUnescape(vars.Get("modelId"))
	x.badModelID = err != nil
	a, e := h.answer(x)
	h.write(w, r, a, e, entry)
	h.log(r, entry)
	if entry.Dropped {
		breakConnection(w)
	}
}

// answer authenticates and reads a request, and answers it as its operation says.
func (h *handler) answer(x *exchange) (answer, *Error) {
	if e := h.authenticate(x.r); e != nil {
		x.entry.AnsweredBy = "authentication"
		return answer{}, e
	}
	if len(x.entry.TestID) > MaxTestIDBytes {
		x.entry.AnsweredBy, x.entry.TestID = "test ID", x.entry.TestID[:MaxTestIDBytes]
		// The emulator's own error (Bedrock has no test IDs), in a ValidationException so
		// that SDKs do not retry it.
		return answer{}, validationError("bedrock-emulator: the %s header is longer than %d bytes", TestIDHeader, MaxTestIDBytes)
	}
	body, err := readBody(x.r, h.opts.MaxBodyBytes)
	if err != nil {
		x.entry.AnsweredBy = "body read"
		return answer{}, bodyError(err)
	}
	x.body = body
	defer func() {
		if x.bodyJSON {
			x.entry.Request = body
		} else {
			x.entry.Request = journalBody(body)
		}
	}()
	o := operations[x.op]
	x.o = o
	if o.control {
		if e := checkParams(x); e != nil {
			return answer{}, e
		}
	}
	if o.serve != nil {
		return o.serve(h, x)
	}
	call, e := o.decode(h, x)
	if e != nil {
		return answer{}, e
	}
	reply, e := h.respond(x.r.Context(), call)
	x.entry.AnsweredBy = call.AnsweredBy
	if e != nil && e.inStream && x.op == api.ConverseStream {
		// The model's own validation comes inside the stream (modelStreamError).
		return answer{events: func(func(event) bool) {}, shape: StreamShape{Fail: e}}, nil
	}
	if e != nil {
		return answer{}, e
	}
	if reply.Recorded != nil {
		return answer{recorded: reply.Recorded}, nil
	}
	return o.render(call, reply), nil
}

// write is the one adapter from what the pipeline answered to the wire: the modeled error,
// the recorded response, the event stream or the JSON body, with their status and headers.
// It journals the request before the client can have all of the answer, so that a client
// that has it finds the request in the journal: an error or a body, generated or recorded,
// before writing it; a stream after writing its frames but before its end, which net/http
// sends when the handler returns. A stream's last frame is not flushed when it is an
// exception (at which clients stop reading) or a recorded stream's last: it goes with the
// end, unless it is larger than net/http's buffers (a few KiB).
func (h *handler) write(w http.ResponseWriter, r *http.Request, a answer, e *Error, entry *Entry) {
	switch {
	case e != nil:
		entry.Status = e.HTTPStatus()
		entry.Error = &JournalError{Type: e.Type, Message: e.Message}
		h.record(entry)
		writeError(w, e)
		return
	case a.recorded != nil:
		rec := a.recorded
		entry.Status, entry.Response, entry.Events = rec.status(), journalBody(rec.Body), len(rec.Frames)
		if rec.Frames == nil {
			h.record(entry) // a body, journaled before it is written
			writeRecorded(r.Context(), w, rec, nil)
			return
		}
		var log frameLog
		writeRecorded(r.Context(), w, rec, &log)
		entry.Stream = log.frames()
	case a.events != nil:
		for k, v := range a.header {
			w.Header()[k] = v
		}
		entry.Response = a.journal
		counted := func(yield func(event) bool) {
			for ev := range a.events {
				if !yield(ev) {
					return
				}
				entry.Events++
			}
		}
		var log frameLog
		switch end, e := writeStream(r.Context(), w, counted, a.shape, a.live != nil, &log); end {
		case streamFailed:
			entry.Error = &JournalError{Type: e.Type, Message: e.Message}
		case streamDropped:
			entry.Dropped = true
		}
		entry.Stream = log.frames()
		if a.live != nil {
			entry.Response = a.live()
		}
	default:
		for k, v := range a.header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(a.body)))
		entry.Response = a.body
		if a.journal != nil {
			entry.Response = a.journal
		}
		if a.status != 0 {
			entry.Status = a.status
		}
		h.record(entry)
		w.WriteHeader(entry.Status)
		w.Write(a.body)
		return
	}
	h.record(entry)
}

// log writes a request's line: at info level, what was asked and answered, and who
// answered; at debug level also its headers and bodies, credentials redacted.
func (h *handler) log(r *http.Request, e *Entry) {
	ctx, l := r.Context(), h.opts.Logger
	if !l.Enabled(ctx, slog.LevelInfo) {
		return
	}
	// Room for every attribute below, so that appending them never copies the slice.
	attrs := make([]slog.Attr, 0, 11)
	attrs = append(attrs, slog.String("op", e.Operation), slog.String("model", e.ModelID), slog.Int("status", e.Status),
		slog.String("requestId", e.RequestID), slog.Duration("duration", e.Duration))
	if e.TestID != "" {
		attrs = append(attrs, slog.String("testId", e.TestID))
	}
	if e.AnsweredBy != "" {
		attrs = append(attrs, slog.String("answeredBy", e.AnsweredBy))
	}
	if e.Events > 0 || strings.HasSuffix(e.Operation, "Stream") {
		attrs = append(attrs, slog.Int("events", e.Events))
	}
	if e.Dropped {
		attrs = append(attrs, slog.Bool("dropped", true))
	}
	if e.Error != nil {
		attrs = append(attrs, slog.String("errorType", e.Error.Type), slog.String("error", e.Error.Message))
	}
	// The record Logger.LogAttrs would make, but with no caller (pc 0): the caller would
	// always be this function, and finding it (runtime.Callers) cost a fifth of the line
	// (perf, issue 19).
	rec := slog.NewRecord(time.Now(), slog.LevelInfo, "request", 0)
	rec.AddAttrs(attrs...)
	l.Handler().Handle(ctx, rec)
	if l.Enabled(ctx, slog.LevelDebug) {
		l.LogAttrs(ctx, slog.LevelDebug, "request bodies", slog.String("requestId", e.RequestID),
			slog.String("method", e.Method), slog.String("path", e.Path),
			slog.Any("header", journalHeader(r.Header)),
			slog.String("request", debugBody(e.Request, r.Header)), slog.String("response", debugBody(e.Response, r.Header)))
	}
}

// maxJournalHeader caps the bytes of header names and values an entry keeps.
const maxJournalHeader = 16 << 10

// journalHeader is h as the journal and the debug log line keep it: a copy, as keptHeader
// makes it.
func journalHeader(h http.Header) http.Header { return keptHeader(h.Clone()) }

// keptHeader makes h, which the caller gives up, what the journal keeps: its credentials
// redacted (internal/redact), at most maxJournalHeader bytes of names and values: past them,
// the headers left out (in name order) are counted in X-Bedrock-Emulator-Omitted.
func keptHeader(h http.Header) http.Header {
	if headerBytes(h) > maxJournalHeader {
		n, omitted := 0, 0
		for _, k := range slices.Sorted(maps.Keys(h)) {
			if size := fieldBytes(k, h[k]); n+size <= maxJournalHeader {
				n += size
				continue
			}
			omitted++
			delete(h, k)
		}
		h.Set("X-Bedrock-Emulator-Omitted", fmt.Sprintf("%d headers past %d bytes", omitted, maxJournalHeader))
	}
	redact.Header(h)
	return h
}

// maxDebugBody caps a body in a debug log line.
const maxDebugBody = 16 << 10

// debugBody is a body for a debug line: the secrets the request's headers carry redacted,
// cut at maxDebugBody.
func debugBody(b []byte, header http.Header) string {
	s := redact.Text(string(b), header)
	if len(s) > maxDebugBody {
		s = fmt.Sprintf("%s… (%d more bytes)", s[:maxDebugBody], len(s)-maxDebugBody)
	}
	return s
}

// record journals a request.
func (h *handler) record(entry *Entry) {
	entry.Duration = time.Since(entry.Time)
	h.journal.add(*entry)
}

// respond asks the behaviour chain about a call.
func (h *handler) respond(ctx context.Context, call *Call) (*Reply, *Error) {
	reply, err := h.next[0](ctx, call)
	if err != nil {
		return nil, asError(err)
	}
	return reply, nil
}

// asError is err as the modeled error it is answered as: an *Error, possibly wrapped, as
// it is; any other error as an InternalServerException.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Type: "InternalServerException", Status: http.StatusInternalServerError, Message: err.Error()}
}

// ask asks one link of the chain for a reply, next being the rest of the chain. A link
// that answers nothing, or a reply that cannot be rendered, is an InternalServerException
// that says so. A panic in it becomes an InternalServerException that says so, and a log
// line with the stack; a panic with http.ErrAbortHandler goes on, to break the connection as
// net/http does.
func (h *handler) ask(ctx context.Context, b Behaviour, call *Call, next Next) (reply *Reply, err error) {
	defer func() {
		v := recover()
		if !handled(v) {
			return
		}
		call.AnsweredBy = linkName(b)
		h.opts.Logger.Error("behaviour panicked", "requestId", call.RequestID, "behaviour", fmt.Sprintf("%T", b),
			"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		reply, err = nil, &Error{Type: "InternalServerException", Status: http.StatusInternalServerError,
			Message: fmt.Sprintf("bedrock-emulator: behaviour %T panicked: %v", b, v)}
	}()
	reply, err = b.Respond(ctx, call, next)
	if call.AnsweredBy == "" && (reply != nil || err != nil) {
		call.AnsweredBy = linkName(b)
	}
	switch {
	case err != nil:
		return nil, err
	case reply == nil:
		return nil, errNoAnswer
	}
	if err := reply.check(); err != nil {
		return nil, &Error{Type: "InternalServerException", Status: http.StatusInternalServerError, Message: "bedrock-emulator: invalid reply: " + err.Error()}
	}
	return reply, nil
}

// linkName is how Call.AnsweredBy names a link that answered without naming itself.
func linkName(b Behaviour) string {
	switch b.(type) {
	case generator:
		return "generator"
	case guardrails:
		return "guardrail"
	}
	return fmt.Sprintf("%T", b)
}

// call is the Call of a request to a model.
func (x *exchange) call(modelID string) *Call {
	return &Call{Operation: x.op, ModelID: modelID, Body: x.body, Header: x.r.Header,
		RequestID: x.entry.RequestID, Seq: x.entry.Seq, TestID: x.entry.TestID, op: x.o}
}

// model is the URL-decoded {modelId} of the request's path, which serve decoded.
func (x *exchange) model() (string, *Error) {
	if x.badModelID {
		return "", validationError(catalog.InvalidModelMessage)
	}
	return x.entry.ModelID, nil
}

// readBody reads r's body, at most limit bytes. Its buffer grows with what arrives, never
// ahead of it: a Content-Length is only a claim, and a client that declares 25 MiB and sends
// one byte must not make the emulator hold 25 MiB (issue 13). The declared length only
// stops the buffer growing past it, so an honest large body is copied a few times at most.
func readBody(r *http.Request, limit int64) ([]byte, error) {
	body := http.MaxBytesReader(nil, r.Body, limit)
	n := r.ContentLength
	if n < 0 || n > limit {
		n = limit
	}
	// +1: room to read the end of the body without growing.
	b := make([]byte, 0, min(n+1, initialBodyBuffer))
	for {
		m, err := body.Read(b[len(b):cap(b)])
		b = b[:len(b)+m]
		switch {
		case err == io.EOF:
			return b, nil
		case err != nil:
			return b, err
		case len(b) == cap(b):
			// Double what has arrived, up to the declared length (+1 to see its end) while
			// the body keeps to it.
			size := 2 * int64(cap(b))
			if int64(cap(b)) < n+1 {
				size = min(size, n+1)
			}
			grown := make([]byte, len(b), size)
			copy(grown, b)
			b = grown
		}
	}
}

// initialBodyBuffer is the most readBody allocates before any byte of the body arrives.
const initialBodyBuffer = 32 << 10

// bodyError is the answer to a request body that could not be read: too large, not sent in
// time, or cut off.
func bodyError(err error) *Error {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return validationError(msgInputTooLong)
	case errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded):
		// unverified: Bedrock's answer to a body that never arrives was not found.
		return serializationError("The request body was not received in time.")
	}
	// unverified: a body cut off before its Content-Length ("unexpected EOF").
	return serializationError(err.Error())
}

// journalBody is body when it is JSON (the journal keeps JSON only), else nil.
func journalBody(body []byte) json.RawMessage {
	if json.Valid(body) {
		return body
	}
	return nil
}

// writeError writes e as Bedrock does (docs/wire-facts.md §2.3): its status, x-amzn-ErrorType,
// and a compact {"message":…} body.
func writeError(w http.ResponseWriter, e *Error) {
	body := errorBody(e)
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h["x-amzn-ErrorType"] = []string{e.errorTypeHeader()}
	w.WriteHeader(e.HTTPStatus())
	w.Write(body)
}

// writeRecorded writes a recorded response: its body, or its frames paced as recorded and
// recorded in log (its last frame not flushed: handler.write). Reply.check made sure its
// status is one.
func writeRecorded(ctx context.Context, w http.ResponseWriter, rec *Recorded, log *frameLog) {
	for k, v := range rec.Header {
		switch http.CanonicalHeaderKey(k) {
		case "Date", "Content-Length", "Transfer-Encoding":
			continue
		}
		w.Header()[k] = v
	}
	status := rec.status()
	if rec.Frames == nil {
		w.Header().Set("Content-Length", strconv.Itoa(len(rec.Body)))
		w.WriteHeader(status)
		w.Write(rec.Body)
		return
	}
	w.WriteHeader(status)
	rc := http.NewResponseController(w)
	dec := eventstream.NewDecoder()
	start := time.Now()
	for i, f := range rec.Frames {
		if wait := f.At - time.Since(start); wait > 0 && !pause(ctx, rc, wait) {
			return
		}
		at := time.Since(start)
		last := i == len(rec.Frames)-1 // sent with the end of the response (handler.write)
		if _, err := w.Write(f.Bytes); err != nil || !last && rc.Flush() != nil {
			return
		}
		typ, payload := decodeFrame(dec, f.Bytes)
		log.add(typ, at, payload)
	}
}

// decodeFrame returns the :event-type (or :exception-type) of a recorded frame, and its
// payload when it is JSON; "" and nil for bytes that are not a frame.
func decodeFrame(dec *eventstream.Decoder, b []byte) (string, []byte) {
	msg, err := dec.Decode(bytes.NewReader(b), nil)
	if err != nil {
		return "", nil
	}
	typ := msg.Headers.Get(eventstreamapi.EventTypeHeader)
	if typ == nil {
		typ = msg.Headers.Get(eventstreamapi.ExceptionTypeHeader)
	}
	var name string
	if typ != nil {
		name = typ.String()
	}
	if !json.Valid(msg.Payload) {
		return name, nil
	}
	return name, msg.Payload
}

// requestID is the n-th x-amzn-RequestId: a lowercase UUID, as Bedrock's, derived from seed
// and n, so that a seed repeats a run's IDs (Options.RequestIDSeed).
func requestID(seed string, n int64) string {
	var in [128]byte
	// seed "bedrock-emulator" gives the IDs of the emulator's first versions, which the
	// golden files under testdata/ hold.
	sum := sha256.Sum256(strconv.AppendInt(append(append(in[:0], seed...), '/'), n, 10))
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
		case sh.Pattern != "" && !spec.Matches(sh.Pattern, v):
			vs = append(vs, spec.Violation{Kind: spec.KindPattern, Path: mem.Name, Value: "'" + v + "'",
				Constraint: "Member must satisfy regular expression pattern: " + sh.Pattern})
		}
	}
	if len(vs) == 0 {
		return nil
	}
	return validationError("%s", spec.Message(vs))
}
