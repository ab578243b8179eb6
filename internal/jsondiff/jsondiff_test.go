package jsondiff_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-emulator/bedrock-emulator/internal/jsondiff"
)

func decode(t *testing.T, s string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestDiff(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, reason, a, b string
		cmp                jsondiff.Comparer
		want               []jsondiff.Change
	}{
		{name: "equal", reason: "no change", a: `{"a":[1,{"b":null}]}`, b: `{"a":[1,{"b":null}]}`},
		{name: "leaf", reason: "a changed leaf is named by its path", a: `{"m":[{"t":"Bye"}]}`, b: `{"m":[{"t":"Bye!"}]}`,
			want: []jsondiff.Change{{Path: "x.m[0].t", A: `"Bye"`, B: `"Bye!"`}}},
		{name: "members", reason: "a member one side lacks is one change, in key order", a: `{"a":1,"c":{"d":[1,2]}}`, b: `{"a":1,"b":true}`,
			want: []jsondiff.Change{{Path: "x.b", B: "true"}, {Path: "x.c", A: `{"d":[1,2]}`}}},
		{name: "elements", reason: "arrays are compared index by index", a: `[1,2]`, b: `[1,3,4]`,
			want: []jsondiff.Change{{Path: "x[1]", A: "2", B: "3"}, {Path: "x[2]", B: "4"}}},
		{name: "kinds", reason: "values of different kinds differ as a whole", a: `{"a":"1"}`, b: `{"a":1}`,
			want: []jsondiff.Change{{Path: "x.a", A: `"1"`, B: "1"}}},
		{name: "no HTML escaping", reason: "text is shown as written", a: `"<a>"`, b: `"&"`,
			want: []jsondiff.Change{{Path: "x", A: `"<a>"`, B: `"&"`}}},
		{name: "comparer", reason: "the comparer decides for the members it handles", a: `{"text":"a","n":1}`, b: `{"text":"b","n":2}`,
			cmp:  func(key string, a, b any) (bool, bool) { return true, key == "text" },
			want: []jsondiff.Change{{Path: "x.n", A: "1", B: "2"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := jsondiff.Diff("x", decode(t, tt.a), decode(t, tt.b), tt.cmp)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s: Diff (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func ExampleFormat() {
	recorded := map[string]any{"modelId": "m", "body": map[string]any{"text": "Bye"}}
	got := map[string]any{"modelId": "m", "body": map[string]any{"text": "Bye!", "n": 1}}
	fmt.Print(jsondiff.Format(jsondiff.Diff("", recorded, got, nil)))
	// Output:
	// +	body.n: 1
	// -	body.text: "Bye"
	// +	body.text: "Bye!"
}
