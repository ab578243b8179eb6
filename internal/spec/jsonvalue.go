package spec

import (
	"encoding/json"
	"sync"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// parseJSON decodes a request body into the generic values the API model validator walks
// (map[string]any, []any, json.Number, string, bool, nil), exactly as a json.Decoder with
// UseNumber decodes it, at a fraction of the cost: the validator needs the whole tree, and
// encoding/json builds it through reflection. It returns ok false for whatever it does not
// take on: invalid JSON, data after the value, nesting deeper than maxParseDepth. The caller
// then decodes with encoding/json, which gives the answer (and error message) it always
// gave. The tests fuzz the two against each other.
func parseJSON(body []byte) (v any, ok bool) {
	v, _, ok = parseTarget(body, nil)
	return v, ok
}

// parseTarget is parseJSON for a body to be decoded into t (nil for none) too: it also
// returns the bytes of the members that t's json.RawMessage fields take (DecodeBody).
func parseTarget(body []byte, t *target) (v any, raws rawSpans, ok bool) {
	p := parser{data: body}
	p.space()
	v, ok = p.value(0, t)
	if !ok {
		return nil, nil, false
	}
	p.space()
	return v, p.raws, p.i == len(p.data)
}

// maxParseDepth bounds parseJSON's recursion; deeper bodies take the slow path (encoding/json
// allows 10000 levels).
const maxParseDepth = 500

type parser struct {
	data []byte
	i    int
	raws rawSpans
}

func (p *parser) space() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

// next skips white space and returns the next byte, 0 at the end.
func (p *parser) next() byte {
	p.space()
	if p.i < len(p.data) {
		return p.data[p.i]
	}
	return 0
}

// value parses a value, to be decoded into t (nil for none).
func (p *parser) value(depth int, t *target) (any, bool) {
	if depth > maxParseDepth || p.i >= len(p.data) {
		return nil, false
	}
	for t != nil && t.kind == tPointer {
		t = t.elem
	}
	switch c := p.data[p.i]; {
	case c == '{':
		return p.object(depth+1, t)
	case c == '[':
		return p.array(depth+1, t)
	case c == '"':
		s, ok := p.string()
		return s, ok
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	case c == '-' || '0' <= c && c <= '9':
		return p.number()
	}
	return nil, false
}

func (p *parser) object(depth int, t *target) (any, bool) {
	p.i++ // {
	m := make(map[string]any)
	if p.next() == '}' {
		p.i++
		return m, true
	}
	var fields map[string]*targetField
	var values *target // a map's
	if t != nil && t.kind == tStruct {
		fields = t.fields
	} else if t != nil && t.kind == tMap {
		values = t.elem
	}
	for {
		if p.next() != '"' {
			return nil, false
		}
		k, f, ok := p.key(fields)
		if !ok || p.next() != ':' {
			return nil, false
		}
		p.i++
		p.space()
		start, into := p.i, values
		if f != nil {
			into = f.t
		}
		v, ok := p.value(depth, into)
		if !ok {
			return nil, false
		}
		if into != nil && into.kind == tRaw {
			if p.raws == nil {
				p.raws = rawSpans{}
			}
			p.raws[rawKey{mapID(m), k}] = p.data[start:p.i]
		}
		m[k] = v
		switch p.next() {
		case ',':
			p.i++
		case '}':
			p.i++
			return m, true
		default:
			return nil, false
		}
	}
}

func (p *parser) array(depth int, t *target) (any, bool) {
	p.i++ // [
	a := make([]any, 0)
	if p.next() == ']' {
		p.i++
		return a, true
	}
	var items *target
	if t != nil && t.kind == tSlice {
		items = t.elem
	}
	for {
		p.space()
		v, ok := p.value(depth, items)
		if !ok {
			return nil, false
		}
		a = append(a, v)
		switch p.next() {
		case ',':
			p.i++
		case ']':
			p.i++
			return a, true
		default:
			return nil, false
		}
	}
}

func (p *parser) literal(word string) bool {
	if len(p.data)-p.i < len(word) || string(p.data[p.i:p.i+len(word)]) != word {
		return false
	}
	p.i += len(word)
	return true
}

// number reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? as a json.Number.
func (p *parser) number() (any, bool) {
	start := p.i
	if !p.numberSpan() {
		return nil, false
	}
	return json.Number(p.data[start:p.i]), true
}

// numberSpan reads a number and keeps nothing of it.
func (p *parser) numberSpan() bool {
	digits := func() int {
		n := 0
		for p.i < len(p.data) && '0' <= p.data[p.i] && p.data[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.data[p.i] == '-' {
		p.i++
	}
	if p.i < len(p.data) && p.data[p.i] == '0' {
		p.i++
	} else if digits() == 0 {
		return false
	}
	if p.i < len(p.data) && p.data[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return false
		}
	}
	if p.i < len(p.data) && (p.data[p.i] == 'e' || p.data[p.i] == 'E') {
		p.i++
		if p.i < len(p.data) && (p.data[p.i] == '+' || p.data[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return false
		}
	}
	return true
}

// key reads an object key, and the field of fields (a struct target's, or nil) it names.
// The member names of the API model are not copied again.
func (p *parser) key(fields map[string]*targetField) (string, *targetField, bool) {
	raw, plain, ok := p.literalString()
	if ok && plain {
		if f, ok := fields[string(raw)]; ok {
			return f.name, f, true
		}
		if name, ok := memberNames()[string(raw)]; ok {
			return name, nil, true
		}
	}
	k, ok := text(raw, plain, ok)
	return k, fields[k], ok
}

// string reads a string literal.
func (p *parser) string() (string, bool) {
	return text(p.literalString())
}

// text is the string a literal holds, from what literalString returned.
func text(raw []byte, plain, ok bool) (string, bool) {
	switch {
	case !ok:
		return "", false
	case !plain:
		return unquote(raw)
	}
	return string(raw), true
}

// literalString reads a string literal and returns what is between its quotes, and whether
// that is the string as it is: without escapes, in valid UTF-8. Anything else is to be
// unquoted as encoding/json unquotes it.
func (p *parser) literalString() (raw []byte, plain, ok bool) {
	p.i++ // "
	start, escapes, ascii := p.i, false, true
	for p.i < len(p.data) {
		for p.i < len(p.data) && plainByte[p.data[p.i]] {
			p.i++ // most of a string: a tight loop over printable ASCII
		}
		if p.i == len(p.data) {
			break
		}
		switch c := p.data[p.i]; {
		case c == '"':
			raw = p.data[start:p.i]
			p.i++
			return raw, !escapes && (ascii || utf8.Valid(raw)), true
		case c == '\\':
			escapes = true
			p.i += 2
		case c < 0x20:
			return nil, false, false
		default:
			ascii = ascii && c < utf8.RuneSelf
			p.i++
		}
	}
	return nil, false, false
}

// plainByte holds the bytes a string literal's scan passes over without a second look:
// printable ASCII but the quote and the backslash.
var plainByte = func() (t [256]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// memberNames holds the names of the members of every shape of the API model.
var memberNames = sync.OnceValue(func() map[string]string {
	names := make(map[string]string)
	for _, sh := range Model().Shapes {
		for _, m := range sh.Members {
			names[m.Name] = m.Name
		}
	}
	return names
})

// unquote decodes the inside of a string literal as encoding/json's unquoteBytes does (Go
// 1.26): the escapes JSON allows, an invalid surrogate as U+FFFD, invalid UTF-8 byte by byte
// as U+FFFD.
func unquote(s []byte) (string, bool) {
	b := make([]byte, 0, len(s)+utf8.UTFMax)
	for r := 0; r < len(s); {
		switch c := s[r]; {
		case c == '\\':
			if r+1 >= len(s) {
				return "", false
			}
			switch s[r+1] {
			case '"', '\\', '/':
				b = append(b, s[r+1])
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				rr := getu4(s[r:])
				if rr < 0 {
					return "", false
				}
				r += 6
				if utf16.IsSurrogate(rr) {
					if dec := utf16.DecodeRune(rr, getu4(s[r:])); dec != unicode.ReplacementChar {
						r += 6 // a valid pair
						b = utf8.AppendRune(b, dec)
						continue
					}
					// An unpaired surrogate, and its next escape, if any, stays.
					rr = unicode.ReplacementChar
				}
				b = utf8.AppendRune(b, rr)
				continue
			default:
				return "", false
			}
			r += 2
		case c < utf8.RuneSelf:
			b = append(b, c)
			r++
		default:
			rr, size := utf8.DecodeRune(s[r:])
			b = utf8.AppendRune(b, rr)
			r += size
		}
	}
	return string(b), true
}

// getu4 decodes \uXXXX at the start of s, or returns -1.
func getu4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}
