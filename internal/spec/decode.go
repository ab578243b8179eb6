package spec

import (
	"bytes"
	"encoding"
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unsafe"
)

// DecodeBody checks a request body as [ValidateBody] does and, when it has no violations,
// decodes it into v, a pointer to a struct whose json tags name the operation's input
// members, as json.Unmarshal does, from the same parse: the body is decoded once. err is
// json.Unmarshal's error, which comes only after a body without violations.
//
// The struct gets exactly the members the validator checked: a member is matched by its
// exact name, and of a member given twice the last one counts. (json.Unmarshal would also
// match names case-insensitively and merge a repeated object member into the first; the
// service's request layer matches exact names, so those members were never validated.)
// Types the decoder does not take on (interfaces, embedded structs, types with their own
// UnmarshalJSON but json.RawMessage, numbers that do not fit their field, bad base64) are
// decoded by json.Unmarshal itself, with its answer and error.
//
// A body without violations is read once (decodeOnePass); any other is decoded into a
// generic tree first, which the validator walks (decodeTree).
func DecodeBody(operation string, body []byte, v any) ([]Violation, error) {
	t := targetOf(reflect.TypeOf(v))
	if p := onePassPlan(operation, t); p != nil {
		dst := reflect.ValueOf(v).Elem()
		if decodeOnePass(p, body, dst) {
			return nil, nil
		}
		dst.SetZero()
	}
	return decodeTree(operation, body, v, t)
}

// ReadsInOnePass reports whether DecodeBody reads body into a value of v's type in one pass,
// without the generic tree: the body is valid and nothing in it needs the tree path. It
// decodes into a value of its own. For tests that check real clients' bodies take the fast
// path.
func ReadsInOnePass(operation string, body []byte, v any) bool {
	t := targetOf(reflect.TypeOf(v))
	p := onePassPlan(operation, t)
	return p != nil && decodeOnePass(p, body, reflect.New(t.elem.typ).Elem())
}

// onePassPlan is the plan of operation's input read into t, v's target; nil without a
// target or an input shape.
func onePassPlan(operation string, t *target) *plan {
	if t == nil {
		return nil
	}
	return planOf(operation, t.elem)
}

// decodeTree is DecodeBody through a generic tree: the body parsed into it, the tree
// validated, then set into v (assign); t is v's target (targetOf), or nil.
func decodeTree(operation string, body []byte, v any, t *target) ([]Violation, error) {
	if t != nil {
		if tree, raws, ok := parseTarget(body, t.elem); ok {
			if vs := ValidateValue(operation, tree); len(vs) > 0 {
				return vs, nil
			}
			dst := reflect.ValueOf(v).Elem()
			if assign(t.elem, tree, raws, dst) {
				return nil, nil
			}
			dst.SetZero()
			return nil, json.Unmarshal(body, v)
		}
	}
	tree, err := decodeValue(body)
	if err != nil {
		return []Violation{serialization(err.Error())}, nil
	}
	if vs := ValidateValue(operation, tree); len(vs) > 0 {
		return vs, nil
	}
	return nil, json.Unmarshal(body, v)
}

// A target is a Go type as DecodeBody decodes into it, built once per type from its json
// tags (targetOf).
type target struct {
	kind targetKind
	typ  reflect.Type
	// fields are a struct's members by their JSON names.
	fields map[string]*targetField
	// elem is a slice's items, a map's values, a pointer's element.
	elem *target
}

type targetKind int

const (
	tString targetKind = iota
	tBool
	tInt
	tUint
	tFloat
	tBytes // []byte, base64 in JSON
	tRaw   // json.RawMessage, the bytes as they are (struct fields only)
	tStruct
	tSlice
	tMap // string keys
	tPointer
)

type targetField struct {
	// name is the member's JSON name; the parser's object keys share its string.
	name  string
	index int
	t     *target
}

var targets sync.Map // reflect.Type → *target, or nil for a type DecodeBody leaves to encoding/json

// targetOf returns the target of t, a pointer to a struct, or nil if DecodeBody leaves it
// to json.Unmarshal.
func targetOf(t reflect.Type) *target {
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return nil
	}
	if c, ok := targets.Load(t); ok {
		return c.(*target)
	}
	built, ok := buildTarget(t, map[reflect.Type]*target{})
	if !ok {
		built = nil
	}
	targets.Store(t, built)
	return built
}

var (
	rawMessageType      = reflect.TypeFor[json.RawMessage]()
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// buildTarget builds t's target; ok is false if DecodeBody does not take t on. seen holds
// the struct targets being built, for recursive types.
func buildTarget(t reflect.Type, seen map[reflect.Type]*target) (*target, bool) {
	if t == rawMessageType {
		return &target{kind: tRaw, typ: t}, true
	}
	if t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType) ||
		t.Implements(textUnmarshalerType) || reflect.PointerTo(t).Implements(textUnmarshalerType) {
		return nil, false
	}
	if c, ok := seen[t]; ok {
		return c, true
	}
	c := &target{typ: t}
	switch t.Kind() {
	case reflect.String:
		c.kind = tString
	case reflect.Bool:
		c.kind = tBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		c.kind = tInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		c.kind = tUint
	case reflect.Float32, reflect.Float64:
		c.kind = tFloat
	case reflect.Slice, reflect.Map, reflect.Pointer:
		switch {
		case t.Kind() == reflect.Slice && t.Elem() == reflect.TypeFor[byte]():
			c.kind = tBytes
			return c, true
		case t.Kind() == reflect.Slice:
			c.kind = tSlice
		case t.Kind() == reflect.Map && t.Key().Kind() == reflect.String:
			c.kind = tMap
		case t.Kind() == reflect.Pointer:
			c.kind = tPointer
		default:
			return nil, false
		}
		seen[t] = c
		var ok bool
		if c.elem, ok = buildTarget(t.Elem(), seen); !ok || c.elem.kind == tRaw {
			return nil, false
		}
	case reflect.Struct:
		c.kind = tStruct
		c.fields = map[string]*targetField{}
		seen[t] = c
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Anonymous {
				return nil, false
			}
			tag := f.Tag.Get("json")
			if !f.IsExported() || tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if name == "" || c.fields[name] != nil || !plainOptions(opts) {
				return nil, false
			}
			ft, ok := buildTarget(f.Type, seen)
			if !ok {
				return nil, false
			}
			if interned, ok := memberNames()[name]; ok {
				name = interned
			}
			c.fields[name] = &targetField{name: name, index: i, t: ft}
		}
	default:
		return nil, false
	}
	return c, true
}

// plainOptions reports whether a json tag's options change nothing about decoding.
func plainOptions(opts string) bool {
	for o := range strings.SplitSeq(opts, ",") {
		if o != "" && o != "omitempty" && o != "omitzero" {
			return false
		}
	}
	return true
}

// rawKey locates a json.RawMessage member in the tree: the object holding it, and its name.
type rawKey struct {
	obj  unsafe.Pointer
	name string
}

// rawSpans holds the bytes of the json.RawMessage members parseTarget met.
type rawSpans map[rawKey][]byte

// mapID is the identity of an object of the tree.
func mapID(m map[string]any) unsafe.Pointer { return reflect.ValueOf(m).UnsafePointer() }

// assign sets v, of t's type and zero, to the value x of the tree, as json.Unmarshal sets
// it from the same JSON. It returns false for a value json.Unmarshal would refuse (or
// decode otherwise), which DecodeBody leaves to json.Unmarshal.
func assign(t *target, x any, raws rawSpans, v reflect.Value) bool {
	if x == nil {
		return true // null leaves a zero value as it is
	}
	switch t.kind {
	case tString:
		s, ok := x.(string)
		v.SetString(s)
		return ok
	case tBool:
		b, ok := x.(bool)
		v.SetBool(b)
		return ok
	case tInt:
		n, ok := x.(json.Number)
		i, err := strconv.ParseInt(string(n), 10, 64)
		if !ok || err != nil || v.OverflowInt(i) {
			return false
		}
		v.SetInt(i)
	case tUint:
		n, ok := x.(json.Number)
		i, err := strconv.ParseUint(string(n), 10, 64)
		if !ok || err != nil || v.OverflowUint(i) {
			return false
		}
		v.SetUint(i)
	case tFloat:
		n, ok := x.(json.Number)
		f, err := strconv.ParseFloat(string(n), t.typ.Bits())
		if !ok || err != nil || v.OverflowFloat(f) {
			return false
		}
		v.SetFloat(f)
	case tBytes:
		s, ok := x.(string)
		if !ok {
			return false
		}
		b := make([]byte, base64.StdEncoding.DecodedLen(len(s)))
		n, err := base64.StdEncoding.Decode(b, []byte(s))
		if err != nil {
			return false
		}
		v.SetBytes(b[:n])
	case tPointer:
		e := reflect.New(t.typ.Elem())
		if !assign(t.elem, x, raws, e.Elem()) {
			return false
		}
		v.Set(e)
	case tStruct:
		obj, ok := x.(map[string]any)
		if !ok {
			return false
		}
		for k, m := range obj {
			f := t.fields[k]
			switch {
			case f == nil:
			case f.t.kind == tRaw:
				// A copy, as json.Unmarshal makes: the body is the caller's.
				v.Field(f.index).SetBytes(bytes.Clone(raws[rawKey{mapID(obj), k}]))
			case !assign(f.t, m, raws, v.Field(f.index)):
				return false
			}
		}
	case tSlice:
		items, ok := x.([]any)
		if !ok {
			return false
		}
		if len(items) == 0 {
			v.Set(reflect.MakeSlice(t.typ, 0, 0)) // [] is an empty slice, not nil
			return true
		}
		// Grown in place: reflect.MakeSlice would allocate the slice's header too.
		v.Grow(len(items))
		v.SetLen(len(items))
		for i, it := range items {
			if !assign(t.elem, it, raws, v.Index(i)) {
				return false
			}
		}
	case tMap:
		obj, ok := x.(map[string]any)
		if !ok {
			return false
		}
		m := reflect.MakeMapWithSize(t.typ, len(obj))
		for k, it := range obj {
			e := reflect.New(t.typ.Elem()).Elem()
			if !assign(t.elem, it, raws, e) {
				return false
			}
			m.SetMapIndex(reflect.ValueOf(k).Convert(t.typ.Key()), e)
		}
		v.Set(m)
	default:
		return false
	}
	return true
}
