package emulator

import (
	"context"
	"fmt"
	"net/http"

	"github.com/bedrock-emulator/bedrock-emulator/internal/api"
	"github.com/bedrock-emulator/bedrock-emulator/internal/catalog"
)

// Operations the emulator serves (the names of the API model, shared with the rest of the
// module through internal/api).
const (
	OpConverse                      = api.Converse
	OpConverseStream                = api.ConverseStream
	OpInvokeModel                   = api.InvokeModel
	OpInvokeModelWithResponseStream = api.InvokeModelWithResponseStream
	OpCountTokens                   = api.CountTokens
	OpApplyGuardrail                = api.ApplyGuardrail
)

// Call is one request as behaviours see it.
type Call struct {
	// Operation is OpConverse, OpConverseStream, OpInvokeModel or
	// OpInvokeModelWithResponseStream. For the last two, Request is the Converse request
	// the native body amounts to, and Body the native body.
	Operation string
	// ModelID is the model identifier from the path, URL-decoded.
	ModelID string
	// Model is the catalogue entry ModelID resolved to; nil when Err is set.
	Model *catalog.Model
	// Request is the decoded request body; nil when the body did not decode (Err is set).
	Request *ConverseRequest
	// Body is the request body as received, for behaviours that compare requests byte for
	// byte or canonically (cassette replay).
	Body []byte
	// Header holds the request's HTTP headers.
	Header http.Header
	// TestID is the test the request belongs to, from its TestIDHeader; empty for none.
	// Behaviours that count calls or keep modes (fixtures.Set) keep them per test ID, so
	// that tests sharing one emulator do not see each other's calls.
	TestID string
	// RequestID is the x-amzn-RequestId the reply carries.
	RequestID string
	// Seq counts the calls the server has received, from 1.
	Seq int64
	// AnsweredBy says which behaviour answered the call, for the log and the journal
	// (Entry.AnsweredBy): the link that answers sets it ("script agent.yaml:6 \"final
	// answer\"", "cassette real.yaml #0"); the chain sets "validation" for an error of the
	// emulator's validation, "generator" for the default generator's reply, and the
	// behaviour's type for a link that answers without setting it.
	AnsweredBy string
	// Err is what the emulator's own validation found wrong with the request, or nil. Only
	// the behaviours of Options.Recordings see a call with Err set: the chain raises it
	// after them (see Behaviour).
	Err *Error

	// op is the call's entry in the pipeline.
	op *operation
	// guard is the guardrail the request names, nil for none; format is the native format
	// of an InvokeModel call, nil for Converse.
	guard  *guardRun
	format nativeFormat
	// stop is the stop sequence that ended a native call's reply, if one did.
	stop string
}

// Next asks the rest of the behaviour chain about a call: the behaviours after the one it is
// given to and, last, the default generator, which always answers.
type Next func(ctx context.Context, call *Call) (*Reply, error)

// A Behaviour is one link of the chain that decides what the model answers to a call. Respond
// answers with a Reply, or with an error (an *Error, possibly wrapped, is answered as that
// modeled error; any other error as an InternalServerException), or asks the rest of the
// chain by calling next, and may change what it answers before returning it (fault
// injection breaks streams so). Respond may be called concurrently; a panic in it is
// answered as an InternalServerException that says so.
//
// The chain of one emulator is, in order:
//
//   - the resolution of a Converse call's model ID: a Prompt management prompt's ARN gives
//     the call the prompt's request and model (see Prompt);
//   - the emulator's validation of the call, which records what it finds in Call.Err;
//   - Options.Recordings: answers recorded from Bedrock itself (fixtures.Cassettes puts its
//     cassettes here). They see every authenticated call, also those the emulator's
//     validation rejected (Call.Err): a recorded answer is Bedrock's, the emulator's
//     validation only models it. So a recorded interaction beats every script, fault and
//     guardrail below it, whatever order they were installed in;
//   - the raising of Call.Err, when it is set;
//   - the guardrail the request names (it assesses the input, then the reply);
//   - the completion of the reply (stop sequences and maxTokens applied, usage, latency);
//   - Options.Behaviours, in order (scripts, faults, your own), then Options.Fallback;
//   - Options.Upstream, a real model, when set;
//   - the default generator.
//
// This is the one statement of the order; the package doc, the README and serve's help
// refer to it.
type Behaviour interface {
	Respond(ctx context.Context, call *Call, next Next) (*Reply, error)
}

// BehaviourFunc adapts a function to a Behaviour: the function answers a call, or returns
// (nil, nil) to let the rest of the chain answer it.
type BehaviourFunc func(ctx context.Context, call *Call) (*Reply, error)

// Respond calls f, and next when f does not answer.
func (f BehaviourFunc) Respond(ctx context.Context, call *Call, next Next) (*Reply, error) {
	reply, err := f(ctx, call)
	if reply == nil && err == nil {
		return next(ctx, call)
	}
	return reply, err
}

// validation is the link that checks a call as its operation says (operation.validate) and
// records what it finds wrong in Call.Err: the recordings after it may overrule it, raise
// answers it.
type validation struct{ h *handler }

func (l validation) Respond(ctx context.Context, call *Call, next Next) (*Reply, error) {
	if call.Err == nil {
		call.Err = call.op.validate(l.h, call)
	}
	return next(ctx, call)
}

// raise is the link that answers the error the emulator's validation found: the links
// before it (Options.Recordings) may answer an invalid call, those after it see valid calls
// only.
type raise struct{}

func (raise) Respond(ctx context.Context, call *Call, next Next) (*Reply, error) {
	if call.Err != nil {
		call.AnsweredBy = "validation"
		return nil, call.Err
	}
	return next(ctx, call)
}

// completion is the link that fills in what the reply of the links after it left to the
// emulator (see handler.complete). A live reply (Reply.Live) is completed when it ends: in
// a ConverseStream without a guardrail, as its stream ends; otherwise it is collected here
// first.
type completion struct{ h *handler }

func (l completion) Respond(ctx context.Context, call *Call, next Next) (*Reply, error) {
	reply, err := next(ctx, call)
	if err != nil || reply.Recorded != nil {
		return reply, err
	}
	if reply.Live != nil && (call.Operation != OpConverseStream || call.guard != nil) {
		if err := reply.collect(); err != nil {
			return nil, err
		}
	}
	if live := reply.Live; live != nil {
		reply.Live = func(yield func(string) bool) error {
			if err := live(yield); err != nil {
				return err
			}
			if err := reply.check(); err != nil {
				return fmt.Errorf("bedrock-emulator: invalid reply: %w", err)
			}
			// What was sent stays as it was: a live reply is not cut (Reply.Verbatim).
			reply.Verbatim = true
			l.h.complete(call, reply)
			return nil
		}
		return reply, nil
	}
	l.h.complete(call, reply)
	return reply, nil
}
