package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
)

// Call is a step's operation when it is not Converse or ConverseStream: InvokeModel,
// InvokeModelWithResponseStream, CountTokens, ApplyGuardrail or any other of Bedrock
// Runtime, or one of the bedrock control plane on the same endpoint (Control).
type Call struct {
	// Operation names the operation in reports, e.g. "InvokeModel".
	Operation string
	// Native says the response body (or each stream chunk) is the model's own, as
	// InvokeModel's is, so Bedrock's JSON form (sorted keys) is not checked in it.
	Native bool
	// Control says the operation is the bedrock control plane's (Do sends it with
	// ControlClient): another service, whose JSON is checked to be JSON but not held to
	// Bedrock Runtime's key order, which no recording of it shows.
	Control bool
	// Do makes the call with the target's client c and opts, and returns the SDK's output,
	// a stream read to its end (see ReadChunks). in is the step's request as built for the
	// target: ModelId resolved, the guardrail of a GuardrailPlaceholder filled in, and
	// inferenceConfig.maxTokens capped where the target caps it. Do sends what of it
	// applies to its operation.
	Do func(ctx context.Context, c *bedrockruntime.Client, in *bedrockruntime.ConverseInput, opts ...func(*bedrockruntime.Options)) (any, error)
}

// Chunks are the payloads of an InvokeModelWithResponseStream answer's chunk events, in
// order, as Call.Do returns them.
type Chunks [][]byte

// ReadChunks reads an InvokeModelWithResponseStream answer to its end: the chunks' bytes,
// and the error the stream ended with.
func ReadChunks(out *bedrockruntime.InvokeModelWithResponseStreamOutput) (Chunks, error) {
	s := out.GetStream()
	defer s.Close()
	var chunks Chunks
	for ev := range s.Events() {
		if c, ok := ev.(*types.ResponseStreamMemberChunk); ok {
			chunks = append(chunks, c.Value.Bytes)
		}
	}
	return chunks, s.Err()
}

// operation checks a successful answer to a Call step: the status, the request ID, and
// the wire form of a Bedrock-written JSON body or of an event stream.
func (c *checker) operation(s *Step, a *Answer) {
	if a.Status != http.StatusOK {
		c.addf("HTTP status %d, want 200", a.Status)
	}
	c.requestID(a.Header)
	switch ct := a.Header.Get("Content-Type"); {
	case ct == "application/vnd.amazon.eventstream":
		c.streamWire(a) // the chunk events' own payloads, {"bytes":…,"p":…}, are Bedrock's
	case ct != "application/json":
		c.addf("Content-Type %q, want application/json", ct)
	case s.Call.Native || s.Call.Control:
		if !json.Valid(a.Body) {
			c.addf("body is not JSON: %.200s", a.Body)
		}
	default:
		c.jsonForm("body", a.Body, documentPaths)
	}
}

// result returns a Call step's output as type T, or an error saying what it is instead.
func result[T any](a *Answer) (T, error) {
	v, ok := a.Result.(T)
	if !ok {
		var zero T
		return zero, fmt.Errorf("the %s call returned %T, want %T", a.Operation, a.Result, zero)
	}
	return v, nil
}
