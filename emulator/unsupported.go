package emulator

// The operations of the Bedrock Runtime API model the emulator does not emulate
// (StartAsyncInvoke, GetAsyncInvoke, ListAsyncInvokes, InvokeModelWithBidirectionalStream)
// answer a ValidationException (HTTP 400, modeled for each of them) that says so, rather
// than the UnknownOperationException Bedrock gives a path it does not serve: an SDK then
// reports a clear, modeled error, and a test fails saying why.

// msgUnsupported is the emulator's own message (Bedrock serves these operations).
const msgUnsupported = "bedrock-emulator does not support %s. It emulates Converse, ConverseStream, InvokeModel, InvokeModelWithResponseStream, CountTokens and ApplyGuardrail."

// unsupported answers an operation the emulator does not emulate with msgUnsupported,
// after authenticating the request as every operation does.
func unsupported(_ *handler, x *exchange) (answer, *Error) {
	return answer{}, validationError(msgUnsupported, x.op)
}
