package emulator

import (
	"context"
	"net/http"

	"github.com/bedrock-emulator/bedrock-emulator/internal/api"
	"github.com/bedrock-emulator/bedrock-emulator/internal/catalog"
)

// Operations the emulator serves.
const (
	OpConverse       = api.Converse
	OpConverseStream = api.ConverseStream
)

// Call is one request that passed validation, as behaviours see it (an Overruler also sees
// requests that did not).
type Call struct {
	// Operation is OpConverse, OpConverseStream, OpInvokeModel or
	// OpInvokeModelWithResponseStream. For the last two, Request is the Converse request
	// the native body amounts to, and Body the native body.
	Operation string
	// ModelID is the model identifier from the path, URL-decoded.
	ModelID string
	// Model is the catalogue entry ModelID resolved to.
	Model *catalog.Model
	// Request is the decoded request body.
	Request *ConverseRequest
	// Body is the request body as received, for behaviours that compare requests byte for
	// byte or canonically (cassette replay).
	Body []byte
	// Header holds the request's HTTP headers.
	Header http.Header
	// RequestID is the x-amzn-RequestId the reply carries.
	RequestID string
	// Seq counts the calls the server has received, from 1.
	Seq int64
}

// A Behaviour decides what the model answers to a call. Respond returns a Reply to answer,
// an error to answer with a modeled error (an *Error, possibly wrapped; any other error is
// answered as an InternalServerException), or (nil, nil) to let the next behaviour decide.
// Behaviours are consulted in order; the default generator answers whatever none does.
// Respond may be called concurrently.
type Behaviour interface {
	Respond(ctx context.Context, call *Call) (*Reply, error)
}

// BehaviourFunc adapts a function to a Behaviour.
type BehaviourFunc func(ctx context.Context, call *Call) (*Reply, error)

// Respond calls f.
func (f BehaviourFunc) Respond(ctx context.Context, call *Call) (*Reply, error) { return f(ctx, call) }

// An Amender is a Behaviour that may also change the reply that was decided for a call (by
// whichever behaviour answered, or the default generator) before it is rendered: fault
// injection uses it to break a stream whatever answers it. Amend is called, in chain
// order, on every Amender for every call answered with a reply, and may be called
// concurrently. A reply with Recorded set is written as recorded whatever Amend changes.
type Amender interface {
	Behaviour
	Amend(ctx context.Context, call *Call, reply *Reply)
}

// An Overruler is a Behaviour that answers from recordings of Bedrock itself (cassettes).
// The server also asks it about a request that its own validation rejects, before
// answering with its error: a recorded answer is Bedrock's, the emulator's validation only
// models it. Overrule returns the recorded reply to call (Recorded set), or nil to let the
// validation error stand; call.Model is nil then, and so is call.Request if the body did
// not decode. Overrule may be called concurrently.
type Overruler interface {
	Behaviour
	Overrule(ctx context.Context, call *Call) *Reply
}
