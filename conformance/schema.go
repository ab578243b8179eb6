package conformance

import (
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"sort"

	"github.com/bedrock-emulator/bedrock-emulator/internal/jsondiff"
)

// validate checks a JSON value (decoded with UseNumber) against the JSON Schema keywords
// tool input schemas use: type, properties, required, additionalProperties (false or a
// schema), items, enum, const, minimum, maximum, minLength, maxLength, minItems, maxItems.
// Keywords it does not know are ignored, so a schema it cannot read accepts anything.
func validate(schema, v any, path string) error {
	s, ok := schema.(map[string]any)
	if !ok {
		return nil // true, or not a schema object
	}
	if t, ok := s["type"]; ok && !typeMatches(t, v) {
		return fmt.Errorf("%s: %s is not of type %v", path, jsonString(v), t)
	}
	if e, ok := s["enum"].([]any); ok && !slices.ContainsFunc(e, func(x any) bool { return sameJSON(x, v) }) {
		return fmt.Errorf("%s: %s is not one of %s", path, jsonString(v), jsonString(e))
	}
	if c, ok := s["const"]; ok && !sameJSON(c, v) {
		return fmt.Errorf("%s: %s is not %s", path, jsonString(v), jsonString(c))
	}
	switch x := v.(type) {
	case map[string]any:
		return validateObject(s, x, path)
	case []any:
		if n, ok := number(s["minItems"]); ok && float64(len(x)) < n {
			return fmt.Errorf("%s: %d items, want at least %v", path, len(x), n)
		}
		if n, ok := number(s["maxItems"]); ok && float64(len(x)) > n {
			return fmt.Errorf("%s: %d items, want at most %v", path, len(x), n)
		}
		for i, item := range x {
			if err := validate(s["items"], item, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case string:
		n := len([]rune(x))
		if min, ok := number(s["minLength"]); ok && float64(n) < min {
			return fmt.Errorf("%s: %q is shorter than %v", path, x, min)
		}
		if max, ok := number(s["maxLength"]); ok && float64(n) > max {
			return fmt.Errorf("%s: %q is longer than %v", path, x, max)
		}
	case json.Number:
		f, _ := x.Float64()
		if min, ok := number(s["minimum"]); ok && f < min {
			return fmt.Errorf("%s: %s is below the minimum %v", path, x, min)
		}
		if max, ok := number(s["maximum"]); ok && f > max {
			return fmt.Errorf("%s: %s is above the maximum %v", path, x, max)
		}
	}
	return nil
}

func validateObject(s map[string]any, obj map[string]any, path string) error {
	props, _ := s["properties"].(map[string]any)
	if req, ok := s["required"].([]any); ok {
		for _, r := range req {
			if name, ok := r.(string); ok {
				if _, ok := obj[name]; !ok {
					return fmt.Errorf("%s: required member %q is missing", path, name)
				}
			}
		}
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		sub, known := props[k]
		if !known {
			switch extra := s["additionalProperties"].(type) {
			case bool:
				if !extra {
					return fmt.Errorf("%s: member %q is not allowed", path, k)
				}
			case map[string]any:
				sub = extra
			}
		}
		if err := validate(sub, obj[k], path+"."+k); err != nil {
			return err
		}
	}
	return nil
}

func typeMatches(t, v any) bool {
	switch t := t.(type) {
	case string:
		return isType(t, v)
	case []any:
		return slices.ContainsFunc(t, func(x any) bool { s, _ := x.(string); return isType(s, v) })
	}
	return true
}

func isType(t string, v any) bool {
	switch t {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "null":
		return v == nil
	case "number":
		_, ok := v.(json.Number)
		return ok
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		r, ok := new(big.Rat).SetString(n.String())
		return ok && r.IsInt()
	}
	return true
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	}
	return 0, false
}

// sameJSON compares two decoded JSON values, numbers by value.
func sameJSON(a, b any) bool {
	return len(jsondiff.Diff("", a, b, numbersByValue)) == 0
}

// numbersByValue compares two json.Numbers by value (1, 1.0 and 1e0 are one number).
func numbersByValue(_ string, a, b any) (equal, handled bool) {
	x, ok1 := a.(json.Number)
	y, ok2 := b.(json.Number)
	if !ok1 || !ok2 {
		return false, false
	}
	p, ok1 := new(big.Rat).SetString(x.String())
	q, ok2 := new(big.Rat).SetString(y.String())
	return ok1 && ok2 && p.Cmp(q) == 0, true
}

func jsonString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
