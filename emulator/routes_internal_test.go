package emulator

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gorilla/mux"

	"github.com/bedrock-emulator/bedrock-emulator/internal/api"
)

var routeSeeds = []string{
	"/model/amazon.nova-micro-v1%3A0/converse", "/model/m/converse-stream", "/model/m/converse/",
	"/model//converse", "/model/a/b/converse", "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Ainference-profile%2Fx/converse",
	"/model/arn:aws:bedrock:us-east-1:1:inference-profile/x/converse", "/model/m/invoke", "/model/m/Converse",
	"/models/m/converse", "model/m/converse", "/model/m/converse-streams", "/model/%2F/converse", "/model/ü/converse",
	"/model/m/converse?x=1", "/model/m%3Fx/converse", "//model/m/converse", "/model/./converse", "/model/../converse",
	"/guardrail/g/version/1/apply", "/guardrail/g/version//apply", "/async-invoke", "/async-invoke/", "/async-invoke/a%2Fb",
	"/model/m/count-tokens", "/model/m/invoke-with-response-stream",
	"/foundation-models", "/foundation-models/amazon.nova-micro-v1:0", "/foundation-models/", "/inference-profiles", "/inference-profiles/us.x%3A0",
}

// TestOperations checks that every operation of the API has an entry in the pipeline.
func TestOperations(t *testing.T) {
	t.Parallel()
	for _, rt := range api.Routes {
		o := operations[rt.Operation]
		if o == nil || (o.serve == nil) == (o.decode == nil || o.validate == nil || o.render == nil) {
			t.Errorf("%s: want an entry with serve, or with decode, validate and render", rt.Operation)
		}
	}
	if len(operations) != len(api.Routes) {
		t.Errorf("%d operations have entries, want the %d of api.Routes", len(operations), len(api.Routes))
	}
}

// FuzzRoute checks that the routes() dispatcher, api.Match, takes the paths gorilla/mux
// routes to each operation, configured as routes() configures it for the admin endpoints,
// with the same path variables, and no other.
func FuzzRoute(f *testing.F) {
	for _, p := range routeSeeds {
		f.Add(p, http.MethodPost)
		f.Add(p, http.MethodGet)
	}
	var got string
	r := mux.NewRouter().UseEncodedPath().SkipClean(true)
	for _, rt := range api.Routes {
		r.HandleFunc(rt.Path, func(_ http.ResponseWriter, r *http.Request) {
			got = fmt.Sprint(rt.Operation, mux.Vars(r))
		}).Methods(rt.Method)
	}
	f.Fuzz(func(t *testing.T, path, method string) {
		req, err := http.NewRequest(method, "http://localhost", nil)
		if err != nil {
			t.Skip()
		}
		req.URL.Path, req.URL.RawPath = path, ""
		if u, err := req.URL.Parse(path); err == nil && u.Host == "" && u.RawQuery == "" && u.Fragment == "" {
			req.URL = u // the path as a server parses it, escaped form kept
		}
		got = ""
		r.ServeHTTP(httptest.NewRecorder(), req)
		want := ""
		if op, vars, ok := api.Match(req.Method, req.URL.EscapedPath()); ok {
			m := vars.Map()
			if m == nil {
				m = map[string]string{}
			}
			want = fmt.Sprint(op, m)
		}
		if got != want {
			t.Errorf("%s %q (escaped %q): the router took %q, api.Match %q", method, path, req.URL.EscapedPath(), got, want)
		}
	})
}
