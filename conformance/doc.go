// Package conformance is one catalogue of cases that runs against the emulator, any
// endpoint, real Amazon Bedrock, or a recording of it, to show that the emulator answers as
// Bedrock does and to keep it so.
//
// A Case is a request, or a conversation of several (tool loops included), sent through
// the AWS SDK for Go v2, and what must hold of each answer. What a case asserts holds for
// any correct Bedrock answer, never the model's words: every answer is checked for
// Bedrock's wire form (headers, compact JSON with sorted keys, raw UTF-8; event-stream
// frames with their headers in order and the "p" padding), the event order of a stream,
// usage that adds up, tool calls with well-formed unique IDs and inputs valid against the
// tool's schema, and, for errors, the exception type, HTTP status, x-amzn-ErrorType header,
// body and exact message. Each case adds its own expectations (stop reasons, tools
// called, strings a stopped text must not contain, …) in Expect.
//
// A Target says where cases go: InProcess starts an emulator, Endpoint names any URL,
// Bedrock uses AWS credentials from the default chain, Cassette replays a recording of real
// Bedrock offline, and Record records a run (against Bedrock, to refresh that recording).
// Run runs cases and returns a Result
// per case (pass, fail, skip, pending); Test runs them as subtests; Diff runs them against
// two targets and reports where their answers differ in structure. Cases returns the
// built-in catalogue; a user's own cases are values of the same type.
//
// Cases the emulator is known to fail until a feature lands carry a Pending reason: on a
// target that is not real Bedrock their failure is reported as pending, not as a failure.
// Real Bedrock is held to every case; a case whose model the account cannot use there is
// skipped, saying so.
//
// The package's tests run the suite against the in-process and the served emulator, and
// against emulators broken on purpose, which it must fail. See README.md for the flags
// that select the other targets, and the bedrock-emulator conformance command.
package conformance
