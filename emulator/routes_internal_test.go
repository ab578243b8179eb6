package emulator

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gorilla/mux"
)

var routeSeeds = []string{
	"/model/amazon.nova-micro-v1%3A0/converse", "/model/m/converse-stream", "/model/m/converse/",
	"/model//converse", "/model/a/b/converse", "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Ainference-profile%2Fx/converse",
	"/model/arn:aws:bedrock:us-east-1:1:inference-profile/x/converse", "/model/m/invoke", "/model/m/Converse",
	"/models/m/converse", "model/m/converse", "/model/m/converse-streams", "/model/%2F/converse", "/model/ü/converse",
	"/model/m/converse?x=1", "/model/m%3Fx/converse", "//model/m/converse", "/model/./converse", "/model/../converse",
}

// FuzzConverseRoute checks that converseRoute takes the paths gorilla/mux routes to
// Converse and ConverseStream, configured as routes() configures it, with the same model
// ID, and no other.
func FuzzConverseRoute(f *testing.F) {
	for _, p := range routeSeeds {
		f.Add(p)
	}
	type match struct{ op, modelID string }
	var got match
	r := mux.NewRouter().UseEncodedPath().SkipClean(true)
	for _, op := range []string{OpConverse, OpConverseStream} {
		path := "/model/{modelId}/converse"
		if op == OpConverseStream {
			path += "-stream"
		}
		r.HandleFunc(path, func(_ http.ResponseWriter, r *http.Request) { got = match{op, mux.Vars(r)["modelId"]} }).Methods(http.MethodPost)
	}
	f.Fuzz(func(t *testing.T, path string) {
		req, err := http.NewRequest(http.MethodPost, "http://localhost", nil)
		if err != nil {
			t.Skip()
		}
		req.URL.Path, req.URL.RawPath = path, ""
		if u, err := req.URL.Parse(path); err == nil && u.Host == "" && u.RawQuery == "" && u.Fragment == "" {
			req.URL = u // the path as a server parses it, escaped form kept
		}
		got = match{}
		r.ServeHTTP(httptest.NewRecorder(), req)
		var want match
		if id, op, ok := converseRoute(req.URL.EscapedPath()); ok {
			want = match{op, id}
		}
		if got != want {
			t.Errorf("path %q (escaped %q): the router took %+v, converseRoute %+v", path, req.URL.EscapedPath(), got, want)
		}
	})
}
