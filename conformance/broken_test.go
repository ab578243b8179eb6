package conformance_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"

	"github.com/bedrock-emulator/bedrock-emulator/conformance"
	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

// The suite must catch a server that is wrong in one way, naming the case and the reason.
// Each server below is the emulator with one thing broken by a wrapping http.Handler.
func TestBrokenServers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		breakIt func(http.Handler) http.Handler
		// want maps case names that must fail to a phrase their reason must contain.
		want map[string]string
	}{
		{
			name:    "accepts two user turns in a row",
			breakIt: mergeSameRoleTurns,
			want: map[string]string{
				"validation/roles-alternate":           "got a successful answer",
				"validation/roles-alternate-assistant": "got a successful answer",
			},
		},
		{
			name:    "streams metadata before messageStop",
			breakIt: swapLastTwoFrames,
			want: map[string]string{
				"stream/basic":                            "metadata before messageStop",
				"tools/stream-round-trip":                 "metadata before messageStop",
				"seed/one-shot/amazon.titan-text-lite-v1": "metadata before messageStop",
			},
		},
		{
			name:    "answers errors without x-amzn-ErrorType",
			breakIt: dropErrorType,
			want: map[string]string{
				"validation/roles-alternate": "no x-amzn-ErrorType header",
				"validation/empty-content":   "no x-amzn-ErrorType header",
				"auth/unsigned":              "no x-amzn-ErrorType header",
			},
		},
		{
			name: "answers InvokeModel without its input token count",
			breakIt: rewrite(func(r *http.Request, h http.Header, body []byte) []byte {
				h.Del("X-Amzn-Bedrock-Input-Token-Count")
				return body
			}),
			want: map[string]string{
				"invoke/anthropic": `X-Amzn-Bedrock-Input-Token-Count "", want a count`,
				"invoke/llama":     `X-Amzn-Bedrock-Input-Token-Count "", want a count`,
			},
		},
		{
			name: "counts no tokens",
			breakIt: rewrite(func(r *http.Request, h http.Header, body []byte) []byte {
				if strings.HasSuffix(r.URL.Path, "/count-tokens") && h.Get("X-Amzn-ErrorType") == "" {
					return []byte(`{"inputTokens":0}`)
				}
				return body
			}),
			want: map[string]string{
				"count-tokens/converse":     "inputTokens 0, want at least 1",
				"count-tokens/invoke-model": "inputTokens 0, want at least 1",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(tt.breakIt(newHandler(t)))
			t.Cleanup(srv.Close)
			target := conformance.Endpoint(srv.URL)
			results := map[string]conformance.Result{}
			for _, r := range conformance.Run(t.Context(), target, conformance.Cases()) {
				results[r.Case] = r
			}
			for name, phrase := range tt.want {
				r, ok := results[name]
				switch {
				case !ok:
					t.Errorf("no case %s", name)
				case r.Outcome != conformance.Fail:
					t.Errorf("%s: outcome %s (%s), want fail against a server that %s", name, r.Outcome, r.Why, tt.name)
				case !strings.HasPrefix(r.Why, "step ") || !strings.Contains(strings.Join(r.Problems, "\n"), phrase):
					t.Errorf("%s failed saying %q (all: %q), want the step and %q", name, r.Why, r.Problems, phrase)
				}
			}
		})
	}
}

// mergeSameRoleTurns joins consecutive messages of one role into one before the emulator
// sees them, so it accepts conversations that do not alternate.
func mergeSameRoleTurns(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var req map[string]json.RawMessage
		var msgs []struct {
			Role    string            `json:"role"`
			Content []json.RawMessage `json:"content"`
		}
		if json.Unmarshal(body, &req) == nil && json.Unmarshal(req["messages"], &msgs) == nil {
			merged := msgs[:0]
			for _, m := range msgs {
				if n := len(merged); n > 0 && merged[n-1].Role == m.Role {
					merged[n-1].Content = append(merged[n-1].Content, m.Content...)
					continue
				}
				merged = append(merged, m)
			}
			req["messages"], _ = json.Marshal(merged)
			body, _ = json.Marshal(req)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		r.Header.Set("Content-Length", strconv.Itoa(len(body)))
		next.ServeHTTP(w, r)
	})
}

// swapLastTwoFrames sends a stream's last two events (messageStop, metadata) in the wrong
// order.
func swapLastTwoFrames(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		if rec.Header().Get("Content-Type") == "application/vnd.amazon.eventstream" {
			dec, enc := eventstream.NewDecoder(), eventstream.NewEncoder()
			var frames []eventstream.Message
			for rd := bytes.NewReader(body); rd.Len() > 0; {
				m, err := dec.Decode(rd, nil)
				if err != nil {
					break
				}
				frames = append(frames, m)
			}
			if n := len(frames); n >= 2 {
				frames[n-2], frames[n-1] = frames[n-1], frames[n-2]
			}
			var out bytes.Buffer
			for _, f := range frames {
				enc.Encode(&out, f)
			}
			body = out.Bytes()
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.(http.Flusher).Flush() // chunked, as the emulator streams
		w.Write(body)
	})
}

// rewrite lets f change each answer's headers and body before it is sent.
func rewrite(f func(r *http.Request, h http.Header, body []byte) []byte) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			h := rec.Header().Clone()
			body := f(r, h, rec.Body.Bytes())
			h.Set("Content-Length", strconv.Itoa(len(body)))
			if h.Get("Content-Type") == "application/vnd.amazon.eventstream" {
				h.Del("Content-Length")
			}
			for k, v := range h {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			w.Write(body)
		})
	}
}

// dropErrorType removes x-amzn-ErrorType from every answer.
func dropErrorType(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&noErrorType{ResponseWriter: w}, r)
	})
}

type noErrorType struct{ http.ResponseWriter }

func (w *noErrorType) WriteHeader(code int) {
	delete(w.Header(), "x-amzn-ErrorType")
	w.Header().Del("X-Amzn-ErrorType")
	w.ResponseWriter.WriteHeader(code)
}

func (w *noErrorType) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// newHandler is the emulator as an http.Handler.
func newHandler(t *testing.T) http.Handler {
	t.Helper()
	h, err := emulator.NewHandler()
	if err != nil {
		t.Fatal(err)
	}
	return h
}
