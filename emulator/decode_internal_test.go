package emulator

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// decodeSeeds are Converse bodies that reach every kind of member ConverseRequest has:
// strings, numbers, booleans, blobs, maps, empty structs, json.RawMessage (documents and
// structures kept raw, null among them), and bodies the one-pass decoder leaves to
// encoding/json (numbers that do not fit, bad base64, deep nesting).
var decodeSeeds = []string{
	`{"inferenceConfig":{"maxTokens":512,"temperature":0.5},"messages":[{"content":[{"text":"What is the capital of France? Answer in one word."}],"role":"user"}],"system":[{"text":"You are a concise assistant."}]}`,
	`{"messages":[{"role":"user","content":[{"text":"hi"},{"image":{"format":"png","source":{"bytes":"iVBORw0KGgo="}}}]}]}`,
	`{"messages":[{"role":"user","content":[{"toolResult":{"toolUseId":"a","content":[{"json": {"b" : [1, 2] , "a":null}}]}}]}],"toolConfig":{"tools":[{"toolSpec":{"name":"t","inputSchema":{"json":{"type":"object"}}}}],"toolChoice":{"auto":{}}}}`,
	`{"messages":[{"role":"assistant","content":[{"toolUse":{"toolUseId":"a","name":"t","input":{"x" : 1}}}]},{"role":"user","content":[{"text":"y"}]}],"additionalModelRequestFields":null}`,
	`{"messages":[{"role":"user","content":[{"citationsContent":{"content":[{"text":"x"}],"citations":[]}},{"guardContent":{"image":{"format":"png","source":{"bytes":"AAAA"}}}}]}]}`,
	`{"messages":[{"role":"user","content":[{"document":{"name":"d","format":"txt","source":{"content":[{"text":"x"}]}}},{"searchResult":{"source":"s","title":"t","content":[{"text":"c"}]}}]}]}`,
	`{"messages":[{"role":"user","content":[{"text":"x"}]}],"promptVariables":{"a":{"text":"b"},"c":null},"requestMetadata":{"k":"v","n":null},"additionalModelResponseFieldPaths":["/a",null]}`,
	`{"messages":[null,{"role":"user","content":[{"text":"x"}]}],"system":[],"inferenceConfig":{"maxTokens":1e2,"stopSequences":[]}}`,
	`{"messages":[{"role":"user","content":[{"text":"x"}]}],"inferenceConfig":{"maxTokens":99999999999999999999}}`,
	`{"messages":[{"role":"user","content":[{"text":"x"}]}],"inferenceConfig":{"temperature":1e999}}`,
	`{"messages":[{"role":"user","content":[{"image":{"format":"png","source":{"bytes":"not base64!"}}}]}]}`,
	`{"messages":[{"role":"user","content":[{"text":"x"}]}],"additionalModelRequestFields":` + strings.Repeat(`[`, 600) + strings.Repeat(`]`, 600) + `}`,
	`{"mess\u0061ges":[{"role":"user","content":[{"text":"\u00e9\ud83d\ude00"}]}],"serviceTier":{"type":"default"},"performanceConfig":{"latency":"standard"}}`,
	`{"messages":[{"role":"user","content":[{"reasoningContent":{"redactedContent":"AAEC"}},{"cachePoint":{"type":"default"}}]}],"outputConfig":{"textFormat":{"type":"json_schema","structure":{"jsonSchema":{"schema":"{}","name":"r"}}}}}`,
	`{"messages":[{"role":"user","content":[{"text":"x"}]}],"inferenceConfig":{"maxTokens":1,"maxTokens":2}}`,
	`{"messages":[{"role":"user","content":[{"text":"x"}]}],"InferenceConfig":{"maxTokens":1}}`,
	`{"messages":"x"}`, `[]`, `{"messages":[{"role":"user","content":[{"text":"x"}]}]} x`,
}

// FuzzDecodeConverse checks the one-pass decoder (decodeShape, spec.DecodeBody) against
// the two passes it replaced: the API model's validation, then encoding/json into a
// ConverseRequest. Both must answer the same error, or the same request. Bodies whose
// objects repeat a key, or name a member in other letter cases, are left out: there the
// decoder keeps exactly what was validated (the last of a repeated key, exact names), where
// encoding/json merges and folds case (spec.DecodeBody's doc).
func FuzzDecodeConverse(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add(s)
	}
	names := jsonNames(reflect.TypeFor[ConverseRequest]())
	f.Fuzz(func(t *testing.T, body string) {
		if ambiguousKeys(body, names) {
			return
		}
		for _, op := range []string{OpConverse, OpConverseStream} {
			var got ConverseRequest
			gotErr := decodeShape(op, []byte(body), &got)
			var want ConverseRequest
			wantErr := validateShape(op, []byte(body))
			if wantErr == nil {
				if err := json.Unmarshal([]byte(body), &want); err != nil {
					wantErr = serializationError(err.Error())
				}
			}
			if diff := cmp.Diff(wantErr, gotErr, cmp.Comparer(func(a, b *Error) bool {
				return a == nil && b == nil || a != nil && b != nil && a.Type == b.Type && a.Message == b.Message
			})); diff != "" {
				t.Fatalf("%s %q: error (-two passes +one):\n%s", op, body, diff)
			}
			// reflect.DeepEqual, not cmp: it tells a nil slice from an empty one, as
			// encoding/json does, and is quick on deep documents.
			if wantErr == nil && !reflect.DeepEqual(want, got) {
				t.Fatalf("%s %q: one pass decoded\n%#v\ntwo passes\n%#v", op, body, got, want)
			}
		}
	})
}

func TestDecodeSeeds(t *testing.T) {
	t.Parallel()
	names := jsonNames(reflect.TypeFor[ConverseRequest]())
	for _, body := range decodeSeeds {
		if ambiguousKeys(body, names) {
			continue
		}
		var got, want ConverseRequest
		gotErr := decodeShape(OpConverse, []byte(body), &got)
		wantErr := validateShape(OpConverse, []byte(body))
		if wantErr == nil {
			if err := json.Unmarshal([]byte(body), &want); err != nil {
				wantErr = serializationError(err.Error())
			}
		}
		if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Message != wantErr.Message {
			t.Errorf("%q: error %v, want %v", body, gotErr, wantErr)
		}
		if wantErr == nil && !reflect.DeepEqual(want, got) {
			t.Errorf("%q: decoded %#v, want %#v", body, got, want)
		}
	}
}

// TestDecodeKeepsWhatWasValidated: a repeated member counts once, the last, and a member
// named in other letter cases is not one, in the request as in its validation.
func TestDecodeKeepsWhatWasValidated(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		body      string
		maxTokens *int
	}{
		{`{"messages":[{"role":"user","content":[{"text":"x"}]}],"inferenceConfig":{"maxTokens":1},"inferenceConfig":{"topP":0.5}}`, nil},
		{`{"messages":[{"role":"user","content":[{"text":"x"}]}],"inferenceConfig":{"topP":0.5},"inferenceConfig":{"maxTokens":2}}`, ptr(2)},
		{`{"messages":[{"role":"user","content":[{"text":"x"}]}],"InferenceConfig":{"maxTokens":0}}`, nil},
	} {
		var req ConverseRequest
		if e := decodeShape(OpConverse, []byte(tt.body), &req); e != nil {
			t.Fatalf("%s: %v", tt.body, e)
		}
		var got *int
		if req.InferenceConfig != nil {
			got = req.InferenceConfig.MaxTokens
		}
		if diff := cmp.Diff(tt.maxTokens, got); diff != "" {
			t.Errorf("%s: maxTokens (-want +got):\n%s", tt.body, diff)
		}
	}
}

// jsonNames collects the json names of t's struct fields, and of the types they hold.
func jsonNames(t reflect.Type) map[string]bool {
	names := map[string]bool{}
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(t reflect.Type) {
		if seen[t] {
			return
		}
		seen[t] = true
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map:
			walk(t.Elem())
		case reflect.Struct:
			for i := range t.NumField() {
				name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
				names[name] = true
				walk(t.Field(i).Type)
			}
		}
	}
	walk(t)
	return names
}

// ambiguousKeys reports whether body, if it is JSON, has an object that repeats a key, or a
// key that is one of names in other letter cases.
func ambiguousKeys(body string, names map[string]bool) bool {
	dec := json.NewDecoder(strings.NewReader(body))
	type frame struct {
		object bool
		keys   map[string]bool
		key    bool // the next token of an object is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.key {
			if k, ok := tok.(string); ok {
				if top.keys[k] {
					return true
				}
				top.keys[k] = true
				for n := range names {
					if n != k && strings.EqualFold(n, k) {
						return true
					}
				}
				top.key = false
				continue
			}
		}
		if top != nil && top.object {
			top.key = true // after this value
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, keys: map[string]bool{}, key: true})
		case json.Delim('['):
			stack = append(stack, &frame{})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			if len(stack) > 0 && stack[len(stack)-1].object {
				stack[len(stack)-1].key = true
			}
		}
	}
}

// decodeToolsBody is a Converse body with a tool, a tool use and its result.
const decodeToolsBody = `{"messages":[{"role":"user","content":[{"text":"What is the weather in Paris?"}]},{"role":"assistant","content":[{"text":"Let me look."},{"toolUse":{"toolUseId":"tooluse_1","name":"get_weather","input":{"city":"Paris"}}}]},{"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_1","content":[{"json":{"temperature":21,"sky":"clear"}}],"status":"success"}}]}],"system":[{"text":"You answer briefly."}],"inferenceConfig":{"maxTokens":1024,"temperature":0.2,"topP":0.9,"stopSequences":["END"]},"toolConfig":{"tools":[{"toolSpec":{"name":"get_weather","description":"Current weather of a city","inputSchema":{"json":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}}],"toolChoice":{"auto":{}}}}`

// BenchmarkDecodeConverse decodes and validates benchmark-sized Converse bodies into a
// ConverseRequest, as every Converse does: a small one, and one with a tool, a tool use
// and its result.
func BenchmarkDecodeConverse(b *testing.B) {
	for _, bb := range []struct{ name, body string }{
		{"small", decodeSeeds[0]},
		{"tools", decodeToolsBody},
	} {
		b.Run(bb.name, func(b *testing.B) {
			body := []byte(bb.body)
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				var req ConverseRequest
				if e := decodeShape(OpConverse, body, &req); e != nil {
					b.Fatal(e.Message)
				}
			}
		})
	}
}

// TestDecodeConverseOnePass: a valid body is read in one pass, without the generic tree the
// validator walks otherwise (35 allocations for the small body of BenchmarkDecodeConverse,
// 143 for the one with tools): allocations are counted, which does not depend on the
// machine's speed.
func TestDecodeConverseOnePass(t *testing.T) {
	for _, tt := range []struct {
		body string
		most float64
	}{
		{decodeSeeds[0], 15},
		{decodeToolsBody, 50},
	} {
		body := []byte(tt.body)
		allocs := testing.AllocsPerRun(20, func() {
			var req ConverseRequest
			if e := decodeShape(OpConverse, body, &req); e != nil {
				t.Fatal(e.Message)
			}
		})
		if allocs > tt.most {
			t.Errorf("%s: %.0f allocations, want at most %.0f", tt.body, allocs, tt.most)
		}
	}
}
