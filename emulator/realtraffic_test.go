package emulator_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/api"
	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// knownDifferences are the interactions of the 2026-12-06 recordings whose answer from the
// default generator differs from Bedrock's, by "file #interaction", with the aspects that
// differ and why. Every other interaction must match in every aspect, and every one listed
// must differ in exactly the aspects listed. Those marked TODAY-B are errors another slice of
// issue 14 adds.
var knownDifferences = map[string]struct {
	aspects []string
	why     string
}{
	// What only the recording account explains.
	"ruby_llm/chat_error_handling_with_bedrock_amazon_nova-2-lite-v1_0_raises_appropriate_auth_error.yml #0": {
		[]string{"status", "errorType", "message", "top", "usage", "metrics"},
		"the recorder's credentials were invalid; the emulator's default Auth takes any (AuthStrict gives this 403)"},
	"langchaingo/TestAmazonNova.httprr #0": {
		[]string{"status", "errorType", "message", "top", "usage"}, "the recording account had no access to the model"},
	"langchaingo/TestBedrockAnthropicToolCalling.httprr #0": {
		[]string{"status", "errorType", "message", "top", "usage"}, "the recording account had no access to the model"},
	"langchaingo/TestBedrockAnthropicToolCalling.httprr #1": {
		[]string{"status", "errorType", "message", "top", "usage"}, "the recording account had no access to the model"},
	"openinference/should-handle-mistral-pixtral-models.json #0": {
		[]string{"status", "message"},
		"the recording account had no access to the model, so Bedrock never checked the OpenAI-style body the emulator rejects"},
	"req_llm/guardrail_converse_blocked.json #0": {
		[]string{"status", "message", "top", "usage", "metrics"},
		"the guardrail exists only in the recording account; the emulator answers an unknown guardrail as Bedrock does"},

	// A real model's own choices.
	"ruby_llm/chat_web_search_with_bedrock_amazon_nova-2-lite-v1_0_streams_grounded_turns.yml #0": {
		[]string{"grammar"}, "Nova searched the web (systemTool nova_grounding) and cited the pages it found; the emulator has no web"},
	"ruby_llm/chat_function_calling_bedrock_amazon_nova-2-lite-v1_0_can_use_tools_with_multi-turn_streaming_conversations.yml #0": {
		[]string{"grammar"}, "with toolChoice auto the model chose to call a tool (TODAY-B: the default tool policy may call it too)"},
	"ruby_llm/chat_function_calling_bedrock_amazon_nova-2-lite-v1_0_can_use_tools_with_multi-turn_streaming_conversations.yml #2": {
		[]string{"grammar"}, "with toolChoice auto the model chose to call a tool (TODAY-B: the default tool policy may call it too)"},
	"dd-trace-js/bedrock-runtime_model_anthropic.claude-3-haiku-20240307-v1_0_converse-stream_post_1c3b5486.json #0": {
		[]string{"grammar"}, "with toolChoice auto the model chose to call a tool (TODAY-B: the default tool policy may call it too)"},

	// Errors another slice of issue 14 adds.
	"ruby_llm/chat_real_error_scenarios_bedrock_amazon_nova-2-lite-v1_0_handles_context_length_exceeded_errors.yml #0": {
		[]string{"status", "errorType", "message", "top", "usage", "metrics"}, "TODAY-B: input beyond the context window"},
	"pydantic-ai/test_anthropic_bedrock_count_tokens_rejects_server_tools.yaml #0": {
		[]string{"status", "message", "top"}, "TODAY-B: a server tool type in CountTokens"},
	"pydantic-ai/test_multimodal_tool_return_matrix[direct-uploaded_file-video-bedrock_nova].yaml #1": {
		[]string{"status", "message", "top", "usage", "metrics"}, "TODAY-B: Nova 2's video s3Location inside a toolResult"},
	"req_llm/converse_stream_validation_exception.json #0": {
		[]string{"status", "message", "grammar"}, "TODAY-B: the in-stream MIME type validationException"},
}

// TestRealTrafficDefaultAnswers sends each request of the recordings added 2026-12-06
// (testdata/real-traffic/SOURCES.md, "Added 2026-12-06") to an emulator with no cassette and
// compares the default generator's answer with Bedrock's: for an error the status, the error
// type and the message; for a success the shape (top-level, usage and metrics keys in order,
// the content blocks' kinds and keys when the request asks for reasoning, citations or
// structured output, and a stream's event grammar with every payload's keys).
func TestRealTrafficDefaultAnswers(t *testing.T) {
	t.Parallel()
	srv := emulator.NewServer()
	t.Cleanup(srv.Close)
	seen := map[string]bool{}
	interactions := 0
	for _, name := range addedRecordings(t) {
		c, _, err := testkit.ImportReal(name)
		if err != nil {
			t.Errorf("import %s: %v", name, err)
			continue
		}
		for _, i := range c.Interactions {
			key := fmt.Sprintf("%s #%d", name, i.ID)
			interactions++
			want := shapeOf(t, i.Request.Body, i.Response.StatusCode(), i.Response.Headers, recordedBody(t, i))
			got := sendRecorded(t, srv.URL, i)
			var differ []string
			for _, a := range want.diff(got) {
				differ = append(differ, a.aspect)
			}
			known, listed := knownDifferences[key]
			seen[key] = true
			if !slices.Equal(differ, known.aspects) {
				var sb strings.Builder
				for _, a := range want.diff(got) {
					fmt.Fprintf(&sb, "\n  %s (-recorded +emulator):\n%s", a.aspect, a.diff)
				}
				if listed {
					t.Errorf("%s: differs in %v, listed as differing in %v (%s)%s", key, differ, known.aspects, known.why, sb.String())
				} else {
					t.Errorf("%s: differs in %v%s", key, differ, sb.String())
				}
			}
		}
	}
	for key := range knownDifferences {
		if !seen[key] {
			t.Errorf("knownDifferences lists %s, which is not among the recordings", key)
		}
	}
	if interactions != 52 {
		t.Errorf("%d interactions replayed, want the 52 of SOURCES.md", interactions)
	}
}

// addedRecordings lists the files of SOURCES.md's "Added 2026-12-06" section.
func addedRecordings(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(testkit.RealTraffic(), "SOURCES.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var names []string
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## ") {
			in = line == "## Added 2026-12-06"
		}
		if rest, ok := strings.CutPrefix(line, "| `"); in && ok {
			names = append(names, rest[:strings.IndexByte(rest, '`')])
		}
	}
	if len(names) != 41 {
		t.Fatalf("SOURCES.md lists %d files added 2026-12-06, want 41", len(names))
	}
	return names
}

func recordedBody(t *testing.T, i *cassette.Interaction) []byte {
	t.Helper()
	if i.Response.Frames == nil {
		return []byte(i.Response.Body)
	}
	body, err := i.Response.StreamBody()
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// massiveText is what the ruby_llm recorder's <MASSIVE_TEXT> placeholder stands for
// (SOURCES.md: 'a' * 1_000_000).
var massiveText = strings.Repeat("a", 1_000_000)

// sendRecorded makes the recorded request to the emulator and returns its answer's shape.
func sendRecorded(t *testing.T, base string, i *cassette.Interaction) answerShape {
	t.Helper()
	op, model, ok := api.ModelOperation(i.Request.URL)
	if !ok {
		t.Fatalf("%s: not a Bedrock Runtime operation", i.Request.URL)
	}
	path, _ := api.ModelPath(op, model)
	body := strings.ReplaceAll(i.Request.Body, "<MASSIVE_TEXT>", massiveText)
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer test-api-key")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return shapeOf(t, i.Request.Body, resp.StatusCode, resp.Header, got)
}

// answerShape is what the test compares of an answer.
type answerShape struct {
	status    int
	errorType string // "" when the recorder dropped the header
	message   string
	top       []string // top-level keys, in order
	usage     []string
	metrics   []string
	blocks    []string // block shapes, when the request asks for reasoning, citations or structured output
	grammar   []string // a stream's events, each with its payload's shape, repeats folded
}

type aspectDiff struct{ aspect, diff string }

// diff lists the aspects in which got differs from s, the recording. An error type the
// recorder dropped is not compared.
func (s answerShape) diff(got answerShape) []aspectDiff {
	var out []aspectDiff
	check := func(aspect string, want, have any) {
		if d := cmp.Diff(want, have); d != "" {
			out = append(out, aspectDiff{aspect, d})
		}
	}
	check("status", s.status, got.status)
	if s.errorType != "" {
		check("errorType", s.errorType, got.errorType)
	}
	check("message", s.message, got.message)
	check("top", s.top, got.top)
	check("usage", s.usage, got.usage)
	check("metrics", s.metrics, got.metrics)
	check("blocks", s.blocks, got.blocks)
	check("grammar", s.grammar, got.grammar)
	return out
}

// shapeOf reads an answer to a request whose body is reqBody.
func shapeOf(t *testing.T, reqBody string, status int, h http.Header, body []byte) answerShape {
	t.Helper()
	s := answerShape{status: status}
	if et := h.Get("X-Amzn-Errortype"); et != "" {
		s.errorType, _, _ = strings.Cut(et, ":")
	}
	if cassette.IsEventStream(h) {
		for _, f := range cassette.DecodeStream(body) {
			if f.Raw != "" {
				t.Fatalf("a frame does not decode: %s", f.Raw)
			}
			kind := f.Header(":event-type")
			if f.Header(":message-type") == "exception" {
				kind = "exception " + f.Header(":exception-type")
				var e struct{ Message string }
				json.Unmarshal([]byte(f.Payload), &e)
				s.message = e.Message
			}
			ev := kind + " " + keyShape(json.RawMessage(f.Payload), 6)
			if n := len(s.grammar); n == 0 || s.grammar[n-1] != ev {
				s.grammar = append(s.grammar, ev)
			}
		}
		return s
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		s.message = "(not JSON) " + string(body)
		return s
	}
	if status >= 400 {
		var e struct{ Message string }
		json.Unmarshal(body, &e)
		s.message = e.Message
		return s
	}
	s.top = orderedKeys(body)
	s.usage = orderedKeys(top["usage"])
	s.metrics = orderedKeys(top["metrics"])
	if asksForShape(reqBody) {
		var out struct {
			Message struct {
				Content []json.RawMessage `json:"content"`
			} `json:"message"`
		}
		json.Unmarshal(top["output"], &out)
		for _, b := range out.Message.Content {
			s.blocks = append(s.blocks, keyShape(b, 6))
		}
	}
	return s
}

// asksForShape reports whether a request asks for reasoning, citations or structured output.
func asksForShape(body string) bool {
	for _, s := range []string{`"reasoning_config"`, `"thinking"`, `"reasoningConfig"`, `"citations":{"enabled":true}`, `"outputConfig"`} {
		if strings.Contains(body, s) {
			return true
		}
	}
	return false
}

// orderedKeys is a JSON object's keys in the order written.
func orderedKeys(raw json.RawMessage) []string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return keys
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return keys
		}
	}
	return keys
}

// keyShape is a JSON value's shape: objects as their keys in order, each with its value's
// shape, to depth levels; an array as the shape of its first element; "" for scalars. The
// values of tool input (a document) are not shown.
func keyShape(raw json.RawMessage, depth int) string {
	raw = bytes.TrimSpace(raw)
	if depth == 0 || len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '{':
		var m map[string]json.RawMessage
		json.Unmarshal(raw, &m)
		var parts []string
		for _, k := range orderedKeys(raw) {
			if k == "input" {
				parts = append(parts, k)
				continue
			}
			parts = append(parts, k+keyShape(m[k], depth-1))
		}
		return "{" + strings.Join(parts, ",") + "}"
	case '[':
		var a []json.RawMessage
		json.Unmarshal(raw, &a)
		if len(a) == 0 {
			return "[]"
		}
		return "[" + keyShape(a[0], depth-1) + "]"
	}
	return ""
}
