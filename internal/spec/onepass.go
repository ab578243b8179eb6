package spec

import (
	"bytes"
	"encoding/base64"
	"math/bits"
	"reflect"
	"strconv"
	"sync"
	"unicode/utf8"
)

// The one-pass decoder: DecodeBody's fast path for a body without violations. It reads the
// body once, led by the operation's compiled input shape and the Go target together: it
// checks each value's constraints as it reads it and sets it straight into the target,
// building no generic tree. It answers only "valid, and decoded": at anything else (a
// violation, a value of the wrong JSON type, a repeated or escaped key, a null where the
// tree path would drop one, invalid JSON, a number the target cannot hold) it gives up, and
// DecodeBody takes the tree path, which finds the violations and words them. So it never
// words an error, and a body it accepts is one the tree path accepts and decodes the same
// (FuzzDecodeConverse, FuzzOnePass).

// A plan is how the one-pass decoder reads one value: the API model's node for it and the
// Go target it is set into.
type plan struct {
	n *node
	// t is the target, pointers stripped (ptr tells there was one); nil for a value that is
	// only checked (a member the Go type does not have, a json.RawMessage's insides).
	t   *target
	ptr bool
	// off: the decoder gives up on any such value (a target that does not fit the shape, a
	// timestamp, a structure of more than 64 members).
	off bool

	// A structure's members by JSON name; the bits of the required ones; the names the Go
	// type has but the shape does not (the tree path decodes those unchecked).
	members  map[string]*member
	required uint64
	goOnly   map[string]bool

	elem *plan // a list's items, a map's values
}

// member is one member of a structure plan.
type member struct {
	bit   uint64
	p     *plan
	index int  // of the Go field, -1 if the type has none
	raw   bool // the field is a json.RawMessage: checked, and its bytes kept
}

type planKey struct {
	n *node
	t *target
}

var plans sync.Map // planKey of an operation's input and a struct target → *plan

// planOf returns the plan of an operation's input read into t, a struct target, or nil for
// an operation without a body shape.
func planOf(operation string, t *target) *plan {
	in := compiled().inputs[operation]
	if in == nil {
		return nil
	}
	k := planKey{in, t}
	if p, ok := plans.Load(k); ok {
		return p.(*plan)
	}
	p := buildPlan(in, t, map[planKey]*plan{})
	plans.Store(k, p)
	return p
}

// buildPlan builds the plan of node n read into t (nil: checked only); made holds the plans
// being built, for recursive shapes.
func buildPlan(n *node, t *target, made map[planKey]*plan) *plan {
	k := planKey{n, t}
	if p, ok := made[k]; ok {
		return p
	}
	p := &plan{n: n}
	made[k] = p
	if t != nil && t.kind == tPointer {
		p.ptr = true
		t = t.elem
	}
	p.t = t
	if t != nil && t.kind == tPointer {
		p.off = true // a pointer to a pointer
		return p
	}
	switch n.kind {
	case kStruct:
		p.off = !fits(t, tStruct) || len(n.fields) > 64
		if p.off {
			return p
		}
		p.members = make(map[string]*member, len(n.fields))
		for i, f := range n.fields {
			m := &member{bit: 1 << i, index: -1}
			var ft *target
			if t != nil {
				if tf := t.fields[f.name]; tf != nil {
					m.index, ft = tf.index, tf.t
					m.raw = ft.kind == tRaw
				}
			}
			if m.raw {
				ft = nil // checked only; the field takes the bytes
			}
			m.p = buildPlan(f.n, ft, made)
			if f.required {
				p.required |= m.bit
			}
			p.members[f.name] = m
		}
		if t != nil {
			for name := range t.fields {
				if p.members[name] == nil {
					if p.goOnly == nil {
						p.goOnly = map[string]bool{}
					}
					p.goOnly[name] = true
				}
			}
		}
	case kList:
		p.off = !fits(t, tSlice)
		if !p.off {
			p.elem = buildPlan(n.elem, elemOf(t), made)
		}
	case kMap:
		p.off = !fits(t, tMap)
		if !p.off {
			p.elem = buildPlan(n.val, elemOf(t), made)
		}
	case kString:
		p.off = !fits(t, tString)
	case kInteger:
		p.off = !fits(t, tInt, tUint, tFloat)
	case kFloat, kDouble:
		p.off = !fits(t, tFloat)
	case kBool:
		p.off = !fits(t, tBool)
	case kBlob:
		p.off = !fits(t, tBytes)
	case kDocument:
		p.off = t != nil // a document is read into a json.RawMessage only
	default:
		p.off = true
	}
	return p
}

// fits reports whether t, a target (nil for none), is of one of kinds.
func fits(t *target, kinds ...targetKind) bool {
	if t == nil {
		return true
	}
	for _, k := range kinds {
		if t.kind == k {
			return true
		}
	}
	return false
}

func elemOf(t *target) *target {
	if t == nil {
		return nil
	}
	return t.elem
}

// decodeOnePass reads body by p into dst, the zero value of p's target, and reports whether
// the body is valid and was decoded. If it returns false, dst holds a part of the body.
func decodeOnePass(p *plan, body []byte, dst reflect.Value) bool {
	d := parser{data: body}
	d.space()
	if !d.read(p, dst, 0) {
		return false
	}
	d.space()
	return d.i == len(d.data)
}

// read reads a value by p into v (not valid when p has no target). A null is the caller's.
func (d *parser) read(p *plan, v reflect.Value, depth int) bool {
	if p.off || depth > maxParseDepth || d.i >= len(d.data) {
		return false
	}
	if p.ptr && p.t != nil {
		e := reflect.New(p.t.typ)
		v.Set(e)
		v = e.Elem()
	}
	switch c := d.data[d.i]; p.n.kind {
	case kDocument:
		return d.skip(depth)
	case kStruct:
		return c == '{' && d.structure(p, v, depth+1)
	case kList:
		return c == '[' && d.list(p, v, depth+1)
	case kMap:
		return c == '{' && d.mapping(p, v, depth+1)
	case kString:
		return c == '"' && d.str(p, v)
	case kBlob:
		return c == '"' && d.blob(p, v)
	case kBool:
		b := c == 't'
		if b && !d.literal("true") || !b && !d.literal("false") {
			return false
		}
		if p.t != nil {
			v.SetBool(b)
		}
		return true
	default: // numbers
		return (c == '-' || '0' <= c && c <= '9') && d.num(p, v)
	}
}

// null reads a null, if one comes next.
func (d *parser) null() bool { return d.i < len(d.data) && d.data[d.i] == 'n' && d.literal("null") }

func (d *parser) structure(p *plan, v reflect.Value, depth int) bool {
	d.i++ // {
	var seen, set uint64
	if d.next() == '}' {
		d.i++
		return p.complete(set)
	}
	for {
		if d.next() != '"' {
			return false
		}
		name, plain, ok := d.literalString()
		if !ok || !plain || d.next() != ':' {
			return false // an escaped key may name a member: the tree path reads it
		}
		d.i++
		d.space()
		m := p.members[string(name)]
		switch {
		case m == nil && p.goOnly[string(name)]:
			return false
		case m == nil:
			if !d.skip(depth) {
				return false
			}
		case seen&m.bit != 0:
			return false // a repeated member: the tree path keeps the last
		default:
			seen |= m.bit
			start := d.i
			if !d.null() {
				set |= m.bit
				var f reflect.Value
				if m.index >= 0 && !m.raw {
					f = v.Field(m.index)
				}
				if !d.read(m.p, f, depth) {
					return false
				}
			}
			if m.raw {
				// A copy, as json.Unmarshal makes: the body is the caller's.
				v.Field(m.index).SetBytes(bytes.Clone(d.data[start:d.i]))
			}
		}
		switch d.next() {
		case ',':
			d.i++
		case '}':
			d.i++
			return p.complete(set)
		default:
			return false
		}
	}
}

// complete reports whether a structure with the members set has its required members, and,
// if a union, exactly one.
func (p *plan) complete(set uint64) bool {
	return set&p.required == p.required && (!p.n.union || bits.OnesCount64(set) == 1)
}

func (d *parser) list(p *plan, v reflect.Value, depth int) bool {
	d.i++ // [
	n := 0
	if d.next() == ']' {
		d.i++
		if p.t != nil {
			v.Set(reflect.MakeSlice(p.t.typ, 0, 0)) // [] is an empty slice, not nil
		}
		return lengthConstraint(p.n.shape, 0) == ""
	}
	for {
		d.space()
		if d.null() {
			return false // the tree path drops it
		}
		var it reflect.Value
		if p.t != nil {
			if v.Len() == v.Cap() {
				v.Grow(1)
			}
			v.SetLen(n + 1)
			it = v.Index(n)
		}
		if !d.read(p.elem, it, depth) {
			return false
		}
		n++
		switch d.next() {
		case ',':
			d.i++
		case ']':
			d.i++
			return lengthConstraint(p.n.shape, n) == ""
		default:
			return false
		}
	}
}

func (d *parser) mapping(p *plan, v reflect.Value, depth int) bool {
	d.i++ // {
	if p.t != nil {
		v.Set(reflect.MakeMap(p.t.typ)) // {} is an empty map, not nil
	}
	if d.next() == '}' {
		d.i++
		return lengthConstraint(p.n.shape, 0) == ""
	}
	var seen map[string]bool // the keys of a map that is only checked
	for n := 1; ; n++ {
		if d.next() != '"' {
			return false
		}
		k, ok := d.string()
		if !ok || !p.n.key.stringOK(k) || d.next() != ':' {
			return false
		}
		d.i++
		d.space()
		if d.null() {
			return false // the tree path drops it
		}
		var key, e reflect.Value
		if p.t != nil {
			key = reflect.New(p.t.typ.Key()).Elem()
			key.SetString(k)
			if v.MapIndex(key).IsValid() {
				return false // a repeated key: the tree path keeps the last
			}
			e = reflect.New(p.t.typ.Elem()).Elem()
		} else {
			if seen[k] {
				return false
			}
			if seen == nil {
				seen = map[string]bool{}
			}
			seen[k] = true
		}
		if !d.read(p.elem, e, depth) {
			return false
		}
		if p.t != nil {
			v.SetMapIndex(key, e)
		}
		switch d.next() {
		case ',':
			d.i++
		case '}':
			d.i++
			return lengthConstraint(p.n.shape, n) == ""
		default:
			return false
		}
	}
}

// str reads a string and checks it as checkString does.
func (d *parser) str(p *plan, v reflect.Value) bool {
	raw, ok := d.stringBytes()
	if !ok {
		return false
	}
	n := p.n
	s, known := n.enum[string(raw)] // an enum's value is set as the model's own string: no copy
	if n.enum != nil && !known ||
		n.re != nil && !n.re.Match(raw) ||
		lengthConstraint(n.shape, utf8.RuneCount(raw)) != "" {
		return false
	}
	if p.t != nil {
		if !known {
			s = string(raw)
		}
		v.SetString(s)
	}
	return true
}

// blob reads base64 text into bytes, as the tree path checks and decodes it.
func (d *parser) blob(p *plan, v reflect.Value) bool {
	raw, ok := d.stringBytes()
	if !ok {
		return false
	}
	size, ok := base64Len(raw)
	if !ok || lengthConstraint(p.n.shape, size) != "" {
		return false
	}
	if p.t != nil {
		b := make([]byte, base64.StdEncoding.DecodedLen(len(raw)))
		n, err := base64.StdEncoding.Decode(b, raw)
		if err != nil {
			return false
		}
		v.SetBytes(b[:n])
	}
	return true
}

// num reads a number for an integer, long, float or double shape, checks its range as
// checkRange does, and sets it as assign does.
func (d *parser) num(p *plan, v reflect.Value) bool {
	start := d.i
	if !d.numberSpan() {
		return false
	}
	text := string(d.data[start:d.i])
	var x number
	var f64 float64 // the number as a float64 field takes it, when parsed as one
	if p.n.kind == kInteger {
		i, err := strconv.ParseInt(text, 10, 64) // fails on a fraction or exponent: the tree path's
		if err != nil {
			return false
		}
		x = number{i: i, isInt: true}
	} else {
		var err error
		if f64, err = strconv.ParseFloat(text, 64); err != nil {
			return false
		}
		x = number{f: f64, bits: 64}
		if p.n.kind == kFloat {
			x = number{f: float64(float32(f64)), bits: 32}
		}
	}
	if s := p.n.shape; s.Min != nil && x.less(*s.Min) || s.Max != nil && x.greater(*s.Max) {
		return false
	}
	if p.t == nil {
		return true
	}
	switch p.t.kind {
	case tInt:
		if !x.isInt || v.OverflowInt(x.i) {
			return false
		}
		v.SetInt(x.i)
	case tUint:
		u, err := strconv.ParseUint(text, 10, 64)
		if err != nil || v.OverflowUint(u) {
			return false
		}
		v.SetUint(u)
	default:
		f := f64 // parsed above, unless the shape is an integer's or the field a float32
		if x.isInt || p.t.typ.Bits() != 64 {
			var err error
			if f, err = strconv.ParseFloat(text, p.t.typ.Bits()); err != nil {
				return false
			}
		}
		if v.OverflowFloat(f) {
			return false
		}
		v.SetFloat(f)
	}
	return true
}

// skip reads a value of any JSON type and keeps nothing of it.
func (d *parser) skip(depth int) bool {
	if depth > maxParseDepth || d.i >= len(d.data) {
		return false
	}
	switch c := d.data[d.i]; {
	case c == '{' || c == '[':
		end := byte('}')
		if c == '[' {
			end = ']'
		}
		d.i++
		if d.next() == end {
			d.i++
			return true
		}
		for {
			if c == '{' {
				if d.next() != '"' {
					return false
				}
				if !d.skipString() || d.next() != ':' {
					return false
				}
				d.i++
			}
			d.space()
			if !d.skip(depth + 1) {
				return false
			}
			switch d.next() {
			case ',':
				d.i++
			case end:
				d.i++
				return true
			default:
				return false
			}
		}
	case c == '"':
		return d.skipString()
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == 'n':
		return d.literal("null")
	}
	return d.numberSpan()
}

// skipString reads a string literal and keeps nothing of it.
func (d *parser) skipString() bool {
	_, ok := d.stringBytes()
	return ok
}

// stringBytes reads a string literal and returns what it holds: the body's own bytes if it
// has no escapes, else a copy unquoted.
func (d *parser) stringBytes() ([]byte, bool) {
	raw, plain, ok := d.literalString()
	if ok && !plain {
		s, ok := unquote(raw)
		return []byte(s), ok
	}
	return raw, ok
}
