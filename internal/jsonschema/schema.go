// Package jsonschema synthesizes a JSON value that satisfies a JSON schema: the emulator's
// default tool calls (forced, or chosen under toolChoice auto) have an input made from the
// tool's input schema, whose plain string properties may take the user's words
// (SynthesizeWith).
package jsonschema

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// Synthesize returns a JSON value that satisfies the JSON schema: an object holds its
// required properties (all of them when none are listed), in the schema's order; enums, const
// and default values are used where given; numbers respect minimum and maximum. Unknown or
// malformed schemas give {}.
func Synthesize(schema json.RawMessage) json.RawMessage {
	return SynthesizeWith(schema, nil)
}

// SynthesizeWith is Synthesize, but the top-level properties of an object schema that are
// plain strings (no const, enum, default or format) take fill's value where fill returns
// true. fill may be nil.
func SynthesizeWith(schema json.RawMessage, fill func(property string) (string, bool)) json.RawMessage {
	var s schemaNode
	s.fill = fill
	if json.Unmarshal(schema, &s) != nil {
		return json.RawMessage(`{}`)
	}
	var buf bytes.Buffer
	s.root = &s
	s.write(&buf, 0)
	if !json.Valid(buf.Bytes()) || buf.Len() == 0 || buf.Bytes()[0] != '{' {
		return json.RawMessage(`{}`)
	}
	return buf.Bytes()
}

// schemaNode is the part of a JSON schema the synthesizer reads.
type schemaNode struct {
	Type       json.RawMessage        `json:"type"`
	Properties orderedObject          `json:"properties"`
	Required   []string               `json:"required"`
	Items      *schemaNode            `json:"items"`
	Enum       []json.RawMessage      `json:"enum"`
	Const      json.RawMessage        `json:"const"`
	Default    json.RawMessage        `json:"default"`
	AnyOf      []*schemaNode          `json:"anyOf"`
	OneOf      []*schemaNode          `json:"oneOf"`
	AllOf      []*schemaNode          `json:"allOf"`
	Ref        string                 `json:"$ref"`
	Defs       map[string]*schemaNode `json:"$defs"`
	Defns      map[string]*schemaNode `json:"definitions"`
	Minimum    *float64               `json:"minimum"`
	Maximum    *float64               `json:"maximum"`
	Format     string                 `json:"format"`
	Pattern    string                 `json:"pattern"`
	MinLength  *int                   `json:"minLength"`
	MaxLength  *int                   `json:"maxLength"`

	root  *schemaNode
	nodes int                                  // values written so far, counted at the root
	fill  func(property string) (string, bool) // the root's SynthesizeWith fill
}

// Bounds on one synthesis: nested or self-referencing schemas ($ref) can describe a value
// without end, or one exponentially larger than the schema. Past them, values are null.
const (
	maxSchemaDepth = 16
	maxSchemaNodes = 10000
	maxSchemaBytes = 1 << 20
)

func (s *schemaNode) write(buf *bytes.Buffer, depth int) {
	s.root.nodes++
	switch {
	case depth > maxSchemaDepth, s.root.nodes > maxSchemaNodes, buf.Len() > maxSchemaBytes:
		buf.WriteString("null")
		return
	case s.Const != nil:
		writeCompact(buf, s.Const)
		return
	case len(s.Enum) > 0:
		writeCompact(buf, s.Enum[0])
		return
	case s.Default != nil:
		writeCompact(buf, s.Default)
		return
	case s.Ref != "":
		if t := s.resolve(s.Ref); t != nil {
			t.root = s.root
			t.write(buf, depth+1)
			return
		}
	}
	for _, alts := range [][]*schemaNode{s.AnyOf, s.OneOf, s.AllOf} {
		if len(alts) > 0 && alts[0] != nil {
			alts[0].root = s.root
			alts[0].write(buf, depth+1)
			return
		}
	}
	switch s.typeName() {
	case "object":
		s.writeObject(buf, depth)
	case "array":
		buf.WriteByte('[')
		if s.Items != nil {
			s.Items.root = s.root
			s.Items.write(buf, depth+1)
		}
		buf.WriteByte(']')
	case "string":
		v := "example"
		switch s.Format {
		case "date":
			v = "2024-01-01"
		case "date-time":
			v = "2024-01-01T00:00:00Z"
		case "email":
			v = "user@example.com"
		case "uri", "url":
			v = "https://example.com"
		case "uuid":
			v = "00000000-0000-4000-8000-000000000000"
		}
		b, _ := json.Marshal(v)
		buf.Write(b)
	case "integer":
		buf.WriteString(s.number(1, true))
	case "number":
		buf.WriteString(s.number(1, false))
	case "boolean":
		buf.WriteString("true")
	case "null":
		buf.WriteString("null")
	default:
		if len(s.Properties.keys) > 0 {
			s.writeObject(buf, depth)
		} else {
			buf.WriteString(`"example"`)
		}
	}
}

func (s *schemaNode) writeObject(buf *bytes.Buffer, depth int) {
	keys := s.Properties.keys
	if len(s.Required) > 0 {
		required := make(map[string]bool, len(s.Required))
		for _, k := range s.Required {
			required[k] = true
		}
		keys = keys[:0:0]
		for _, k := range s.Properties.keys {
			if required[k] {
				keys = append(keys, k)
			}
		}
	}
	buf.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		name, _ := json.Marshal(k)
		buf.Write(name)
		buf.WriteByte(':')
		prop := s.Properties.node(k)
		if prop == nil {
			buf.WriteString("null")
			continue
		}
		prop.root = s.root
		if s == s.root && s.fill != nil && prop.plainString() {
			if v, ok := s.fill(k); ok && prop.lengthFits(v) {
				b, _ := json.Marshal(v)
				buf.Write(b)
				continue
			}
		}
		prop.write(buf, depth+1)
	}
	buf.WriteByte('}')
}

// plainString reports whether s is a string type with no const, enum, default, format,
// pattern or reference: any string of the right length satisfies it.
func (s *schemaNode) plainString() bool {
	return s.typeName() == "string" && s.Const == nil && len(s.Enum) == 0 && s.Default == nil &&
		s.Format == "" && s.Pattern == "" && s.Ref == "" && len(s.AnyOf)+len(s.OneOf)+len(s.AllOf) == 0
}

// lengthFits reports whether v is within s's minLength and maxLength (in code points).
func (s *schemaNode) lengthFits(v string) bool {
	n := utf8.RuneCountInString(v)
	return (s.MinLength == nil || n >= *s.MinLength) && (s.MaxLength == nil || n <= *s.MaxLength)
}

func (s *schemaNode) typeName() string {
	var one string
	if json.Unmarshal(s.Type, &one) == nil {
		return one
	}
	var many []string
	if json.Unmarshal(s.Type, &many) == nil {
		for _, t := range many {
			if t != "null" {
				return t
			}
		}
	}
	return ""
}

func (s *schemaNode) number(def float64, integer bool) string {
	v := def
	if s.Minimum != nil && v < *s.Minimum {
		v = *s.Minimum
	}
	if s.Maximum != nil && v > *s.Maximum {
		v = *s.Maximum
	}
	if integer {
		b, _ := json.Marshal(int64(v))
		return string(b)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func (s *schemaNode) resolve(ref string) *schemaNode {
	root := s.root
	if root == nil {
		return nil
	}
	for _, prefix := range []string{"#/$defs/", "#/definitions/"} {
		if name, ok := strings.CutPrefix(ref, prefix); ok {
			if t := root.Defs[name]; t != nil {
				return t
			}
			return root.Defns[name]
		}
	}
	return nil
}

// orderedObject is a JSON object of schemas whose member order is kept.
type orderedObject struct {
	keys  []string
	vals  map[string]json.RawMessage
	nodes map[string]*schemaNode
}

// node returns the schema of member k, nil if it is not a schema object. It is decoded on
// first use, and once: decoding as deep as the synthesizer goes, and no deeper, keeps the
// work linear in the schema's size.
func (o *orderedObject) node(k string) *schemaNode {
	if n, ok := o.nodes[k]; ok {
		return n
	}
	n := new(schemaNode)
	if json.Unmarshal(o.vals[k], n) != nil {
		n = nil
	}
	if o.nodes == nil {
		o.nodes = make(map[string]*schemaNode)
	}
	o.nodes[k] = n
	return n
}

func (o *orderedObject) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return err
	}
	o.vals = make(map[string]json.RawMessage)
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		k, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return err
		}
		if _, dup := o.vals[k]; !dup {
			o.keys = append(o.keys, k)
		}
		o.vals[k] = v
	}
	return nil
}

// writeCompact writes raw without insignificant white space (as it is if it is not valid
// JSON).
func writeCompact(buf *bytes.Buffer, raw json.RawMessage) {
	if json.Compact(buf, raw) != nil {
		buf.Write(raw) // Compact wrote nothing
	}
}
