package spec

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// onePassRequest is a Converse request in Go types of every kind the one-pass reader sets:
// pointers, named strings, uint and float32 numbers, blobs, maps, json.RawMessage (a
// document and a structure kept raw), and members the type leaves out (only checked).
type onePassRequest struct {
	Messages []struct {
		Role    upper `json:"role"`
		Content []struct {
			Text  *string `json:"text"`
			Image *struct {
				Format string `json:"format"`
				Source struct {
					Bytes []byte `json:"bytes"`
				} `json:"source"`
			} `json:"image"`
			ToolUse *struct {
				ToolUseID string          `json:"toolUseId"`
				Name      string          `json:"name"`
				Input     json.RawMessage `json:"input"`
			} `json:"toolUse"`
			CitationsContent json.RawMessage `json:"citationsContent"`
		} `json:"content"`
	} `json:"messages"`
	System          []map[string]string `json:"system"` // a union read as a map: not taken on
	InferenceConfig *struct {
		MaxTokens     *uint16  `json:"maxTokens"`
		Temperature   float32  `json:"temperature"`
		TopP          *float64 `json:"topP"`
		StopSequences []string `json:"stopSequences"`
	} `json:"inferenceConfig"`
	AdditionalModelRequestFields json.RawMessage  `json:"additionalModelRequestFields"`
	RequestMetadata              map[upper]string `json:"requestMetadata"`
	Extra                        string           `json:"extra"` // not in the shape
}

// onePassTaken are bodies the one-pass reader takes on; onePassGivenUp, bodies it leaves to
// the tree path.
var onePassTaken = []string{
	`{"inferenceConfig":{"maxTokens":512,"temperature":0.5},"messages":[{"content":[{"text":"What is the capital of France? Answer in one word."}],"role":"user"}]}`,
	`{"messages":[{"role":"user","content":[{"text":"hi \"you\" \u00e9"},{"image":{"format":"png","source":{"bytes":"iVBORw0KGgo="}}}]}],"requestMetadata":{"k":"v"}}`,
	`{"messages":[{"role":"assistant","content":[{"toolUse":{"toolUseId":"a","name":"t","input":{"x" : [1, "\u0041", null, true]}}}]}],"additionalModelRequestFields":null}`,
	`{"messages":[{"role":"user","content":[{"citationsContent":{"content":[{"text":"x"}],"citations":[]}}]}],"inferenceConfig":{"stopSequences":[],"topP":1e-1}}`,
	`{"messages":[{"role":"user","content":[{"text":"x"}]}],"unknown":{"a":[{"b":"\n"}]},"toolConfig":{"tools":[{"toolSpec":{"name":"t","inputSchema":{"json":{}}}}]}}`,
	`{"messages":[{"role":"user","content":[{"text":"x"}]}],"promptVariables":{"a":{"text":"b"},"c":{"text":""}},"requestMetadata":{"k":""}}`,
}

// Given up on: a violation (a number's range, a union of two, a required member, an enum,
// a map's length), a repeated member or map
// key, an escaped name, a null item, numbers the type cannot hold, bad base64, a member the
// Go type reads otherwise than the shape (a union as a map) or that the shape does not
// have, invalid JSON.
var onePassGivenUp = []string{
	`{"messages":[{"role":"user","content":[{"text":"x"}]}],"inferenceConfig":{"maxTokens":0}}`,
	`{"messages":[{"role":"user","content":[{"text":"x","toolUse":{"toolUseId":"a","name":"t","input":{}}}]}]}`,
	`{"messages":[{"content":[{"text":"x"}]}]}`,
	`{"messages":[{"role":"robot","content":[{"text":"x"}]}]}`,
	`{"messages":[{"role":"user","content":[{"text":"x"}]}],"inferenceConfig":{"maxTokens":1,"maxTokens":2}}`,
	`{"mess\u0061ges":[{"role":"user","content":[{"text":"x"}]}]}`,
	`{"messages":[null,{"role":"user","content":[{"text":"x"}]}]}`,
	`{"messages":[{"role":"user","content":[{"text":"x"}]}],"inferenceConfig":{"maxTokens":70000}}`,
	`{"messages":[{"role":"user","content":[{"text":"x"}]}],"inferenceConfig":{"maxTokens":1.0}}`,
	`{"messages":[{"role":"user","content":[{"image":{"format":"png","source":{"bytes":"AA"}}}]}]}`,
	`{"messages":[{"role":"user","content":[{"text":"x"}]}],"system":[{"text":"s"}]}`,
	`{"messages":[{"role":"user","content":[{"text":"x"}]}],"extra":"e"}`,
	`{"messages":[{"role":"user","content":[{"text":"x"}]}]} x`,
	`{"messages":[{"role":"user","content":[{"text":"x"}]}],"requestMetadata":{"k":"v","k":"w"}}`,
	`{"messages":[{"role":"user","content":[{"text":"x"}]}],"requestMetadata":{}}`,
	`{"messages":[{"role":"user","content":[{"text":"x"}]}],"promptVariables":{"a":{"text":"b"},"a":{"text":"c"}}}`,
}

// TestOnePass: the one-pass reader takes valid bodies on, decoding them as the tree path
// does, and gives up on the rest, which the tree path answers.
func TestOnePass(t *testing.T) {
	t.Parallel()
	for _, body := range onePassTaken {
		if !checkOnePass(t, body) {
			t.Errorf("%s: not read in one pass", body)
		}
	}
	for _, body := range onePassGivenUp {
		if checkOnePass(t, body) {
			t.Errorf("%s: read in one pass", body)
		}
	}
}

// FuzzOnePass checks the one-pass reader against the tree path: a body it takes on is one
// the tree path finds valid and decodes into the same value.
func FuzzOnePass(f *testing.F) {
	for _, s := range append(onePassTaken, onePassGivenUp...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) { checkOnePass(t, body) })
}

// checkOnePass reads body in one pass and, if it was taken on, checks it against the tree
// path.
func checkOnePass(t *testing.T, body string) bool {
	t.Helper()
	var got onePassRequest
	target := targetOf(reflect.TypeOf(&got))
	if !decodeOnePass(onePassPlan("Converse", target), []byte(body), reflect.ValueOf(&got).Elem()) {
		return false
	}
	var want onePassRequest
	vs, err := decodeTree("Converse", []byte(body), &want, target)
	if vs != nil || err != nil {
		t.Fatalf("%q: read in one pass; the tree path answers %v, %v", body, Message(vs), err)
	}
	// reflect.DeepEqual tells a nil slice from an empty one.
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: read in one pass as\n%#v\nthe tree path decodes\n%#v", body, got, want)
	}
	return true
}

// TestOnePassEnumShared: an enum's value is set as the API model's own string, not a copy
// of the body's bytes: two decodes set the same string.
func TestOnePassEnumShared(t *testing.T) {
	t.Parallel()
	role := func() *byte {
		var got onePassRequest
		target := targetOf(reflect.TypeOf(&got))
		if !decodeOnePass(onePassPlan("Converse", target), []byte(onePassTaken[0]), reflect.ValueOf(&got).Elem()) {
			t.Fatal("not read in one pass")
		}
		return unsafe.StringData(string(got.Messages[0].Role))
	}
	if role() != role() {
		t.Error("each decode copies the role")
	}
}

// TestOnePassDepth: a body nested deeper than the tree parser goes is given up on.
func TestOnePassDepth(t *testing.T) {
	t.Parallel()
	body := `{"messages":[{"role":"user","content":[{"text":"x"}]}],"additionalModelRequestFields":` +
		strings.Repeat(`[`, maxParseDepth+10) + strings.Repeat(`]`, maxParseDepth+10) + `}`
	if checkOnePass(t, body) {
		t.Error("read in one pass")
	}
}
