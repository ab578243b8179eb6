// Package yamltext writes strings as YAML that gopkg.in/yaml.v3 reads back the same.
//
// yaml.v3 writes a string that holds a line break as a literal block ("|"), and some of
// those it reads back otherwise: it drops a leading line break (Titan Text answers begin
// with one: "\nThe …", internal/cassette/testdata/real-traffic/openllmetry/
// test_guardrail_converse.yaml), and a block whose first line begins with a tab does not
// load at all. Node keeps the literal block where it reads back the same, and writes the
// string double-quoted where it does not. Strings without line breaks round-trip as yaml.v3
// writes them.
package yamltext

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// String is a string that yaml.v3 writes as Node does.
type String string

// MarshalYAML returns s as Node writes it.
func (s String) MarshalYAML() (any, error) { return Node(string(s)), nil }

// Node returns s as a YAML string node that yaml.v3 reads back as s.
func Node(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if !RoundTrips(s) {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// RoundTrips reports whether yaml.v3 reads s back the same as it writes it by default.
func RoundTrips(s string) bool {
	if !strings.ContainsAny(s, "\n\r\u0085\u2028\u2029") {
		return true
	}
	var back []string
	b, err := yaml.Marshal([]string{s})
	return err == nil && yaml.Unmarshal(b, &back) == nil && len(back) == 1 && back[0] == s
}
