package conformance

import (
	"encoding/json"
	"os/exec"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestControlShapesAreTheModels compares the output shapes the control cases hold answers
// to with botocore's bedrock model, as internal/api's TestControlRoutesAreTheModels does
// for the routes.
func TestControlShapesAreTheModels(t *testing.T) {
	t.Parallel()
	shapes := map[string]*memberShape{
		"ListFoundationModelsResponse":  listFoundationModelsShape,
		"FoundationModelSummary":        foundationModelSummaryShape,
		"GetFoundationModelResponse":    getFoundationModelShape,
		"FoundationModelDetails":        getFoundationModelShape.nested["modelDetails"],
		"ListInferenceProfilesResponse": listInferenceProfilesShape,
		"InferenceProfileSummary":       inferenceProfileSummaryShape,
		"InferenceProfileModel":         inferenceProfileSummaryShape.nested["models"],
		"GetInferenceProfileResponse":   getInferenceProfileShape,
		"GetGuardrailResponse":          getGuardrailShape,
	}
	var names []string
	for n := range shapes {
		names = append(names, n)
	}
	script := `import json, sys, botocore.session
m = botocore.session.get_session().get_service_model("bedrock")
out = {}
for n in sys.argv[1:]:
    s = m.shape_for(n)
    out[n] = {"members": {k: v.type_name for k, v in s.members.items()}, "required": s.required_members}
json.dump(out, sys.stdout)`
	out, err := exec.Command("python3", append([]string{"-c", script}, names...)...).Output()
	if err != nil {
		t.Skipf("botocore's bedrock model is not available (python3 -c 'import botocore' failed: %v); skipping", err)
	}
	var model map[string]struct {
		Members  map[string]string
		Required []string
	}
	if err := json.Unmarshal(out, &model); err != nil {
		t.Fatal(err)
	}
	for n, s := range shapes {
		want := model[n]
		slices.Sort(want.Required)
		got := slices.Sorted(slices.Values(s.required))
		if diff := cmp.Diff(want.Members, s.members); diff != "" {
			t.Errorf("%s members differ from botocore's (-model +case):\n%s", n, diff)
		}
		if diff := cmp.Diff(want.Required, got, cmp.Comparer(func(a, b []string) bool { return slices.Equal(a, b) })); diff != "" && !(len(want.Required) == 0 && len(got) == 0) {
			t.Errorf("%s required members differ from botocore's (-model +case):\n%s", n, diff)
		}
	}
}
