package spec

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestModelOperations(t *testing.T) {
	t.Parallel()
	m := Model()
	want := []string{
		"ApplyGuardrail", "Converse", "ConverseStream", "CountTokens", "GetAsyncInvoke",
		"InvokeModel", "InvokeModelWithBidirectionalStream", "InvokeModelWithResponseStream",
		"ListAsyncInvokes", "StartAsyncInvoke",
	}
	if diff := cmp.Diff(want, m.OperationNames()); diff != "" {
		t.Errorf("OperationNames() mismatch (-want +got):\n%s", diff)
	}
}

func TestModelErrors(t *testing.T) {
	t.Parallel()
	m := Model()
	want := []string{
		"AccessDeniedException", "ConflictException", "InternalServerException", "ModelErrorException",
		"ModelNotReadyException", "ModelStreamErrorException", "ModelTimeoutException",
		"ResourceNotFoundException", "ServiceQuotaExceededException", "ServiceUnavailableException",
		"ThrottlingException", "ValidationException",
	}
	if diff := cmp.Diff(want, m.ErrorNames()); diff != "" {
		t.Errorf("ErrorNames() mismatch (-want +got):\n%s", diff)
	}
	tests := []struct {
		name   string
		status int
		ok     bool
	}{
		{"ConflictException", 400, true},
		{"ThrottlingException", 429, true},
		{"ModelStreamErrorException", 424, true},
		{"ConverseRequest", 0, false},
		{"NoSuchException", 0, false},
	}
	for _, tt := range tests {
		if status, ok := m.ErrorStatus(tt.name); status != tt.status || ok != tt.ok {
			t.Errorf("ErrorStatus(%q) = %d, %v; want %d, %v", tt.name, status, ok, tt.status, tt.ok)
		}
	}
}

func TestModelLookups(t *testing.T) {
	t.Parallel()
	m := Model()
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"converse binding", opBinding(t, m, "Converse"), [3]string{"POST", "/model/{modelId}/converse", "ConverseRequest"}},
		{"converse stream binding", opBinding(t, m, "ConverseStream"), [3]string{"POST", "/model/{modelId}/converse-stream", "ConverseStreamRequest"}},
		{"list async invokes binding", opBinding(t, m, "ListAsyncInvokes"), [3]string{"GET", "/async-invoke", "ListAsyncInvokesRequest"}},
		{"validation status", shape(t, m, "ValidationException").Error, 400},
		{"throttling status", shape(t, m, "ThrottlingException").Error, 429},
		{"model error status", shape(t, m, "ModelErrorException").Error, 424},
		{"tool name pattern", shape(t, m, "ToolName").Pattern, "[a-zA-Z0-9_-]+"},
		{"role enum", shape(t, m, "ConversationRole").Enum, []string{"user", "assistant"}},
		{"max tokens min", *shape(t, m, "InferenceConfigurationMaxTokensInteger").Min, 1.0},
		{"content block union", shape(t, m, "ContentBlock").Union, true},
		{"reasoning sensitive", shape(t, m, "ReasoningContentBlock").Sensitive, true},
		{"stream output", shape(t, m, "ConverseStreamOutput").EventStream, true},
		{"invoke payload", shape(t, m, "InvokeModelRequest").Payload, "body"},
		{"modelId location", shape(t, m, "ConverseRequest").Members[0], Member{Name: "modelId", Target: "ConversationalModelId", Location: "uri", LocationName: "modelId", Required: true}},
		{"message members in model order", namesOf(shape(t, m, "Message")), []string{"role", "content"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, tt.got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseRejectsDanglingReferences(t *testing.T) {
	t.Parallel()
	for _, data := range []string{
		`{"operations":{"X":{"method":"POST","requestUri":"/","input":"Missing"}},"shapes":{}}`,
		`{"shapes":{"L":{"type":"list","member":"Missing"}}}`,
		`{"shapes":{"S":{"type":"string","pattern":"("}}}`,
		`not json`,
	} {
		if _, err := Parse([]byte(data)); err == nil {
			t.Errorf("Parse(%s) = nil error, want one", data)
		}
	}
}

// A pattern Go's RE2 cannot compile (a repeat count above its limit of 1000) is kept and
// not checked; any other broken pattern fails Parse (TestParseRejectsDanglingReferences).
func TestParseKeepsPatternsRE2CannotCompile(t *testing.T) {
	t.Parallel()
	const pattern = `s3://[a-z0-9]+/.{1,1024}`
	s, err := Parse([]byte(`{"shapes":{"S":{"type":"string","pattern":` + strconv.Quote(pattern) + `}}}`))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if got := s.Shapes["S"].Pattern; got != pattern {
		t.Errorf("pattern %q, want %q", got, pattern)
	}
	if re, err := compilePattern(pattern); re != nil || err != nil {
		t.Errorf("compilePattern(%q) = %v, %v; want nil, nil", pattern, re, err)
	}
}

func opBinding(t *testing.T, m *Service, name string) [3]string {
	t.Helper()
	op, ok := m.Operation(name)
	if !ok {
		t.Fatalf("no operation %s", name)
	}
	return [3]string{op.Method, op.RequestURI, op.Input}
}

func shape(t *testing.T, m *Service, name string) *Shape {
	t.Helper()
	s, ok := m.Shape(name)
	if !ok {
		t.Fatalf("no shape %s", name)
	}
	return s
}

func namesOf(s *Shape) []string {
	var names []string
	for _, m := range s.Members {
		names = append(names, m.Name)
	}
	return names
}

// The bedrock (control-plane) model's bound members are checked as body members are, in
// the service's words: an enum of the query (ListFoundationModels' byOutputModality), a
// URI label's pattern (GetFoundationModel's modelIdentifier), an integer's range
// (ListInferenceProfiles' maxResults, query "maxResults"), by member name ("typeEquals"
// for the query key "type").
func TestControlModelValidateParams(t *testing.T) {
	t.Parallel()
	m := ControlModel()
	for _, tc := range []struct {
		op     string
		values map[string]string
		want   string
	}{
		{"ListFoundationModels", map[string]string{"byOutputModality": "SOUND"},
			"1 validation error detected: Value 'SOUND' at 'byOutputModality' failed to satisfy constraint: Member must satisfy enum value set: [TEXT, IMAGE, EMBEDDING]"},
		{"ListInferenceProfiles", map[string]string{"type": "OTHER", "maxResults": "0"},
			"2 validation errors detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
				"Value 'OTHER' at 'typeEquals' failed to satisfy constraint: Member must satisfy enum value set: [SYSTEM_DEFINED, APPLICATION]"},
		{"GetFoundationModel", map[string]string{"modelIdentifier": "amazon.nova-micro-v1:0"}, ""},
		{"ListInferenceProfiles", map[string]string{"maxResults": "many"}, ""},
	} {
		got := ""
		if vs := m.ValidateParams(tc.op, lookup(tc.values)); len(vs) > 0 {
			got = Message(vs)
		}
		if got != tc.want {
			t.Errorf("%s %v:\n got %q\nwant %q", tc.op, tc.values, got, tc.want)
		}
	}
	if vs := m.ValidateParams("GetFoundationModel", lookup(map[string]string{"modelIdentifier": "not a model"})); len(vs) != 1 || vs[0].Kind != KindPattern {
		t.Errorf("GetFoundationModel of %q: %v, want one pattern violation", "not a model", vs)
	}
}

func lookup(values map[string]string) func(location, name string) (string, bool) {
	return func(_, name string) (string, bool) {
		v, ok := values[name]
		return v, ok
	}
}

// TestMatches: a model pattern must match the whole value; one RE2 cannot run accepts any.
func TestMatches(t *testing.T) {
	for _, tc := range []struct {
		pattern, v string
		want       bool
	}{
		{`[a-zA-Z0-9_-]+`, "get_weather", true},
		{`[a-zA-Z0-9_-]+`, "get.weather", false},
		{`DRAFT|[1-9][0-9]*`, "DRAFT", true},
		{`DRAFT|[1-9][0-9]*`, "v1", false},
		{`s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.{1,1024}`, "anything", true},
	} {
		if got := Matches(tc.pattern, tc.v); got != tc.want {
			t.Errorf("Matches(%q, %q) = %v, want %v", tc.pattern, tc.v, got, tc.want)
		}
	}
}
