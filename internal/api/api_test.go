package api

import (
	"encoding/json"
	"os/exec"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-emulator/bedrock-emulator/internal/spec"
)

// TestRoutesAreTheModels holds Routes to the API model's HTTP bindings, both ways.
func TestRoutesAreTheModels(t *testing.T) {
	m := spec.Model()
	got := map[string]Route{}
	for _, rt := range Routes {
		if rt.Service == Runtime {
			got[rt.Operation] = rt
		}
	}
	want := map[string]Route{}
	for _, name := range m.OperationNames() {
		o, _ := m.Operation(name)
		want[name] = Route{Operation: name, Method: o.Method, Path: o.RequestURI, Service: Runtime}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Routes differ from the API model (-model +Routes):\n%s", diff)
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		method, path string
		op           string
		vars         map[string]string
	}{
		{"POST", "/model/amazon.nova-micro-v1:0/converse", Converse, map[string]string{"modelId": "amazon.nova-micro-v1:0"}},
		{"POST", "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Ainference-profile%2Fx/converse-stream", ConverseStream,
			map[string]string{"modelId": "arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Ainference-profile%2Fx"}},
		{"POST", "/guardrail/g1/version/DRAFT/apply", ApplyGuardrail, map[string]string{"guardrailIdentifier": "g1", "guardrailVersion": "DRAFT"}},
		{"GET", "/async-invoke", ListAsyncInvokes, nil},
		{"POST", "/async-invoke", StartAsyncInvoke, nil},
		{"GET", "/foundation-models", ListFoundationModels, nil},
		{"GET", "/foundation-models/amazon.nova-micro-v1:0", GetFoundationModel, map[string]string{"modelIdentifier": "amazon.nova-micro-v1:0"}},
		{"GET", "/inference-profiles", ListInferenceProfiles, nil},
		{"GET", "/inference-profiles/us.amazon.nova-micro-v1%3A0", GetInferenceProfile, map[string]string{"inferenceProfileIdentifier": "us.amazon.nova-micro-v1%3A0"}},
		{"POST", "/foundation-models", "", nil},
		{"GET", "/model/m/converse", "", nil},
		{"POST", "/model//converse", "", nil},
		{"POST", "/model/a/b/converse", "", nil},
		{"POST", "/model/m/converse/", "", nil},
		{"POST", "model/m/converse", "", nil},
		{"POST", "/", "", nil},
	}
	for _, tt := range tests {
		op, vars, ok := Match(tt.method, tt.path)
		if op != tt.op || ok != (tt.op != "") || !cmp.Equal(vars.Map(), tt.vars) {
			t.Errorf("Match(%q, %q) = %q, %v, %v; want %q, %v", tt.method, tt.path, op, vars.Map(), ok, tt.op, tt.vars)
		}
	}
}

func TestModelOperation(t *testing.T) {
	tests := []struct {
		url, op, model string
	}{
		{"https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse", Converse, "anthropic.claude-3-haiku-20240307-v1:0"},
		{"/model/arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.x/converse-stream", ConverseStream,
			"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.x"},
		{"/model/m/invoke", InvokeModel, "m"},
		{"/model/m/count-tokens", CountTokens, "m"},
		{"https://bedrock-runtime.us-east-1.amazonaws.com/model/us.amazon.nova-micro-v1%3A0/converse-stream", ConverseStream, "us.amazon.nova-micro-v1:0"},
		// An inference profile ARN, encoded as the SDKs send it (docs/wire-facts.md §2.1).
		{"/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A012345678901%3Ainference-profile%2Fus.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse",
			Converse, "arn:aws:bedrock:us-east-1:012345678901:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0"},
		{"/model/m/invoke-with-response-stream", InvokeModelWithResponseStream, "m"},
		{"/model/m/other", "", ""},
		{"/model//converse", "", ""},
		{"/model/converse", "", ""},
		{"https://bedrock.us-east-1.amazonaws.com/inference-profiles/x", "", ""},
		{"/guardrail/g/version/1/apply", "", ""},
	}
	for _, tt := range tests {
		op, model, ok := ModelOperation(tt.url)
		if op != tt.op || model != tt.model || ok != (tt.op != "") {
			t.Errorf("ModelOperation(%q) = %q, %q, %v; want %q, %q", tt.url, op, model, ok, tt.op, tt.model)
		}
	}
}

func TestModelPath(t *testing.T) {
	tests := []struct {
		op, model, path string
	}{
		{Converse, "amazon.nova-micro-v1:0", "/model/amazon.nova-micro-v1%3A0/converse"},
		{InvokeModelWithResponseStream, "arn:aws:bedrock:us-east-1:1:inference-profile/x", "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Ainference-profile%2Fx/invoke-with-response-stream"},
		{ApplyGuardrail, "m", ""},
		{"Nope", "m", ""},
	}
	for _, tt := range tests {
		path, ok := ModelPath(tt.op, tt.model)
		if path != tt.path || ok != (tt.path != "") {
			t.Errorf("ModelPath(%q, %q) = %q, %v; want %q", tt.op, tt.model, path, ok, tt.path)
			continue
		}
		if !ok {
			continue
		}
		if op, model, _ := ModelOperation(path); op != tt.op || model != tt.model {
			t.Errorf("ModelOperation(ModelPath(%q, %q)) = %q, %q", tt.op, tt.model, op, model)
		}
	}
}

// TestControlRoutesAreTheModels holds the control-plane rows of Routes to the HTTP bindings
// of botocore's bedrock model (bedrock/2023-04-20), read from the botocore that python3
// imports. It skips where botocore is missing.
func TestControlRoutesAreTheModels(t *testing.T) {
	t.Parallel()
	var ops []string
	want := map[string]Route{}
	for _, rt := range Routes {
		if rt.Service == Control {
			ops = append(ops, rt.Operation)
		}
	}
	script := `import json, sys, botocore.session
m = botocore.session.get_session().get_service_model("bedrock")
json.dump({o: m.operation_model(o).http for o in sys.argv[1:]}, sys.stdout)`
	out, err := exec.Command("python3", append([]string{"-c", script}, ops...)...).Output()
	if err != nil {
		t.Skipf("botocore's bedrock model is not available (python3 -c 'import botocore' failed: %v); skipping", err)
	}
	var http map[string]struct{ Method, RequestURI string }
	if err := json.Unmarshal(out, &http); err != nil {
		t.Fatal(err)
	}
	got := map[string]Route{}
	for _, rt := range Routes {
		if rt.Service == Control {
			got[rt.Operation] = rt
			b := http[rt.Operation]
			want[rt.Operation] = Route{Operation: rt.Operation, Method: b.Method, Path: b.RequestURI, Service: Control}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the control-plane Routes differ from botocore's bedrock model (-model +Routes):\n%s", diff)
	}
}
