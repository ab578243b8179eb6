package spec

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

var jsonBodySeeds = []string{
	`{}`, `[]`, `null`, `0`, `-0.5e+10`, `"s"`, ` {"a" : [1, 2.5, -3e2, true, false, null, {}, []] } `,
	`{"messages":[{"role":"user","content":[{"text":"Hi \"there\"\n\t\u00e9\u2028 \ud83d\ude00"}]}]}`,
	`{"a":"\ud800"}`, `{"a":"\ud800\u0041"}`, `{"a":"\udc00\ud800"}`, `{"a":"\ud83d\ude00\ud83d"}`,
	"{\"a\":\"bad \xff utf-8 \xc3\"}", `{"a":1,"a":2}`, `{"a":"\/\b\f\r"}`,
	// Invalid, or not taken on: the slow path answers.
	``, ` `, `{`, `{"a"}`, `{"a":}`, `{"a":1,}`, `[1,]`, `01`, `1.`, `-`, `1e`, `.5`, `+1`,
	`tru`, `nul`, `"\x"`, `"\u12"`, `"\u12G4"`, "\"ctl\x01\"", `"\'"`, `{} x`, `{}}`, `{} {}`,
	`{"a":1} ]`, `[` + strings.Repeat(`[`, 600) + strings.Repeat(`]`, 601),
}

// FuzzParseJSON checks parseJSON against encoding/json: where it takes a body on, it decodes
// it to the same value, and it takes on every valid body of reasonable depth.
func FuzzParseJSON(f *testing.F) {
	for _, s := range jsonBodySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		want, err := decodeValue([]byte(body))
		got, ok := parseJSON([]byte(body))
		switch {
		case ok && err != nil:
			t.Fatalf("parseJSON(%q) took it on; encoding/json answers %v", body, err)
		case ok:
			// reflect.DeepEqual, not cmp: cmp takes exponential time on deep nesting.
			if !reflect.DeepEqual(want, got) {
				t.Fatalf("parseJSON(%q) = %#v, encoding/json decodes %#v", body, got, want)
			}
		case json.Valid([]byte(body)) && depth(body) <= maxParseDepth:
			t.Fatalf("parseJSON(%q) refused a valid body", body)
		}
	})
}

// depth is the nesting depth of a valid JSON body.
func depth(body string) int {
	dec := json.NewDecoder(strings.NewReader(body))
	d, deepest := 0, 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return deepest
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			d++
			deepest = max(deepest, d)
		case json.Delim('}'), json.Delim(']'):
			d--
		}
	}
}

func TestParseJSONSeeds(t *testing.T) {
	t.Parallel()
	for _, body := range jsonBodySeeds {
		want, err := decodeValue([]byte(body))
		got, ok := parseJSON([]byte(body))
		if ok && (err != nil || !reflect.DeepEqual(want, got)) {
			t.Errorf("parseJSON(%q) = %#v; encoding/json: %#v, %v", body, got, want, err)
		}
	}
}
