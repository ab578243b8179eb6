package cassette_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	vcr "gopkg.in/dnaeon/go-vcr.v3/cassette"

	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
)

// TestBodiesReadBack: a saved cassette gives back every body as it was recorded, those
// yaml.v3 writes as literal blocks it reads otherwise (a leading line break, a first line
// beginning with a tab) as much as the rest.
func TestBodiesReadBack(t *testing.T) {
	t.Parallel()
	c := cassette.New("bodies")
	for _, body := range []string{`{"inputText":"hi"}`, "{\n  \"pretty\": true\n}\n", "\nThe answer", "\t\nindented first",
		"\u2028separated\nlines", "\r\nwindows\r\n", "trailing spaces  \nnext"} {
		i := &cassette.Interaction{Request: vcr.Request{Method: "POST", URL: "https://bedrock-runtime.us-east-1.amazonaws.com/model/m/invoke",
			Body: body, Headers: http.Header{"Content-Type": {"application/json"}}}}
		i.Response.Body, i.Response.Code, i.Response.Status = body, 200, "200 OK"
		c.Add(i)
	}
	back, data := reload(t, c)
	if diff := cmp.Diff(c.Interactions, back.Interactions, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("read back otherwise (-saved +read):\n%s\n%s", diff, data)
	}
}
