package emulator_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

// The hot path's benchmarks. bench/ (go run ./bench) compares the same paths with a bare
// net/http handler over loopback; these count time and allocations per request in the
// handler alone, for profiling (go test -bench Converse -cpuprofile cpu.out ./emulator).

// benchBody is a small Converse request as the AWS SDK for Go serializes it.
const benchBody = `{"inferenceConfig":{"maxTokens":512,"temperature":0.5},"messages":[{"content":[{"text":"What is the capital of France? Answer in one word."}],"role":"user"}],"system":[{"text":"You are a concise assistant."}]}`

// benchStreamBody asks for a reply that streams 200 one-word text deltas: the default
// reply's ten words and the 190 quoted.
var benchStreamBody = `{"messages":[{"content":[{"text":"` + strings.TrimSpace(strings.Repeat("word ", 190)) + `"}],"role":"user"}]}`

var benchHeader = http.Header{
	"Content-Type":  {"application/json"},
	"Authorization": {"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=00"},
}

const benchPath = "/model/anthropic.claude-3-haiku-20240307-v1%3A0/"

func benchHandler(b *testing.B, op, body string, opts ...func(*emulator.Options)) {
	h, err := emulator.NewHandler(opts...)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, benchPath+op, strings.NewReader(body))
		r.Header = benchHeader
		w := recorder{httptest.NewRecorder()}
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}

// BenchmarkConverse serves Converse in the handler: routing, decoding, validation, the
// default generator, the journal and encoding.
func BenchmarkConverse(b *testing.B) { benchHandler(b, "converse", benchBody) }

// BenchmarkConverseLogged serves Converse in the handler with the served binary's default
// logger (slog's text handler at info level), writing to io.Discard: the per-request log
// line's cost.
func BenchmarkConverseLogged(b *testing.B) {
	benchHandler(b, "converse", benchBody, emulator.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
}

// BenchmarkConverseStream serves a 200-delta ConverseStream in the handler.
func BenchmarkConverseStream(b *testing.B) { benchHandler(b, "converse-stream", benchStreamBody) }

// BenchmarkConverseServer serves Converse over loopback from a real server to parallel
// keep-alive clients.
func BenchmarkConverseServer(b *testing.B) {
	benchServer(b, &http.Transport{MaxIdleConnsPerHost: 64}, "converse", benchBody)
}

// BenchmarkConverseStreamH2C serves a 200-delta ConverseStream over loopback to parallel
// HTTP/2 clients with prior knowledge (h2c), as the AWS SDK for JavaScript speaks to an
// http:// endpoint.
func BenchmarkConverseStreamH2C(b *testing.B) {
	tr := &http.Transport{Protocols: new(http.Protocols)}
	tr.Protocols.SetUnencryptedHTTP2(true)
	benchServer(b, tr, "converse-stream", benchStreamBody)
}

// benchServer serves op from a real server to parallel clients of tr, each answer read to
// its end, and fails unless it is a 200 over tr's protocol.
func benchServer(b *testing.B, tr *http.Transport, op, body string) {
	srv := emulator.NewServer()
	defer srv.Close()
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	url := srv.URL + benchPath + op
	major := 1
	if tr.Protocols != nil && tr.Protocols.UnencryptedHTTP2() {
		major = 2
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
			req.Header = benchHeader
			resp, err := c.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || resp.ProtoMajor != major {
				b.Errorf("%s %d", resp.Proto, resp.StatusCode)
				return
			}
		}
	})
}

// BenchmarkNewServerClose starts and closes an in-process emulator, as a test does.
func BenchmarkNewServerClose(b *testing.B) {
	emulator.NewServer().Close() // the built-in catalogue is parsed once per process
	b.ReportAllocs()
	for b.Loop() {
		emulator.NewServer().Close()
	}
}

// BenchmarkRequests lists a full journal, as the admin API and Server.Requests do.
func BenchmarkRequests(b *testing.B) {
	srv := emulator.NewServer()
	defer srv.Close()
	h := srv.Handler()
	for range emulator.DefaultJournalSize {
		r := httptest.NewRequest(http.MethodPost, benchPath+"converse", strings.NewReader(benchBody))
		r.Header = benchHeader
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	b.ReportAllocs()
	for b.Loop() {
		if n := len(srv.Requests()); n != emulator.DefaultJournalSize {
			b.Fatalf("%d entries, want %d", n, emulator.DefaultJournalSize)
		}
	}
}

// recorder is an httptest.ResponseRecorder that takes write deadlines, as a server's
// connection does (the stall guard sets one per write).
type recorder struct{ *httptest.ResponseRecorder }

func (recorder) SetWriteDeadline(time.Time) error { return nil }

// BenchmarkInvokeModel serves InvokeModel with an Anthropic Messages body in the handler.
func BenchmarkInvokeModel(b *testing.B) {
	benchHandler(b, "invoke", `{"anthropic_version":"bedrock-2023-05-31","max_tokens":512,"messages":[{"role":"user","content":"What is the capital of France? Answer in one word."}]}`)
}
