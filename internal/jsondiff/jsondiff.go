// Package jsondiff lists how two decoded JSON values differ, leaf by leaf, for messages a
// person reads: a cassette miss naming the closest recording, a conformance diff between two
// targets. It is the production code's small stand-in for go-cmp, which is made for tests.
//
// Values are what encoding/json decodes into an any (map[string]any, []any, string,
// json.Number or float64, bool, nil); any other value is compared by its JSON encoding.
package jsondiff

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Change is one value that differs: where it is ("body.messages[0].content[0].text"), and
// its JSON on side A and on side B, "" on the side that has no value there.
type Change struct {
	Path, A, B string
}

// Comparer decides whether two values are equal before they are compared in depth. key is
// the member name the values are found under, "" for an array element or the root. It
// returns handled false to leave them to the default comparison.
type Comparer func(key string, a, b any) (equal, handled bool)

// Diff returns the changes from a to b, under path (the name of the root, may be ""). A
// member or element that one side lacks is one change, whatever it holds; arrays are
// compared index by index. cmp, when not nil, is asked first for every pair of values.
func Diff(path string, a, b any, cmp Comparer) []Change {
	return diff(nil, path, "", a, b, cmp)
}

func diff(out []Change, path, key string, a, b any, cmp Comparer) []Change {
	if cmp != nil {
		if equal, handled := cmp(key, a, b); handled {
			if !equal {
				out = append(out, Change{path, Render(a), Render(b)})
			}
			return out
		}
	}
	switch a := a.(type) {
	case map[string]any:
		if b, ok := b.(map[string]any); ok {
			keys := make([]string, 0, len(a)+len(b))
			for k := range a {
				keys = append(keys, k)
			}
			for k := range b {
				if _, dup := a[k]; !dup {
					keys = append(keys, k)
				}
			}
			slices.Sort(keys)
			for _, k := range keys {
				av, aok := a[k]
				bv, bok := b[k]
				sub := k
				if path != "" {
					sub = path + "." + k
				}
				switch {
				case !aok:
					out = append(out, Change{sub, "", Render(bv)})
				case !bok:
					out = append(out, Change{sub, Render(av), ""})
				default:
					out = diff(out, sub, k, av, bv, cmp)
				}
			}
			return out
		}
	case []any:
		if b, ok := b.([]any); ok {
			for i := range max(len(a), len(b)) {
				sub := path + "[" + strconv.Itoa(i) + "]"
				switch {
				case i >= len(a):
					out = append(out, Change{sub, "", Render(b[i])})
				case i >= len(b):
					out = append(out, Change{sub, Render(a[i]), ""})
				default:
					out = diff(out, sub, "", a[i], b[i], cmp)
				}
			}
			return out
		}
	}
	if ra, rb := Render(a), Render(b); ra != rb {
		out = append(out, Change{path, ra, rb})
	}
	return out
}

// Render writes v as compact JSON, without HTML escaping; a value JSON cannot hold is
// written with fmt.
func Render(v any) string {
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(sb.String(), "\n")
}

// Format writes changes as a diff, (-A +B): per change, side A's value on a line starting
// "-" and side B's on a line starting "+", each after the path. It is "" for no changes.
func Format(changes []Change) string {
	var sb strings.Builder
	for _, c := range changes {
		path := c.Path
		if path == "" {
			path = "(root)"
		}
		if c.A != "" {
			fmt.Fprintf(&sb, "-\t%s: %s\n", path, c.A)
		}
		if c.B != "" {
			fmt.Fprintf(&sb, "+\t%s: %s\n", path, c.B)
		}
	}
	return sb.String()
}
