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
		{"exchange without a status", `{"request":{"url":"https://x/model/m/converse"},"response":{}}`, cassette.ErrUnknownFormat, "without a status"},
		{"httprr with a bad length", "httprr trace v1\n9 x\n", cassette.ErrUnknownFormat, "bad length line"},
		{"httprr lengths that overflow", "httprr trace v1\n9223372036854775807 2\nPOST / HTTP/1.1\n", cassette.ErrUnknownFormat, "bad length line"},
		{"httprr longer than the file", "httprr trace v1\n900 5\nPOST / HTTP/1.1\n", cassette.ErrUnknownFormat, "bad length line"},
		{"Ruby VCR without uri", "http_interactions:\n- request: {method: post}\n", cassette.ErrUnknownFormat, "no request uri"},
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

// TestImportNewFormats: each recorder format added with the 2026-12-06 recordings imports
// with the request as sent (body bytes, URL) and the response as received (status, error
// type header, body or frames). The files are in testdata/real-traffic (SOURCES.md).
func TestImportNewFormats(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file, url, reqBodyPrefix string
		status                   int
		errorType, bodyPrefix    string
		frames                   int
	}{
		{"ruby_llm/chat_bedrock_nova_2_reasoning_returns_reasoning_content_blocks.yml",
			"https://bedrock-runtime.us-east-1.amazonaws.com/model/us.amazon.nova-2-lite-v1:0/converse",
			`{"messages":[{"role":"user","content":[{"text":"What is 15 * 23? Answer with just the number."}]}]`,
			200, "", `{"metrics":{"latencyMs":1210},"output":{"message":{"content":[{"reasoningContent":{"reasoningText":{"text":"[REDACTED]."}}}`, 0},
		{"ruby_llm/chat_citations_with_bedrock_claude-haiku-4-5_streams_citations.yml",
			"https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-haiku-4-5-20251001-v1:0/converse-stream",
			`{"messages":[`, 200, "", "", 8},
		{"ruby_llm/chat_error_handling_with_bedrock_amazon_nova-2-lite-v1_0_raises_appropriate_auth_error.yml",
			"https://bedrock-runtime.us-east-1.amazonaws.com/model/us.amazon.nova-2-lite-v1:0/converse",
			`{"messages":[`, 403, "UnrecognizedClientException:http://internal.amazon.com/coral/com.amazon.coral.service/",
			`{"message":"The security token included in the request is invalid."}`, 0},
		{"dd-trace-js/bedrock-runtime_model_amazon.nova-pro-v1_0_invoke_post_2a1250cf.json",
			"https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-pro-v1:0/invoke",
			`{"system":[{"text":"Please respond with one sentence."}]`, 200, "", `{"output":{"message":{"content":[{"text":"The capital of France is Paris."}]`, 0},
		{"dd-trace-js/bedrock-runtime_model_amazon.nova-pro-v1_0_invoke-with-response-stream_post_da7ae361.json",
			"https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-pro-v1:0/invoke-with-response-stream",
			`{"system":`, 200, "", "", 9},
		{"req_llm/converse_stream_validation_exception.json",
			"https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-lite-v1:0/converse-stream",
			`{"inferenceConfig":{"maxTokens":16},"messages":`, 200, "", "", 1},
		{"langchaingo/TestAmazonNova.httprr",
			"https://bedrock-runtime.us-west-2.amazonaws.com/model/us.amazon.nova-micro-v1%3A0/invoke",
			`{"messages":[{"role":"user","content":[{"text":"Explain AI in 10 words or less."}]}]`, 403,
			"AccessDeniedException:http://internal.amazon.com/coral/com.amazon.bedrock/",
			`{"message":"You don't have access to the model with the specified model ID."}`, 0},
	}
	for _, tt := range tests {
		c, _, err := testkit.ImportReal(tt.file)
		if err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		i := c.Interactions[0]
		if i.Request.URL != tt.url || !strings.HasPrefix(i.Request.Body, tt.reqBodyPrefix) || i.Request.ContentLength != int64(len(i.Request.Body)) {
			t.Errorf("%s: request %s %q (length %d), want %s %q…", tt.file, i.Request.URL, i.Request.Body, i.Request.ContentLength, tt.url, tt.reqBodyPrefix)
		}
		h := i.Response.Headers
		if i.Response.StatusCode() != tt.status || h.Get("X-Amzn-Errortype") != tt.errorType || !strings.HasPrefix(i.Response.Body, tt.bodyPrefix) || len(i.Response.Frames) != tt.frames {
			t.Errorf("%s: response %d %q %.120q, %d frames; want %d %q %q…, %d frames", tt.file, i.Response.StatusCode(), h.Get("X-Amzn-Errortype"), i.Response.Body, len(i.Response.Frames), tt.status, tt.errorType, tt.bodyPrefix, tt.frames)
		}
	}
}
