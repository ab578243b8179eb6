// Package api holds the facts of the Bedrock Runtime HTTP API that the emulator, the
// fixtures, the recorder and the cassette code share: the operation names, the table of
// operations and their paths, the largest request body, and the prefix of the emulator's
// own endpoints.
//
// The operations and their HTTP bindings are those of the API model,
// internal/spec/bedrock-runtime.json (botocore's bedrock-runtime/2023-09-30/service-2.json):
// each operation's "http" member gives its method and request URI.
package api

import (
	"net/url"
	"strings"
)

// The operations of the Bedrock Runtime API.
const (
	Converse                           = "Converse"
	ConverseStream                     = "ConverseStream"
	InvokeModel                        = "InvokeModel"
	InvokeModelWithResponseStream      = "InvokeModelWithResponseStream"
	InvokeModelWithBidirectionalStream = "InvokeModelWithBidirectionalStream"
	CountTokens                        = "CountTokens"
	ApplyGuardrail                     = "ApplyGuardrail"
	StartAsyncInvoke                   = "StartAsyncInvoke"
	ListAsyncInvokes                   = "ListAsyncInvokes"
	GetAsyncInvoke                     = "GetAsyncInvoke"
)

// The operations of the Bedrock control-plane API (the "bedrock" service) the emulator
// serves: the read calls for models and inference profiles, and guardrail CRUD (botocore's
// bedrock/2023-04-20/service-2.json; the paths and query names are those of the AWS SDK for
// Go's service/bedrock client, which is generated from the same model).
const (
	ListFoundationModels  = "ListFoundationModels"
	GetFoundationModel    = "GetFoundationModel"
	ListInferenceProfiles = "ListInferenceProfiles"
	GetInferenceProfile   = "GetInferenceProfile"

	CreateGuardrail        = "CreateGuardrail"
	GetGuardrail           = "GetGuardrail"
	ListGuardrails         = "ListGuardrails"
	UpdateGuardrail        = "UpdateGuardrail"
	DeleteGuardrail        = "DeleteGuardrail"
	CreateGuardrailVersion = "CreateGuardrailVersion"
)

// The services whose operations Routes lists, by their endpoint prefix: the runtime and
// the control plane share one port (their paths do not overlap) and one SigV4 signing name,
// "bedrock".
const (
	Runtime = "bedrock-runtime"
	Control = "bedrock"
)

// TestIDHeader is the request header that names the test a request belongs to: the
// emulator keeps the journal, script call counts, faults and strict mode of each test
// apart. Bedrock ignores no such header; it is the emulator's own.
const TestIDHeader = "X-Emulator-Test-Id"

// TestIDParam is the query parameter of the admin endpoints that reads or resets one
// test's part (?testId=…).
const TestIDParam = "testId"

// AdminPrefix is the path prefix of the emulator's own endpoints; no Bedrock path starts
// with it.
const AdminPrefix = "/_emulator"

// MaxBodyBytes is the largest request body Bedrock is taken to accept; a larger body is
// answered with a ValidationException, "Input is too long for requested model.".
// Bedrock documents per-block limits for Converse (images 3.75 MB, documents 4.5 MB) and a
// 20 MB payload for InvokeModel (docs.aws.amazon.com/bedrock/latest/userguide/
// model-parameters-anthropic-claude-messages-request-response.html), but no Converse request
// size. Measured (aws-solutions-library-samples/accelerated-intelligent-document-processing-
// on-aws#994, Claude, 2026): a 19.1 MB request passed and a 27.7 MB one got that
// ValidationException, whose full text is in #205 of the same repository. 25 MiB lies between.
const MaxBodyBytes = 25 << 20

// A Route is one operation's HTTP binding: its method and its path template, in the API
// model's (and gorilla/mux's) {name} form.
type Route struct {
	Operation string
	Method    string
	Path      string
	// Service is the service the operation belongs to: Runtime or Control.
	Service string
}

// Routes lists every operation the emulator routes with its binding, as the API models
// give them: those of Bedrock Runtime, then those of the control plane it serves.
var Routes = []Route{
	{Converse, "POST", "/model/{modelId}/converse", Runtime},
	{ConverseStream, "POST", "/model/{modelId}/converse-stream", Runtime},
	{InvokeModel, "POST", "/model/{modelId}/invoke", Runtime},
	{InvokeModelWithResponseStream, "POST", "/model/{modelId}/invoke-with-response-stream", Runtime},
	{InvokeModelWithBidirectionalStream, "POST", "/model/{modelId}/invoke-with-bidirectional-stream", Runtime},
	{CountTokens, "POST", "/model/{modelId}/count-tokens", Runtime},
	{ApplyGuardrail, "POST", "/guardrail/{guardrailIdentifier}/version/{guardrailVersion}/apply", Runtime},
	{StartAsyncInvoke, "POST", "/async-invoke", Runtime},
	{ListAsyncInvokes, "GET", "/async-invoke", Runtime},
	{GetAsyncInvoke, "GET", "/async-invoke/{invocationArn}", Runtime},
	{ListFoundationModels, "GET", "/foundation-models", Control},
	{GetFoundationModel, "GET", "/foundation-models/{modelIdentifier}", Control},
	{ListInferenceProfiles, "GET", "/inference-profiles", Control},
	{GetInferenceProfile, "GET", "/inference-profiles/{inferenceProfileIdentifier}", Control},
	{CreateGuardrail, "POST", "/guardrails", Control},
	{ListGuardrails, "GET", "/guardrails", Control},
	{GetGuardrail, "GET", "/guardrails/{guardrailIdentifier}", Control},
	{UpdateGuardrail, "PUT", "/guardrails/{guardrailIdentifier}", Control},
	{DeleteGuardrail, "DELETE", "/guardrails/{guardrailIdentifier}", Control},
	{CreateGuardrailVersion, "POST", "/guardrails/{guardrailIdentifier}", Control},
}

// Match finds the operation that serves method and path (the escaped path, as
// url.URL.EscapedPath gives it) and returns the path's variables, still escaped; a
// variable matches one non-empty path segment. ok is false when no operation does. It does
// not allocate.
func Match(method, path string) (op string, vars Vars, ok bool) {
	for _, rt := range Routes {
		if rt.Method == method && matchPath(rt.Path, path) {
			return rt.Operation, Vars{rt.Path, path}, true
		}
	}
	return "", Vars{}, false
}

// Vars are the variables of a path that matched a route's template, still escaped.
type Vars struct{ template, path string }

// Get returns the value of the variable name, or "" when the template has none of that
// name.
func (v Vars) Get(name string) string {
	for t, p := v.template, v.path; t != ""; {
		var ts, ps string
		ts, t = nextSegment(t)
		ps, p = nextSegment(p)
		if isVar(ts) && ts[1:len(ts)-1] == name {
			return ps
		}
	}
	return ""
}

// Map returns the variables by name; nil when there are none.
func (v Vars) Map() map[string]string {
	var m map[string]string
	for t, p := v.template, v.path; t != ""; {
		var ts, ps string
		ts, t = nextSegment(t)
		ps, p = nextSegment(p)
		if isVar(ts) {
			if m == nil {
				m = make(map[string]string, 2)
			}
			m[ts[1:len(ts)-1]] = ps
		}
	}
	return m
}

// ModelOperation reads the operation and the decoded model ID from a Bedrock Runtime URL
// or path of one of the operations that name a model ("/model/{modelId}/…"), whatever its
// method. The model ID may be an ARN, percent-encoded or not: an ARN sent with literal
// slashes is read up to the last path segment, the operation's. ok is false for any other
// path.
func ModelOperation(rawURL string) (op, modelID string, ok bool) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", "", false
	}
	rest, found := strings.CutPrefix(u.EscapedPath(), "/model/")
	if !found {
		return "", "", false
	}
	i := strings.LastIndexByte(rest, '/')
	if i <= 0 {
		return "", "", false
	}
	suffix := "/model/{modelId}/" + rest[i+1:]
	for _, rt := range Routes {
		if rt.Path == suffix {
			op = rt.Operation
		}
	}
	if op == "" {
		return "", "", false
	}
	modelID, err = url.PathUnescape(rest[:i])
	if err != nil {
		return "", "", false
	}
	return op, modelID, true
}

// ModelPath is the path of operation op for the model modelID, percent-encoded as the AWS
// SDKs encode it (":" and "/" too). ok is false when op is not an operation that names a
// model.
func ModelPath(op, modelID string) (path string, ok bool) {
	for _, rt := range Routes {
		if rest, found := strings.CutPrefix(rt.Path, "/model/{modelId}/"); found && rt.Operation == op {
			// The SDKs percent-encode the model ID's ":" and "/" (docs/wire-facts.md §2.1).
			escaped := strings.NewReplacer(":", "%3A", "/", "%2F").Replace(url.PathEscape(modelID))
			return "/model/" + escaped + "/" + rest, true
		}
	}
	return "", false
}

// matchPath matches path against a template of literal segments and {name} variables.
func matchPath(template, path string) bool {
	for template != "" {
		if path == "" || path[0] != '/' {
			return false
		}
		var t, p string
		t, template = nextSegment(template)
		p, path = nextSegment(path)
		if isVar(t) {
			if p == "" {
				return false
			}
		} else if t != p {
			return false
		}
	}
	return path == ""
}

// nextSegment cuts the first segment off s, which starts with "/" (or is empty), and returns
// it and the rest of s, which starts with "/" when it is not empty.
func nextSegment(s string) (seg, rest string) {
	if s == "" {
		return "", ""
	}
	s = s[1:]
	if i := strings.IndexByte(s, '/'); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}

// isVar reports whether a template segment is a {name} variable.
func isVar(seg string) bool { return len(seg) >= 2 && seg[0] == '{' && seg[len(seg)-1] == '}' }
