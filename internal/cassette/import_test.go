package cassette_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	vcr "gopkg.in/dnaeon/go-vcr.v3/cassette"

	"github.com/bedrock-emulator/bedrock-emulator/internal/api"
	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestImportRealTraffic imports every file of the real-traffic copy and compares a summary
// of each (interactions, operations, models, statuses, frames, notes) with
// testdata/import.golden; go test -update rewrites it.
func TestImportRealTraffic(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(realTraffic, "*", "*"))
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	for _, path := range files {
		if filepath.Base(path) == "SOURCES.md" {
			continue
		}
		name := strings.TrimPrefix(path, realTraffic+"/")
		c, notes, err := testkit.ImportReal(name)
		if err != nil {
			fmt.Fprintf(&sb, "%s: %v\n", name, err)
			continue
		}
		fmt.Fprintf(&sb, "%s:\n", name)
		for _, i := range c.Interactions {
			what := fmt.Sprintf("%d-byte body", len(i.Response.Body))
			if i.Response.Frames != nil {
				what = fmt.Sprintf("%d frames", len(i.Response.Frames))
			}
			route := i.Request.Method + " " + i.Request.URL
			if op, model, ok := api.ModelOperation(i.Request.URL); ok {
				route = op + " " + model
			}
			fmt.Fprintf(&sb, "  #%d %s (%d-byte request) -> %d, %s\n", i.ID, route, len(i.Request.Body), i.Response.StatusCode(), what)
		}
		for _, n := range notes {
			fmt.Fprintf(&sb, "  note: %s\n", n)
		}
	}
	golden(t, "testdata/import.golden", sb.String())
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

func TestImportErrors(t *testing.T) {
	t.Parallel()
	stream, err := os.ReadFile(filepath.Join(realTraffic, "prism-php-bedrock", "stream-handle-exceptions-1.sse"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, data string
		want       error
		says       string
	}{
		{"empty", "", cassette.ErrUnknownFormat, "empty"},
		{"bare body", `{"message":"Validation Error"}`, cassette.ErrUnknownFormat, "bare response body"},
		{"text", "hello", cassette.ErrUnknownFormat, "not a cassette"},
		{"YAML without interactions", "version: 2\n", cassette.ErrUnknownFormat, "not a cassette"},
		{"bare stream without a model", string(stream), nil, "--model"},
		{"nock without scope", `[{"path":"/model/m/converse"}]`, cassette.ErrUnknownFormat, "no scope"},
		{"bad frame in our format", "version: 2\ninteractions:\n- response:\n    frames:\n    - headers: {x: {type: int8, value: nine}}\n", cassette.ErrFormat, "frame 0"},
	}
	for _, tt := range tests {
		_, _, err := cassette.Import(tt.name, []byte(tt.data))
		if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("%s: Import = %v, want an error saying %q", tt.name, err, tt.says)
		}
	}
}

// TestGoVCRReadsOurCassettes: go-vcr's own loader reads a cassette this package writes,
// with the same request, status, headers and body; a stream's body reads as empty, its
// frames being this package's addition.
func TestGoVCRReadsOurCassettes(t *testing.T) {
	t.Parallel()
	c := importFile(t, filepath.Join(realTraffic, "dd-trace-py", "bedrock_converse.yaml"))
	stream := importFile(t, filepath.Join(realTraffic, "pydantic-ai", "test_bedrock_model_stream.yaml"))
	c.Add(stream.Interactions[0])
	path := filepath.Join(t.TempDir(), "converse")
	if err := c.Save(path + ".yaml"); err != nil {
		t.Fatal(err)
	}
	theirs, err := vcr.Load(path)
	if err != nil {
		t.Fatalf("go-vcr cannot load our cassette: %v", err)
	}
	if len(theirs.Interactions) != 2 {
		t.Fatalf("go-vcr read %d interactions, want 2", len(theirs.Interactions))
	}
	got, want := theirs.Interactions[0], c.Interactions[0]
	if diff := cmp.Diff(want.Request, got.Request, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("request as go-vcr reads it (-ours +go-vcr):\n%s", diff)
	}
	if got.Response.Code != 200 || got.Response.Body != want.Response.Body || got.Response.Headers["x-amzn-RequestId"][0] != "bcbf9de0-6aaa-4602-b591-6c2ad87964a6" {
		t.Errorf("response as go-vcr reads it: %d %q %v", got.Response.Code, got.Response.Body, got.Response.Headers)
	}
	if theirs.Interactions[1].Response.Body != "" {
		t.Errorf("go-vcr read a stream body %q, want it empty", theirs.Interactions[1].Response.Body)
	}
}

// TestShow checks the readable listing of a stream and an error.
func TestShow(t *testing.T) {
	t.Parallel()
	c := importFile(t, filepath.Join(realTraffic, "prism-php-bedrock", "stream-handle-exceptions-1.sse"))
	more := importFile(t, filepath.Join(realTraffic, "opentelemetry-python-contrib", "test_converse_with_invalid_model.yaml"))
	c.Add(more.Interactions[0])
	var buf bytes.Buffer
	if err := c.Show(&buf); err != nil {
		t.Fatal(err)
	}
	// Compared with runs of spaces collapsed: the columns' width is the listing's business.
	shown := strings.Join(strings.Fields(buf.String()), " ")
	for _, want := range []string{
		"2 interaction(s)",
		"#0 POST ConverseStream us.amazon.nova-micro-v1:0",
		"request:  (none)",
		"response: 200 OK, 24 frame(s)",
		`messageStart       {"p":"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012345","role":"assistant"}`,
		`exception modelStreamErrorException  {"message":"Model produced invalid sequence as part of ToolUse. Please refer to the model tool use troubleshooting guide."}`,
		"#1 POST Converse does-not-exist",
		`request:  {"messages":[{"role":"user","content":[{"text":"Say this is a test"}]}]}`,
		"response: 400 Bad Request ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/",
		`body:     {"message":"The provided model identifier is invalid."}`,
	} {
		if !strings.Contains(shown, strings.Join(strings.Fields(want), " ")) {
			t.Errorf("Show lacks %q:\n%s", want, buf.String())
		}
	}
}
