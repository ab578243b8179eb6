package emulator_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

// FuzzConverse feeds arbitrary bodies and model IDs through decoding, validation and the
// default generator: the emulator must answer 200 or a modeled 4xx, never 5xx or a panic.
func FuzzConverse(f *testing.F) {
	for _, seed := range []string{
		`{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`,
		toolRequest,
		`{"messages":[{"role":"user","content":[{"image":{"format":"png","source":{"bytes":"iVBORw0KGgo="}}}]}]}`,
		`{"messages":[{"role":"user","content":[{"text":"x"}]}],"inferenceConfig":{"maxTokens":0,"temperature":7}}`,
		`{"messages":[{"role":"assistant","content":[]}],"system":[{"text":""}]}`,
		`{"messages":[{"role":"user","content":[{"toolResult":{"toolUseId":"a","content":[{"json":[1]}]}}]}]}`,
		`{"messages":`, `[]`, `null`, `{"messages":[{"role":"user","content":[{"text":"a","image":{}}]}]}`,
	} {
		f.Add("anthropic.claude-3-haiku-20240307-v1%3A0", seed)
	}
	f.Add("arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fabc123", `{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`)
	h, err := emulator.NewHandler()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, model, body string) {
		for _, op := range []string{"converse", "converse-stream"} {
			target := "/model/" + model + "/" + op
			u, err := url.ParseRequestURI(target)
			if err != nil {
				return
			}
			req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
			req.URL, req.RequestURI = u, target
			req.Header.Set("Authorization", "Bearer key")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("%s %q %q: status %d: %s", op, model, body, rec.Code, rec.Body)
			}
		}
	})
}
