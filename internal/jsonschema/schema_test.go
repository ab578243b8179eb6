package jsonschema

import (
	"encoding/json"
	"strings"
	"testing"
)

// The synthesizer does bounded work whatever the schema: nesting, $ref loops and $ref fans
// all end in a bounded value.
func TestSynthesizeBounds(t *testing.T) {
	t.Parallel()
	big := `"` + strings.Repeat("d", 100_000) + `"`
	tests := map[string]string{
		"self reference": `{"$ref":"#","type":"object"}`,
		"ref loop":       `{"type":"object","required":["a"],"properties":{"a":{"$ref":"#/$defs/a"}},"$defs":{"a":{"type":"object","required":["b"],"properties":{"b":{"$ref":"#/$defs/a"}}}}}`,
		"ref fan": `{"type":"object","properties":{"x":{"$ref":"#/$defs/a"}},"$defs":{"a":{"type":"object","properties":{` +
			`"a":{"$ref":"#/$defs/a"},"b":{"$ref":"#/$defs/a"},"c":{"$ref":"#/$defs/a"},"d":{"$ref":"#/$defs/a"},"e":{"$ref":"#/$defs/a"},` +
			`"f":{"$ref":"#/$defs/a"},"g":{"$ref":"#/$defs/a"},"h":{"$ref":"#/$defs/a"},"i":{"$ref":"#/$defs/a"},"j":{"$ref":"#/$defs/a"}}}}}`,
		"big defaults by reference": `{"type":"object","properties":{"x":{"$ref":"#/$defs/f"}},"$defs":{"big":{"default":` + big + `},` +
			`"f":{"type":"object","properties":{"a":{"$ref":"#/$defs/f"},"b":{"$ref":"#/$defs/f"},"c":{"$ref":"#/$defs/big"}}}}}`,
		"deep nesting": strings.Repeat(`{"type":"object","properties":{"a":`, 3000) + `{"type":"string"}` + strings.Repeat("}}", 3000),
		"deep arrays":  strings.Repeat(`{"type":"array","items":`, 3000) + `{"type":"string"}` + strings.Repeat("}", 3000),
	}
	for name, schema := range tests {
		got := Synthesize(json.RawMessage(schema))
		if !json.Valid(got) || got[0] != '{' {
			t.Errorf("%s: %.200s is not a JSON object", name, got)
		}
		if len(got) > maxSchemaBytes+len(big)+64 {
			t.Errorf("%s: %d bytes, want at most about %d", name, len(got), maxSchemaBytes)
		}
	}
}

// SynthesizeWith fills the top-level properties that take any string, and only those.
func TestSynthesizeWith(t *testing.T) {
	t.Parallel()
	fill := func(p string) (string, bool) { return "from-" + p, p != "skipped" }
	for _, tc := range []struct {
		name, schema, want string
	}{
		{"plain strings", `{"type":"object","properties":{"city":{"type":"string"},"skipped":{"type":"string"}}}`, `{"city":"from-city","skipped":"example"}`},
		{"enum, const, default, format, pattern kept", `{"type":"object","properties":{"e":{"type":"string","enum":["x"]},"c":{"const":"k"},"d":{"type":"string","default":"dd"},"f":{"type":"string","format":"date"},"p":{"type":"string","pattern":"^a$"}}}`,
			`{"e":"x","c":"k","d":"dd","f":"2024-01-01","p":"example"}`},
		{"too long for maxLength", `{"type":"object","properties":{"city":{"type":"string","maxLength":3}}}`, `{"city":"example"}`},
		{"nested objects kept", `{"type":"object","properties":{"o":{"type":"object","properties":{"city":{"type":"string"}}}}}`, `{"o":{"city":"example"}}`},
		{"not a string", `{"type":"object","properties":{"n":{"type":"integer"}}}`, `{"n":1}`},
	} {
		if got := string(SynthesizeWith(json.RawMessage(tc.schema), fill)); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}
