package emulator_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

// FuzzConverse feeds arbitrary bodies and model IDs through decoding, validation and the
// default generator: the emulator must answer 200 or a modeled 4xx (x-amzn-ErrorType and a
// message), never 5xx or a panic, and a 200 stream must decode, frame by frame, to its
// metadata event. Seeds: the f.Add calls and testdata/fuzz/FuzzConverse.
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
	// What the default generator answers in the shapes of requested.go.
	f.Add("us.anthropic.claude-haiku-4-5-20251001-v1%3A0", `{"messages":[{"role":"user","content":[{"text":"hi"}]}],"additionalModelRequestFields":{"reasoning_config":{"type":"enabled","budget_tokens":1024}}}`)
	f.Add("us.amazon.nova-2-lite-v1%3A0", `{"messages":[{"role":"user","content":[{"text":"hi"}]}],"additionalModelRequestFields":{"reasoningConfig":{"type":"enabled"}}}`)
	f.Add("us.anthropic.claude-haiku-4-5-20251001-v1%3A0", `{"messages":[{"role":"user","content":[{"text":"Who?"},{"document":{"format":"txt","name":"facts","source":{"text":"A b. C d.\n"},"citations":{"enabled":true}}}]}]}`)
	f.Add("us.anthropic.claude-haiku-4-5-20251001-v1%3A0", `{"messages":[{"role":"user","content":[{"text":"x"}]}],"outputConfig":{"textFormat":{"type":"json_schema","structure":{"jsonSchema":{"schema":"{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}}}","name":"r"}}}}}`)
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
			if err := checkAnswer(rec.Result()); err != nil {
				t.Fatalf("%s %q %q: %v", op, model, body, err)
			}
		}
	})
}

// checkAnswer reports an answer that is not a modeled one: a 5xx, an error without
// x-amzn-ErrorType or message, a reply that is not JSON, a stream that does not decode to
// its end.
func checkAnswer(resp *http.Response) error {
	body, _ := io.ReadAll(resp.Body)
	switch {
	case resp.StatusCode >= 500:
		return errors.New(resp.Status + ": " + string(body))
	case resp.StatusCode >= 400:
		var m map[string]*string
		// A recorder keeps the header's spelling; a client canonicalizes it.
		errType := resp.Header.Get("X-Amzn-Errortype") + strings.Join(resp.Header["x-amzn-ErrorType"], "")
		if errType == "" || json.Unmarshal(body, &m) != nil || (m["message"] == nil && m["Message"] == nil) {
			return errors.New("not a modeled error: " + resp.Status + " " + string(body))
		}
	case resp.Header.Get("Content-Type") == "application/vnd.amazon.eventstream":
		return checkStream(body)
	case !json.Valid(body):
		return errors.New("reply is not JSON: " + string(body))
	}
	return nil
}

// checkStream decodes an event stream with the SDK's decoder (which checks both CRCs) and
// checks it ends with metadata or an exception.
func checkStream(b []byte) error {
	dec := eventstream.NewDecoder()
	r := bytes.NewReader(b)
	last := ""
	for r.Len() > 0 {
		msg, err := dec.Decode(r, nil)
		if err != nil {
			return err
		}
		if !json.Valid(msg.Payload) {
			return errors.New("frame payload is not JSON: " + string(msg.Payload))
		}
		last = msg.Headers.Get(":event-type").String()
		if last == "" {
			last = "exception " + msg.Headers.Get(":exception-type").String()
		}
	}
	if last != "metadata" && !strings.HasPrefix(last, "exception") {
		return errors.New("stream ends with " + last)
	}
	return nil
}

// FuzzStrictAuth sends arbitrary Authorization, X-Amz-Date and session token headers to a
// server in strict auth mode: each gets a modeled 4xx, never a 5xx, a panic or a pass.
func FuzzStrictAuth(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AKIASTRICTEXAMPLE/20250101/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=00", "20250101T000000Z", "")
	f.Add("AWS4-HMAC-SHA256 Credential=AKIASTRICTEXAMPLE/20250101/us-east-1/bedrock/aws4_request, SignedHeaders=;;;, Signature=", "20990101T000000Z", "token")
	f.Add("AWS4-HMAC-SHA256 Credential=////, SignedHeaders=content-length;x-amz-content-sha256, Signature=zz", "garbage", "")
	f.Add("AWS4-HMAC-SHA256 ,,,=,=", "", "")
	f.Add("Bearer ABSK", "", "")
	f.Add("Bearer ", "", "")
	f.Add("Basic Zm9vOmJhcg==", "", "")
	h, err := emulator.NewHandler(emulator.WithAuth(emulator.AuthStrict), emulator.WithCredentials(strictKey), emulator.WithAPIKeys(strictAPIKey))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, auth, date, token string) {
		if strings.TrimPrefix(auth, "Bearer ") == strictAPIKey {
			return
		}
		req := httptest.NewRequest(http.MethodPost, haiku, strings.NewReader(hi))
		for k, v := range map[string]string{"Authorization": auth, "X-Amz-Date": date, "X-Amz-Security-Token": token} {
			if !validHeader(v) {
				return // net/http would refuse to send it
			}
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		resp := rec.Result()
		if resp.StatusCode == http.StatusOK {
			t.Fatalf("%q %q %q: accepted", auth, date, token)
		}
		if err := checkAnswer(resp); err != nil {
			t.Fatalf("%q %q %q: %v", auth, date, token, err)
		}
	})
}

func validHeader(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
