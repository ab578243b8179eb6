package spec

import (
	"encoding/json"
	"reflect"
	"testing"
)

// The emulator's FuzzDecodeConverse checks DecodeBody against validation plus
// json.Unmarshal for its ConverseRequest; these tests cover the Go types it does not have.

const decodeBody = `{"messages":[{"role":"user","content":[{"text":"hi"}]}],"inferenceConfig":{"maxTokens":7,"topP":0.5},"requestMetadata":{"k":"v"}}`

type (
	upper     string
	ownDecode struct{ got string }
)

func (o *ownDecode) UnmarshalJSON(b []byte) error { o.got = string(b); return nil }

func TestDecodeBody(t *testing.T) {
	t.Parallel()
	type config struct {
		MaxTokens uint16  `json:"maxTokens"`
		TopP      float32 `json:"topP"`
	}
	tests := []struct {
		name string
		v    any // a pointer to a zero value of the type to decode into
		fast bool
	}{
		{"uint and float32", &struct {
			InferenceConfig config `json:"inferenceConfig"`
		}{}, true},
		{"named string keys and values", &struct {
			RequestMetadata map[upper]upper `json:"requestMetadata"`
		}{}, true},
		{"raw messages", &struct {
			Messages []struct {
				Content json.RawMessage `json:"content"`
			} `json:"messages"`
		}{}, true},
		{"an interface", &struct {
			Messages any `json:"messages"`
		}{}, false},
		{"its own UnmarshalJSON", &struct {
			Messages ownDecode `json:"messages"`
		}{}, false},
		{"an embedded struct", &struct {
			config
		}{}, false},
		{"a raw message in a slice", &struct {
			Messages []json.RawMessage `json:"messages"`
		}{}, false},
		{"the string option", &struct {
			InferenceConfig struct {
				MaxTokens string `json:"maxTokens,string"`
			} `json:"inferenceConfig"`
		}{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if fast := targetOf(reflect.TypeOf(tt.v)) != nil; fast != tt.fast {
				t.Errorf("decoded in one pass: %v, want %v", fast, tt.fast)
			}
			vs, err := DecodeBody("Converse", []byte(decodeBody), tt.v)
			if vs != nil {
				t.Fatalf("violations: %v", Message(vs))
			}
			want := reflect.New(reflect.TypeOf(tt.v).Elem())
			wantErr := json.Unmarshal([]byte(decodeBody), want.Interface())
			if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
				t.Errorf("error %v, json.Unmarshal's %v", err, wantErr)
			}
			if got := reflect.ValueOf(tt.v).Elem().Interface(); !reflect.DeepEqual(got, want.Elem().Interface()) {
				t.Errorf("decoded %#v, json.Unmarshal decodes %#v", got, want.Elem().Interface())
			}
		})
	}
}

// TestDecodeBodyViolations: a body with violations decodes into nothing, and one that
// parses only with encoding/json (deeper than parseJSON goes) still decodes.
func TestDecodeBodyViolations(t *testing.T) {
	t.Parallel()
	var req struct {
		InferenceConfig *struct {
			MaxTokens *int `json:"maxTokens"`
		} `json:"inferenceConfig"`
	}
	vs, err := DecodeBody("Converse", []byte(`{"messages":[],"inferenceConfig":{"maxTokens":0}}`), &req)
	if len(vs) == 0 || err != nil || req.InferenceConfig != nil {
		t.Errorf("violations %v, error %v, decoded %+v; want violations only", vs, err, req)
	}
	deep := `{"messages":[{"role":"user","content":[{"text":"x"}]}],"inferenceConfig":{"maxTokens":3},"additionalModelRequestFields":` +
		string(nested(maxParseDepth+10)) + `}`
	if vs, err := DecodeBody("Converse", []byte(deep), &req); vs != nil || err != nil || *req.InferenceConfig.MaxTokens != 3 {
		t.Errorf("deep body: violations %v, error %v, decoded %+v", vs, err, req)
	}
}

func nested(n int) []byte {
	b := make([]byte, 0, 2*n)
	for range n {
		b = append(b, '[')
	}
	for range n {
		b = append(b, ']')
	}
	return b
}

// TestDecodeBodyEmptyArray: [] decodes to an empty slice, not nil, as json.Unmarshal
// decodes it.
func TestDecodeBodyEmptyArray(t *testing.T) {
	t.Parallel()
	var req struct {
		InferenceConfig struct {
			StopSequences []string `json:"stopSequences"`
		} `json:"inferenceConfig"`
	}
	body := `{"messages":[{"role":"user","content":[{"text":"hi"}]}],"inferenceConfig":{"stopSequences":[]}}`
	if vs, err := DecodeBody("Converse", []byte(body), &req); vs != nil || err != nil || req.InferenceConfig.StopSequences == nil {
		t.Errorf("violations %v, error %v, stopSequences %#v; want []string{}", vs, err, req.InferenceConfig.StopSequences)
	}
}
