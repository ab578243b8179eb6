package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// at walks a decoded JSON value by member names and list indexes; nil when a step is missing.
func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return m
}

// family is one provider's format as the tests drive it: a request body for a user text, and
// where its answers keep the text.
type family struct {
	name, model string
	body        func(text string) string
	text        func(body map[string]any) string // the reply's text in an InvokeModel body
	delta       func(chunk map[string]any) string
}

var families = []family{
	{
		name: "anthropic", model: claudeHaiku,
		body: func(s string) string {
			return `{"anthropic_version":"bedrock-2023-05-31","max_tokens":300,"messages":[{"role":"user","content":"` + s + `"}]}`
		},
		text:  func(m map[string]any) string { return str(at(m, "content", 0, "text")) },
		delta: func(m map[string]any) string { return str(at(m, "delta", "text")) },
	},
	{
		name: "nova", model: "amazon.nova-micro-v1:0",
		body: func(s string) string {
			return `{"schemaVersion":"messages-v1","messages":[{"role":"user","content":[{"text":"` + s + `"}]}],"inferenceConfig":{"max_new_tokens":300}}`
		},
		text:  func(m map[string]any) string { return str(at(m, "output", "message", "content", 0, "text")) },
		delta: func(m map[string]any) string { return str(at(m, "contentBlockDelta", "delta", "text")) },
	},
	{
		name: "titan", model: titanExpress,
		body:  func(s string) string { return `{"inputText":"` + s + `","textGenerationConfig":{"maxTokenCount":300}}` },
		text:  func(m map[string]any) string { return str(at(m, "results", 0, "outputText")) },
		delta: func(m map[string]any) string { return str(at(m, "outputText")) },
	},
	{
		name: "llama", model: "meta.llama3-8b-instruct-v1:0",
		body: func(s string) string {
			return `{"prompt":"<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n` + s + `<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n","max_gen_len":300}`
		},
		text:  func(m map[string]any) string { return str(at(m, "generation")) },
		delta: func(m map[string]any) string { return str(at(m, "generation")) },
	},
	{
		name: "mistral", model: "mistral.mistral-7b-instruct-v0:2",
		body:  func(s string) string { return `{"prompt":"<s>[INST] ` + s + ` [/INST]","max_tokens":300}` },
		text:  func(m map[string]any) string { return str(at(m, "outputs", 0, "text")) },
		delta: func(m map[string]any) string { return str(at(m, "outputs", 0, "text")) },
	},
	{
		name: "mistral-chat", model: "mistral.mistral-large-2407-v1:0",
		body:  func(s string) string { return `{"messages":[{"role":"user","content":"` + s + `"}],"max_tokens":300}` },
		text:  func(m map[string]any) string { return str(at(m, "choices", 0, "message", "content")) },
		delta: func(m map[string]any) string { return str(at(m, "choices", 0, "message", "content")) },
	},
	{
		name: "cohere", model: "cohere.command-r-v1:0",
		body:  func(s string) string { return `{"message":"` + s + `","max_tokens":300}` },
		text:  func(m map[string]any) string { return str(at(m, "text")) },
		delta: func(m map[string]any) string { return str(at(m, "text")) },
	},
}

// Each family answers InvokeModel in its own shape with the text Converse answers for the
// same message, Bedrock's usage headers, and a stream whose chunks carry the same text and
// end with the invocation metrics.
func TestInvokeModel(t *testing.T) {
	t.Parallel()
	srv, _ := start(t)
	ctx := context.Background()
	for _, f := range families {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			c := testkit.Client(srv.URL) // one per goroutine reading a stream
			const said = "What is the capital of Italy?"
			want := testkit.ReplyText(t, testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: aws.String(f.model), Messages: []types.Message{testkit.UserText(said)}}))

			out, err := c.InvokeModel(ctx, &bedrockruntime.InvokeModelInput{ModelId: aws.String(f.model), Body: []byte(f.body(said)),
				ContentType: aws.String("application/json"), Accept: aws.String("application/json")})
			if err != nil {
				t.Fatal(err)
			}
			if got := f.text(decode(t, out.Body)); got != want {
				t.Errorf("text = %q, want Converse's %q", got, want)
			}
			if aws.ToString(out.ContentType) != "application/json" {
				t.Errorf("contentType = %q", aws.ToString(out.ContentType))
			}
			h := awsmiddleware.GetRawResponse(out.ResultMetadata).(*smithyhttp.Response).Header
			in, outTokens := h.Get("X-Amzn-Bedrock-Input-Token-Count"), h.Get("X-Amzn-Bedrock-Output-Token-Count")
			if in == "" || outTokens == "" || h.Get("X-Amzn-Bedrock-Invocation-Latency") == "" {
				t.Errorf("usage headers missing: %v", h)
			}

			stream, err := c.InvokeModelWithResponseStream(ctx, &bedrockruntime.InvokeModelWithResponseStreamInput{
				ModelId: aws.String(f.model), Body: []byte(f.body(said))})
			if err != nil {
				t.Fatal(err)
			}
			if aws.ToString(stream.ContentType) != "application/json" {
				t.Errorf("stream contentType = %q", aws.ToString(stream.ContentType))
			}
			chunks := testkit.ReadChunks(t, stream)
			if chunks.Err != nil {
				t.Fatal(chunks.Err)
			}
			var text strings.Builder
			var last map[string]any
			for _, chunk := range chunks.Chunks {
				last = decode(t, chunk)
				text.WriteString(f.delta(last))
			}
			if text.String() != want {
				t.Errorf("streamed text = %q, want %q", text.String(), want)
			}
			metrics := at(last, "amazon-bedrock-invocationMetrics")
			if got := fmt.Sprint(at(metrics, "inputTokenCount"), " ", at(metrics, "outputTokenCount")); got != in+" "+outTokens {
				t.Errorf("last chunk's metrics = %v, want the counts %s %s of the headers", metrics, in, outTokens)
			}
		})
	}
}

// The raw answers of each family, body and stream chunks, as golden files: the key orders
// and members the format files cite from real recordings.
func TestWireInvokeModel(t *testing.T) {
	t.Parallel()
	for _, f := range families {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			srv := emulator.NewServer(emulator.WithRequestIDSeed(goldenSeed))
			defer srv.Close()
			path := srv.URL + "/model/" + strings.ReplaceAll(f.model, ":", "%3A")
			resp := post(t, path+"/invoke", f.body("Hi there"), nil)
			body, _ := io.ReadAll(resp.Body)
			golden(t, "invoke-"+f.name+".http", append([]byte(wireHeaders(resp)+"\n"), body...))

			resp = post(t, path+"/invoke-with-response-stream", f.body("Hi there"), nil)
			raw, _ := io.ReadAll(resp.Body)
			var sb strings.Builder
			sb.WriteString(wireHeaders(resp) + "\n")
			dec := eventstream.NewDecoder()
			for r := bytes.NewReader(raw); r.Len() > 0; {
				msg, err := dec.Decode(r, nil)
				if err != nil {
					t.Fatal(err)
				}
				var names []string
				for _, h := range msg.Headers {
					names = append(names, h.Name+"="+h.Value.String())
				}
				var p struct {
					Bytes []byte `json:"bytes"`
					P     string `json:"p"`
				}
				if err := json.Unmarshal(msg.Payload, &p); err != nil || p.P == "" {
					t.Errorf("payload %s: want bytes and p (%v)", msg.Payload, err)
				}
				fmt.Fprintf(&sb, "%s %s\n", strings.Join(names, " "), p.Bytes)
			}
			golden(t, "invoke-stream-"+f.name+".txt", []byte(sb.String()))
		})
	}
}

// Forced tool use answers in each format's own tool call shape, with IDs in its style.
func TestInvokeModelTools(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	schema := `{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}`
	for _, tc := range []struct {
		name, model, body string
		check             func(t *testing.T, m map[string]any)
	}{
		{"anthropic", claudeHaiku, `{"anthropic_version":"bedrock-2023-05-31","max_tokens":300,
			"messages":[{"role":"user","content":"Weather?"}],
			"tools":[{"name":"get_weather","description":"d","input_schema":` + schema + `}],
			"tool_choice":{"type":"tool","name":"get_weather"}}`,
			func(t *testing.T, m map[string]any) {
				if str(at(m, "stop_reason")) != "tool_use" || str(at(m, "content", 0, "type")) != "tool_use" ||
					!strings.HasPrefix(str(at(m, "content", 0, "id")), "toolu_bdrk_01") || at(m, "content", 0, "input", "city") != "example" {
					t.Errorf("body = %v", m)
				}
			}},
		{"nova", "amazon.nova-micro-v1:0", `{"messages":[{"role":"user","content":[{"text":"Weather?"}]}],
			"toolConfig":{"tools":[{"toolSpec":{"name":"get_weather","inputSchema":{"json":` + schema + `}}}],"toolChoice":{"any":{}}}}`,
			func(t *testing.T, m map[string]any) {
				id := str(at(m, "output", "message", "content", 0, "toolUse", "toolUseId"))
				if str(at(m, "stopReason")) != "tool_use" || len(id) != 36 || id[14] != '4' {
					t.Errorf("body = %v, want a UUID tool use ID", m)
				}
			}},
		{"mistral chat", "mistral.mistral-large-2407-v1:0", `{"messages":[{"role":"user","content":"Weather?"}],
			"tools":[{"type":"function","function":{"name":"get_weather","description":"d","parameters":` + schema + `}}],"tool_choice":"any"}`,
			func(t *testing.T, m map[string]any) {
				if str(at(m, "choices", 0, "stop_reason")) != "tool_calls" || str(at(m, "choices", 0, "message", "tool_calls", 0, "function", "arguments")) != `{"city":"example"}` {
					t.Errorf("body = %v", m)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, err := c.InvokeModel(context.Background(), &bedrockruntime.InvokeModelInput{ModelId: aws.String(tc.model), Body: []byte(tc.body)})
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, decode(t, out.Body))
		})
	}
}

// The behaviours answer InvokeModel: they see the converted request, and their reply is
// rendered natively, stop sequences and stream failures included.
func TestInvokeModelBehaviours(t *testing.T) {
	t.Parallel()
	var seen *emulator.Call
	b := emulator.BehaviourFunc(func(_ context.Context, c *emulator.Call) (*emulator.Reply, error) {
		seen = c
		r := &emulator.Reply{Content: []emulator.Block{emulator.TextBlock("Alpha beta STOP gamma")}}
		if c.Operation == emulator.OpInvokeModelWithResponseStream {
			r.Stream.FailAfter, r.Stream.Fail = 3, &emulator.Error{Type: "ThrottlingException", Message: "Too many requests, please wait before trying again."}
		}
		return r, nil
	})
	srv, c := start(t, emulator.WithBehaviour(b))
	body := []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":50,"system":"Be terse.","stop_sequences":["STOP"],
		"temperature":0.2,"messages":[{"role":"user","content":[{"type":"text","text":"Go"}]}]}`)
	out, err := c.InvokeModel(context.Background(), &bedrockruntime.InvokeModelInput{ModelId: aws.String(claudeHaiku), Body: body})
	if err != nil {
		t.Fatal(err)
	}
	if seen.Operation != emulator.OpInvokeModel || aws.ToString(seen.Request.System[0].Text) != "Be terse." ||
		aws.ToInt(seen.Request.InferenceConfig.MaxTokens) != 50 || *seen.Request.InferenceConfig.Temperature != 0.2 {
		t.Errorf("call = %+v, request %+v", seen, seen.Request)
	}
	m := decode(t, out.Body)
	if got := fmt.Sprint(at(m, "content", 0, "text"), "|", at(m, "stop_reason"), "|", at(m, "stop_sequence")); got != "Alpha beta |stop_sequence|STOP" {
		t.Errorf("text|stop_reason|stop_sequence = %s", got)
	}

	chunks := testkit.InvokeModelStream(t, c, &bedrockruntime.InvokeModelWithResponseStreamInput{ModelId: aws.String(claudeHaiku), Body: body})
	var throttled *types.ThrottlingException
	if n, err := len(chunks.Chunks), chunks.Err; n != 3 || !errors.As(err, &throttled) {
		t.Errorf("stream gave %d chunks, then %v; want 3, then a ThrottlingException", n, err)
	}
	last := journaled(t, srv, 2)
	if last.Operation != emulator.OpInvokeModelWithResponseStream || last.Error == nil || last.Error.Type != "ThrottlingException" {
		t.Errorf("journal entry = %+v", last)
	}
}

func TestInvokeModelErrors(t *testing.T) {
	t.Parallel()
	srv, c := start(t)
	for _, tc := range []struct {
		name, model, body string
		header            http.Header
		wantMsg           string
	}{
		// Verbatim from real rejections, cited in native_schema.go.
		{name: "Claude without max_tokens", model: claudeHaiku, body: `{"anthropic_version":"bedrock-2023-05-31","messages":[]}`,
			wantMsg: `Malformed input request: #: subject must not be valid against schema {"required":["messages"]}#: required key [max_tokens] not found, please reformat your input and try again.`},
		{name: "Claude sent a Converse body", model: claudeHaiku, body: `{"messages":[],"inferenceConfig":{},"toolConfig":{}}`,
			wantMsg: `Malformed input request: #: subject must not be valid against schema {"required":["messages"]}#: required key [max_tokens] not found#: required key [anthropic_version] not found#: extraneous key [inferenceConfig] is not permitted#: extraneous key [toolConfig] is not permitted, please reformat your input and try again.`},
		{name: "Llama sent max_tokens", model: "meta.llama3-8b-instruct-v1:0", body: `{"max_tokens":10}`,
			wantMsg: "Malformed input request: #: required key [prompt] not found#: extraneous key [max_tokens] is not permitted, please reformat your input and try again."},
		{name: "Nova 2 sent Titan's config", model: "us.amazon.nova-2-lite-v1:0", body: `{"messages":[{"role":"user","content":[{"text":"hi"}]}],"textGenerationConfig":{}}`,
			wantMsg: "Malformed input request: #: extraneous key [textGenerationConfig] is not permitted, reformat your input and try again."},
		{name: "a member of the wrong type", model: "meta.llama3-8b-instruct-v1:0", body: `{"prompt":"hi","max_gen_len":"10"}`,
			wantMsg: "Malformed input request: #/max_gen_len: expected type: Integer, found: String, please reformat your input and try again."},
		{name: "not JSON", model: titanExpress, body: `inputText=hi`,
			wantMsg: "Malformed input request: expected type: JSONObject, please reformat your input and try again."},
		{name: "a model whose format is not emulated", model: "deepseek.v3-v1:0", body: `{"prompt":"hi"}`,
			wantMsg: "bedrock-emulator: InvokeModel is not emulated for model deepseek.v3-v1:0 (its native request format is not one the emulator knows: Anthropic Claude, Amazon Nova, Amazon Titan Text, Meta Llama, Mistral, Cohere Command R). Use Converse, which the emulator supports for every model."},
		{name: "unknown model", model: "does-not-exist", body: `{}`, wantMsg: "The provided model identifier is invalid."},
		{name: "trace header outside its enum", model: titanExpress, body: `{"inputText":"hi"}`, header: http.Header{"X-Amzn-Bedrock-Trace": {"ON"}},
			wantMsg: "1 validation error detected: Value 'ON' at 'trace' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_FULL]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.header != nil {
				resp := post(t, srv.URL+"/model/"+tc.model+"/invoke", tc.body, tc.header)
				var e struct{ Message string }
				json.NewDecoder(resp.Body).Decode(&e)
				if resp.StatusCode != http.StatusBadRequest || e.Message != tc.wantMsg {
					t.Errorf("%d %q, want 400 %q", resp.StatusCode, e.Message, tc.wantMsg)
				}
				return
			}
			for _, stream := range []bool{false, true} {
				var err error
				if stream {
					_, err = c.InvokeModelWithResponseStream(context.Background(), &bedrockruntime.InvokeModelWithResponseStreamInput{ModelId: aws.String(tc.model), Body: []byte(tc.body)})
				} else {
					_, err = c.InvokeModel(context.Background(), &bedrockruntime.InvokeModelInput{ModelId: aws.String(tc.model), Body: []byte(tc.body)})
				}
				code, msg := testkit.APIError(t, err)
				if code != "ValidationException" || msg != tc.wantMsg {
					t.Errorf("stream %v: error = %s %q, want ValidationException %q", stream, code, msg, tc.wantMsg)
				}
			}
		})
	}
}

// Guardrails named in InvokeModel's headers report in the native body (openllmetry's
// test_guardrail_invoke.yaml and test_guardrail_invoke_stream.yaml).
func TestInvokeModelGuardrail(t *testing.T) {
	t.Parallel()
	_, c := start(t, emulator.WithGuardrails(testGuardrails(t)...))
	ctx := context.Background()
	out, err := c.InvokeModel(ctx, &bedrockruntime.InvokeModelInput{ModelId: aws.String(claudeHaiku),
		GuardrailIdentifier: aws.String(guardID), GuardrailVersion: aws.String("DRAFT"), Trace: types.TraceEnabled,
		Body: []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":100,"messages":[{"role":"user","content":"Please charge my card, SSN 123-45-6789"}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	m := decode(t, out.Body)
	// A live-test report (docs/wire-facts.md §7.6; no citable source):
	// the blocked message as the text, stop_reason null.
	if str(at(m, "content", 0, "text")) != blockedIn || at(m, "stop_reason") != nil || at(m, "amazon-bedrock-guardrailAction") != "INTERVENED" {
		t.Errorf("body = %v", m)
	}
	if got := at(m, "amazon-bedrock-trace", "guardrail", "input", guardID, "sensitiveInformationPolicy", "piiEntities", 0, "action"); got != "BLOCKED" {
		t.Errorf("trace = %v", at(m, "amazon-bedrock-trace"))
	}

	stream, err := c.InvokeModelWithResponseStream(ctx, &bedrockruntime.InvokeModelWithResponseStreamInput{ModelId: aws.String(titanExpress),
		GuardrailIdentifier: aws.String(guardID), GuardrailVersion: aws.String("1"), Trace: types.TraceEnabled,
		Body: []byte(`{"inputText":"Tell me about Rome"}`)})
	if err != nil {
		t.Fatal(err)
	}
	var last []byte
	if chunks := testkit.ReadChunks(t, stream).Chunks; len(chunks) > 0 {
		last = chunks[len(chunks)-1]
	}
	// The guardrail's members come before the metrics, as in test_titan_invoke_stream.yaml.
	i, j, k := bytes.Index(last, []byte(`"amazon-bedrock-guardrailAction"`)), bytes.Index(last, []byte(`"amazon-bedrock-trace"`)), bytes.Index(last, []byte(`"amazon-bedrock-invocationMetrics"`))
	if i < 0 || j < i || k < j {
		t.Errorf("last chunk %s: want guardrailAction, trace, invocationMetrics in that order", last)
	}
	if got := str(at(decode(t, last), "outputText")); strings.Contains(got, "Rome") {
		t.Errorf("outputText %q still holds the address", got)
	}
}

// The InvokeModel usage headers follow the reply's usage, cache counts included for Nova.
func TestInvokeModelHeaders(t *testing.T) {
	t.Parallel()
	srv := emulator.NewServer(emulator.WithRequestIDSeed(goldenSeed))
	defer srv.Close()
	resp := post(t, srv.URL+"/model/amazon.nova-micro-v1%3A0/invoke", `{"messages":[{"role":"user","content":[{"text":"Hello"}]}]}`,
		http.Header{"X-Amzn-Bedrock-Performanceconfig-Latency": {"optimized"}, "X-Amzn-Bedrock-Service-Tier": {"priority"}})
	body, _ := io.ReadAll(resp.Body)
	m := decode(t, body)
	want := map[string]string{
		"X-Amzn-Bedrock-Input-Token-Count":             fmt.Sprint(at(m, "usage", "inputTokens")),
		"X-Amzn-Bedrock-Output-Token-Count":            fmt.Sprint(at(m, "usage", "outputTokens")),
		"X-Amzn-Bedrock-Cache-Read-Input-Token-Count":  "0",
		"X-Amzn-Bedrock-Cache-Write-Input-Token-Count": "0",
		"X-Amzn-Bedrock-Performanceconfig-Latency":     "optimized",
		"X-Amzn-Bedrock-Service-Tier":                  "priority",
	}
	got := map[string]string{}
	for k := range want {
		got[k] = resp.Header.Get(k)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
	if _, err := strconv.Atoi(resp.Header.Get("X-Amzn-Bedrock-Invocation-Latency")); err != nil {
		t.Errorf("latency header: %v", err)
	}
	if !bytes.Contains(body, []byte(`"output":{"message":{"content":[{"text":`)) {
		t.Errorf("body %s", body)
	}
}

// journaled waits for the server's journal to hold n entries (a stream is journaled once it
// has ended) and returns the n-th.
func journaled(t *testing.T, srv *emulator.Server, n int) emulator.Entry {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	entries, err := srv.Wait(ctx, n)
	if err != nil {
		t.Fatalf("journal holds %d entries, want %d", len(entries), n)
	}
	return entries[n-1]
}
