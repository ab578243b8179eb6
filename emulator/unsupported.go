package emulator

import (
	"context"
	"io"
	"net/http"
)

// The operations of the Bedrock Runtime API model the emulator does not emulate answer a
// ValidationException (HTTP 400, modeled for each of them) that says so, rather than the
// UnknownOperationException Bedrock gives a path it does not serve: an SDK then reports a
// clear, modeled error, and a test fails saying why.
var unsupportedOps = []string{
	"StartAsyncInvoke", "GetAsyncInvoke", "ListAsyncInvokes", "InvokeModelWithBidirectionalStream",
}

// msgUnsupported is the emulator's own message (Bedrock serves these operations).
const msgUnsupported = "bedrock-emulator does not support %s. It emulates Converse, ConverseStream, InvokeModel, InvokeModelWithResponseStream, CountTokens and ApplyGuardrail."

// unsupported answers op with msgUnsupported, after authenticating the request as every
// operation does.
func (h *handler) unsupported(op string) func(context.Context, *http.Request, *Entry) (*answer, *Error) {
	return func(_ context.Context, r *http.Request, entry *Entry) (*answer, *Error) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, h.opts.MaxBodyBytes))
		entry.Request = journalBody(body)
		return nil, validationError(msgUnsupported, op)
	}
}
