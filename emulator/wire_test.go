package emulator_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// post sends a raw request, as an SDK would but without one, so the exact bytes on the wire
// can be checked. A fake SigV4 header passes the emulator's default auth mode.
func post(t *testing.T, url, body string, header http.Header) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=00")
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// goldenSeed is the request ID seed of the servers whose answers are compared with golden
// files: the seed of the IDs they hold.
const goldenSeed = "bedrock-emulator"

// golden compares got with testdata/NAME, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs (-want +got):\n%s", name, cmp.Diff(string(want), string(got)))
	}
}

// wireHeaders renders the headers a client sees, minus Date, in a stable order.
func wireHeaders(resp *http.Response) string {
	var lines []string
	for k, v := range resp.Header {
		if k == "Date" {
			continue
		}
		lines = append(lines, k+": "+strings.Join(v, ","))
	}
	sort.Strings(lines)
	return fmt.Sprintf("HTTP %d\n%s\n", resp.StatusCode, strings.Join(lines, "\n"))
}

const toolRequest = `{"messages":[{"role":"user","content":[{"text":"Weather in Zürich? <b>&</b>"}]}],
 "toolConfig":{"tools":[{"toolSpec":{"name":"get_weather","inputSchema":{"json":{"type":"object",
 "properties":{"zeta":{"type":"string"},"alpha":{"type":"number"}},"required":["zeta","alpha"]}}}}],
 "toolChoice":{"any":{}}}}`

// The raw Converse reply: compact, keys sorted at every level, document values in their own
// order, raw UTF-8 (docs/wire-facts.md §2.2, §2.5).
func TestWireConverse(t *testing.T) {
	t.Parallel()
	srv := emulator.NewServer(emulator.WithRequestIDSeed(goldenSeed))
	defer srv.Close()

	resp := post(t, srv.URL+"/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse", `{"messages":[{"role":"user","content":[{"text":"Grüße <b>&</b>"}]}]}`, nil)
	body, _ := io.ReadAll(resp.Body)
	golden(t, "converse.http", append([]byte(wireHeaders(resp)+"\n"), body...))
	if id := resp.Header["X-Amzn-Requestid"]; len(id) != 1 || len(id[0]) != 36 || strings.ToLower(id[0]) != id[0] {
		t.Errorf("x-amzn-RequestId = %q, want a lowercase UUID", id)
	}
	if !bytes.Contains(body, []byte("Grüße <b>&</b>")) {
		t.Errorf("body %s does not carry raw UTF-8 and unescaped <>&", body)
	}

	resp = post(t, srv.URL+"/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse", toolRequest, nil)
	body, _ = io.ReadAll(resp.Body)
	golden(t, "converse-tool.json", body)
	if !bytes.Contains(body, []byte(`"input":{"zeta":"example","alpha":1}`)) {
		t.Errorf("tool input does not keep the schema's order: %s", body)
	}
}

// The raw ConverseStream reply: every frame decoded with the SDK's own eventstream decoder
// (which checks both CRCs), headers in Bedrock's order, and a "p" in every event payload.
func TestWireConverseStream(t *testing.T) {
	t.Parallel()
	srv := emulator.NewServer(emulator.WithRequestIDSeed(goldenSeed))
	defer srv.Close()
	resp := post(t, srv.URL+"/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream", toolRequest, nil)
	if got := resp.Header.Get("Content-Type"); got != "application/vnd.amazon.eventstream" {
		t.Errorf("Content-Type = %q", got)
	}
	if resp.ContentLength != -1 || len(resp.TransferEncoding) == 0 || resp.TransferEncoding[0] != "chunked" {
		t.Errorf("want a chunked body without Content-Length, got length %d, encoding %v", resp.ContentLength, resp.TransferEncoding)
	}
	raw, _ := io.ReadAll(resp.Body)
	golden(t, "converse-stream.bin", raw)

	var decoded strings.Builder
	dec := eventstream.NewDecoder()
	r := bytes.NewReader(raw)
	for r.Len() > 0 {
		msg, err := dec.Decode(r, nil)
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		var names []string
		for _, h := range msg.Headers {
			names = append(names, h.Name+"="+h.Value.String())
		}
		want := []string{":event-type=", ":content-type=application/json", ":message-type=event"}
		if len(names) != 3 || !strings.HasPrefix(names[0], want[0]) || names[1] != want[1] || names[2] != want[2] {
			t.Errorf("headers = %v, want :event-type, :content-type, :message-type", names)
		}
		var payload map[string]json.RawMessage
		if err := json.Unmarshal(msg.Payload, &payload); err != nil {
			t.Fatalf("payload %s: %v", msg.Payload, err)
		}
		if _, ok := payload["p"]; !ok {
			t.Errorf("payload %s has no p", msg.Payload)
		}
		fmt.Fprintf(&decoded, "%s %s\n", names[0], msg.Payload)
	}
	golden(t, "converse-stream.txt", []byte(decoded.String()))
}

// Error responses: status, x-amzn-ErrorType, and a body with only the message
// (docs/wire-facts.md §2.3; the authorizer's capital "Message": docs/wire-facts.md §7.1).
func TestWireErrors(t *testing.T) {
	t.Parallel()
	srv := emulator.NewServer(emulator.WithBehaviour(raiser), emulator.WithRequestIDSeed(goldenSeed))
	defer srv.Close()
	for _, tc := range []struct {
		name, path, body string
		header           http.Header
	}{
		{"invalid-model", "/model/not-a-model/converse", `{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`, nil},
		{"invalid-model-stream", "/model/not-a-model/converse-stream", `{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`, nil},
		{"no-auth", "/model/amazon.nova-micro-v1%3A0/converse", `{}`, http.Header{"Authorization": nil}},
		{"unknown-operation", "/model/arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-micro-v1:0/converse", `{}`, nil},
		{"throttling", "/model/amazon.nova-micro-v1%3A0/converse", `{"messages":[{"role":"user","content":[{"text":"raise ThrottlingException"}]}]}`, nil},
		{"serialization", "/model/amazon.nova-micro-v1%3A0/converse", `{"messages":[{"role":"user","content":[{"text":7}]}]}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := post(t, srv.URL+tc.path, tc.body, tc.header)
			body, _ := io.ReadAll(resp.Body)
			golden(t, "error-"+tc.name+".http", append([]byte(wireHeaders(resp)+"\n"), body...))
		})
	}
}

// An exception after the stream started: the frames before it, then one exception frame
// (:exception-type, :content-type, :message-type; payload {"message":…} without "p"), and
// the end of the stream (docs/wire-facts.md §3.2).
func TestWireStreamException(t *testing.T) {
	t.Parallel()
	srv := emulator.NewServer(emulator.WithBehaviour(raiser), emulator.WithRequestIDSeed(goldenSeed))
	defer srv.Close()
	resp := post(t, srv.URL+"/model/amazon.nova-micro-v1%3A0/converse-stream", `{"messages":[{"role":"user","content":[{"text":"stream-raise ModelStreamErrorException"}]}]}`, nil)
	raw, _ := io.ReadAll(resp.Body)
	golden(t, "converse-stream-exception.bin", raw)
	dec := eventstream.NewDecoder()
	r := bytes.NewReader(raw)
	var last eventstream.Message
	for r.Len() > 0 {
		msg, err := dec.Decode(r, nil)
		if err != nil {
			t.Fatal(err)
		}
		last = msg
	}
	var got []string
	for _, h := range last.Headers {
		got = append(got, h.Name+"="+h.Value.String())
	}
	want := []string{":exception-type=modelStreamErrorException", ":content-type=application/json", ":message-type=exception"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("exception frame headers (-want +got):\n%s", diff)
	}
	if string(last.Payload) != `{"message":"The request failed with ModelStreamErrorException."}` {
		t.Errorf("payload = %s", last.Payload)
	}
}

// Bedrock API keys (AWS_BEARER_TOKEN_BEDROCK) are sent as a Bearer token and accepted like a
// SigV4 signature; a request with neither is refused (golden error-no-auth.http).
func TestBearerAuth(t *testing.T) {
	t.Parallel()
	srv := emulator.NewServer(emulator.WithRequestIDSeed(goldenSeed))
	defer srv.Close()
	resp := post(t, srv.URL+"/model/amazon.nova-micro-v1%3A0/converse", `{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`,
		http.Header{"Authorization": {"Bearer ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl"}})
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		t.Errorf("Bearer request: %d %s", resp.StatusCode, body)
	}
}
