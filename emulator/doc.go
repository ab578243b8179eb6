// Package emulator is a local stand-in for the Amazon Bedrock Runtime Converse and
// ConverseStream APIs that AWS SDKs cannot tell from the service: the same routes, status
// codes, headers, JSON (compact, keys in Bedrock's order), event-stream frames, error types
// and messages.
//
// A Server listens on a real port, in the shape of net/http/httptest: NewServer, URL, Close.
// NewHandler gives the same emulator as an http.Handler. Every request goes through one
// pipeline: it is routed (internal/api's table of operations), authenticated (Options.Auth),
// decoded and checked against the API model (internal/spec), then handed to the behaviour
// chain (see Behaviour), whose first links resolve a prompt ARN and check the request
// against Bedrock's conversation rules and the model catalogue (internal/catalog); then
// recordings of Bedrock (Options.Recordings: cassettes) may answer, even a request those
// checks reject, and ahead of everything after them; then the guardrail the request names,
// Options.Behaviours in order (scripts, faults), a real model (Options.Upstream), and the default generator (Behaviour's doc
// gives the order). The answer is one Reply, rendered
// as Converse JSON or as a ConverseStream event stream, so the two always agree; the request
// and its answer are journaled (Server.Requests, Server.Wait).
//
// The rest of Bedrock Runtime that Converse users touch is served from the same parts:
// guardrails (Options.Guardrails, in Converse and ConverseStream guardrailConfig, in
// InvokeModel's guardrail headers, and ApplyGuardrail), Prompt management prompts named by
// ARN as a Converse modelId (Options.Prompts), CountTokens, and InvokeModel and
// InvokeModelWithResponseStream, which take and answer each provider's native body
// (Anthropic Claude, Amazon Nova and Titan Text, Meta Llama, Mistral, Cohere Command R) and
// ask the same behaviours. The admin API (/_emulator/guardrails, /_emulator/prompts)
// changes the definitions at run time. Async invoke and the bidirectional stream answer a
// ValidationException saying the emulator does not support them.
//
// On the same port, the control-plane calls that runtime code makes (the "bedrock" service,
// control.go and control_guardrail.go): ListFoundationModels, GetFoundationModel,
// ListInferenceProfiles and GetInferenceProfile, answered from the model catalogue, and
// guardrail CRUD and versions on the store that Options.Guardrails fills.
//
// Where it differs from Bedrock, by design:
//   - Model output is simulated and deterministic: the default reply names the model and
//     quotes the last user turn, reports tool results, and calls a tool (with an input
//     synthesized from its JSON schema) when toolChoice forces one, or, under toolChoice
//     auto, when the last user message makes one relevant: it names the tool ("get_weather"
//     or "get weather"), or a keyword of the tool's name ("weather"), or two keywords of its
//     description, a keyword being a word of four or more letters or digits that is not a
//     common word (what, with, returns, ...), compared without a common ending
//     ("calculate" names a calculator). Options.Tools (ToolsNever) turns that off. Asked for
//     reasoning, citations or structured output, it answers them in Bedrock's recorded
//     shapes (requested.go).
//   - Token counts are estimated (one token per four characters, 256 per media block), and
//     metrics.latencyMs is computed from the output length; nothing sleeps unless a
//     Behaviour's StreamShape asks for it.
//   - Tool use IDs come from the request, not from randomness; request IDs from a counter and
//     a seed drawn at start (Options.RequestIDSeed fixes it, for repeatable runs).
//   - Guardrails decide denied topics, content filters, managed word lists and PII that
//     needs a model (names, addresses) by the phrases each definition lists, as whole
//     words; custom words, regexes and fixed-form PII (e-mail, phone, card numbers, …)
//     match as Bedrock matches them. Coverage, units and latency are simulated.
//   - Signatures are not verified unless Options.Auth is AuthStrict, and HTTP header order
//     is Go's, not Bedrock's.
//   - Validation messages Bedrock was never seen sending are marked "unverified" in the
//     source; the rest are quoted from real answers.
package emulator
