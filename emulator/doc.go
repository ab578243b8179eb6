// Package emulator is a local stand-in for the Amazon Bedrock Runtime Converse and
// ConverseStream APIs that AWS SDKs cannot tell from the service: the same routes, status
// codes, headers, JSON (compact, keys in Bedrock's order), event-stream frames, error types
// and messages.
//
// A Server listens on a real port, in the shape of net/http/httptest: NewServer, URL, Close.
// NewHandler gives the same emulator as an http.Handler. Every request is authenticated
// (Options.Auth), decoded, checked against the API model (internal/spec), against Bedrock's
// conversation rules and against the model catalogue (internal/catalog), then answered by the
// first Behaviour that answers (Options.Behaviours), else by the default generator. The answer
// is one Reply, rendered as Converse JSON or as a ConverseStream event stream, so the two
// always agree.
//
// Where it differs from Bedrock, by design:
//   - Model output is simulated and deterministic: the default reply names the model and
//     quotes the last user turn, reports tool results, and calls a tool (with an input
//     synthesized from its JSON schema) when toolChoice forces one.
//   - Token counts are estimated (one token per four characters, 256 per media block), and
//     metrics.latencyMs is computed from the output length; nothing sleeps unless a
//     Behaviour's StreamShape asks for it.
//   - Request and tool use IDs come from a counter and the request, not from randomness.
//   - Signatures are not verified unless Options.Auth is AuthStrict, and HTTP header order
//     is Go's, not Bedrock's.
//   - Validation messages Bedrock was never seen sending are marked "unverified" in the
//     source; the rest are quoted from real answers.
package emulator
