package spec

import (
	"encoding/json"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Kind classifies a [Violation].
type Kind int

// The kinds of violation. All but KindSerialization are constraint failures
// that the service reports as one ValidationException listing them all;
// KindSerialization is a body the service cannot deserialize, reported alone
// as a SerializationException.
const (
	KindRequired      Kind = iota + 1 // a required member is missing or null
	KindEnum                          // a string outside its enum
	KindPattern                       // a string not matching its pattern
	KindLength                        // a string, blob, list or map too short or too long
	KindRange                         // a number out of range
	KindMapKey                        // a map key failing its shape's constraints
	KindMapValue                      // a map value failing its shape's constraints
	KindUnion                         // a union without exactly one member set
	KindSerialization                 // a value of the wrong JSON type, or undecodable
)

var kindNames = [...]string{
	KindRequired: "required", KindEnum: "enum", KindPattern: "pattern", KindLength: "length",
	KindRange: "range", KindMapKey: "map key", KindMapValue: "map value", KindUnion: "union",
	KindSerialization: "serialization",
}

// String returns a short lower-case name of the kind.
func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Exception returns the name of the exception the service answers a
// violation of this kind with: "SerializationException" (HTTP 400) for
// KindSerialization, "ValidationException" (HTTP 400) otherwise.
//
// unverified: no public capture shows Bedrock's SerializationException; its
// name and status come from other Coral services (SES v2, Athena; see
// validate_test.go). Its x-amzn-ErrorType namespace is presumably Coral's own,
// "http://internal.amazon.com/coral/com.amazon.coral.service/".
func (k Kind) Exception() string {
	if k == KindSerialization {
		return "SerializationException"
	}
	return "ValidationException"
}

// Violation is one failure of a request body to satisfy the model.
type Violation struct {
	Kind Kind
	// Path locates the value the way the service does: member names joined
	// by dots, list items as "<list>.<n>.member" with n counted from 1,
	// e.g. "messages.1.member.content.2.member.document.name". It is empty
	// for KindSerialization.
	Path string
	// Value is the offending value as the message shows it: quoted
	// ("'0'", "'1.5'", "'[a, b]'"), the bare word "null" for a missing
	// member, or empty when the service leaves the value out (sensitive
	// values and those of structures, maps and blobs).
	Value string
	// Constraint is what failed, e.g. "Member must not be null". For
	// KindSerialization it is the whole exception message, which can be
	// empty: the service then sends no message.
	Constraint string
}

// String renders the violation as one item of the service's message, e.g.
// "Value '0' at 'inferenceConfig.maxTokens' failed to satisfy constraint:
// Member must have value greater than or equal to 1".
func (v Violation) String() string {
	if v.Kind == KindSerialization {
		return v.Constraint
	}
	var b strings.Builder
	b.WriteString("Value ")
	if v.Value != "" {
		b.WriteString(v.Value)
		b.WriteByte(' ')
	}
	b.WriteString("at '")
	b.WriteString(v.Path)
	b.WriteString("' failed to satisfy constraint: ")
	b.WriteString(v.Constraint)
	return b.String()
}

// MaxViolations is how many constraint violations the service lists, and counts, in one
// message: Coral-based AWS services stop at 10, and "N validation errors detected" then
// says 10. A DynamoDB CreateTable with nine empty local secondary indexes (27 missing
// members) is answered "10 validation errors detected: " and ten of them in dynalite's
// tests, which run against DynamoDB itself with REMOTE set
// (https://github.com/architect/dynalite/blob/16a1ff7e0db403c04528b243f1e728606c1a72e7/test/createTable.js);
// a Kinesis PutRecords with 501 empty records (502 violations) likewise in kinesalite's
// (https://github.com/mhart/kinesalite/blob/6190a29ad73893f809a291ec2b4afa12a7cb2836/test/putRecords.js),
// whose validator stops collecting at 10
// (https://github.com/mhart/kinesalite/blob/4c5c30200f1b7cca22d038a28711f572997f97b9/validations/index.js).
// That Bedrock Runtime, a Coral service too, does the same is an inference: no public
// capture of a Bedrock message with more than ten violations was found
// (docs/wire-facts.md §7.9).
const MaxViolations = 10

// Message renders violations as the service's exception message. Constraint
// violations give "1 validation error detected: <v>" or "<n> validation
// errors detected: <v1>; <v2>; …" in the order given, at most MaxViolations
// of them (n counts those listed, as the service's does). If vs holds a
// KindSerialization violation, Message returns that one's message alone.
// Message returns "" for no violations.
func Message(vs []Violation) string {
	if len(vs) == 0 {
		return ""
	}
	for _, v := range vs {
		if v.Kind == KindSerialization {
			return v.Constraint
		}
	}
	vs = vs[:min(len(vs), MaxViolations)]
	var b strings.Builder
	b.WriteString(strconv.Itoa(len(vs)))
	if len(vs) == 1 {
		b.WriteString(" validation error detected: ")
	} else {
		b.WriteString(" validation errors detected: ")
	}
	for i, v := range vs {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(v.String())
	}
	return b.String()
}

// Validate checks a request body for an operation against the operation's
// input shape and returns the violations found, nil if none. body must be
// decoded with encoding/json, preferably with Decoder.UseNumber, so that its
// values are map[string]any, []any, json.Number (or float64), string, bool
// and nil.
//
// Only body members are checked: members bound to the URI, headers or query
// string are the caller's, and operations whose body is a blob or an event
// stream (InvokeModel and its streaming variants) have nothing to check.
// Unknown members are ignored, and a null member counts as absent, as the
// service does. An unknown operation yields nil.
//
// If the body could not be deserialized by the service (a value of the wrong
// JSON type), Validate returns a single KindSerialization violation instead
// of any constraint violations. Otherwise it returns the first MaxViolations
// constraint violations at most, as many as the service lists.
func Validate(operation string, body map[string]any) []Violation {
	return ValidateValue(operation, body)
}

// ValidateValue is [Validate] for a body of any JSON type: a body that is not
// a JSON object (an array, a string, a number, null) is a
// KindSerialization violation. A nil map[string]any counts as "{}".
func ValidateValue(operation string, body any) []Violation {
	in := compiled().inputs[operation]
	if in == nil {
		return nil
	}
	v := validator{}
	switch b := body.(type) {
	case map[string]any:
		v.structure(in, make(path, 0, 16), b, false)
	case []any:
		return []Violation{serialization(msgStartOfList)}
	default:
		// Inference: Athena answers a body that is null or a bare scalar
		// with a SerializationException without a message (see tests).
		return []Violation{serialization("")}
	}
	if v.ser != nil {
		return []Violation{*v.ser}
	}
	return v.out
}

// inferredSensitive names shapes whose values the service leaves out of its
// messages although the published model does not mark them sensitive.
//
// Inference from real messages: every value inside a message's content
// blocks is left out even where its own shape is not sensitive —
// toolUse.name and toolUse.toolUseId, toolResult.toolUseId ("6 validation
// errors detected: Value at 'messages.2.member.content.1.member.toolUse.name'
// …", https://github.com/tontinton/maki/issues/38), document.name ("Value at
// 'messages.1.member.content.2.member.document.name'", vercel/ai
// packages/amazon-bedrock/src/__fixtures__/amazon-bedrock-invalid-document-filenames.json)
// — while a message's role, outside the content blocks, is shown ("Value
// 'system' at 'messages.1.member.role'", a public Bedrock error catalogue
// without a citable source, docs/wire-facts.md §7.8) and so are the same shapes under toolConfig
// (an empty toolSpec.name is shown as an empty quoted value at
// 'toolConfig.tools.1.member.toolSpec.name',
// https://github.com/BerriAI/litellm/issues/24668). So the service's own
// model most likely marks ContentBlock sensitive.
var inferredSensitive = map[string]bool{"ContentBlock": true}

type nodeKind int

const (
	kStruct nodeKind = iota
	kList
	kMap
	kString
	kInteger // integer and long
	kFloat
	kDouble
	kBool
	kBlob
	kTimestamp
	kDocument
)

type field struct {
	name     string
	required bool
	n        *node
}

// node is a shape compiled for validation.
type node struct {
	kind      nodeKind
	shape     *Shape
	fields    []field // structures: body members, in model order
	union     bool
	elem      *node // lists
	key, val  *node // maps
	re        *regexp.Regexp
	enum      map[string]string // each enum value, to itself: a decoded value need not be copied
	enumText  string            // "[a, b]"
	sensitive bool
	// shown reports whether a value of this shape appears in messages
	// (unless it lies inside a sensitive shape). Inference: the service
	// shows strings, numbers, booleans and lists of them
	// ("Value '[</CO, …]' at 'inferenceConfig.stopSequences'",
	// https://github.com/continuedev/continue/issues/2296), but not a list
	// of structures ("Value at 'toolConfig.tools' failed to satisfy
	// constraint: Member must have length greater than or equal to 1",
	// https://github.com/genkit-ai/aws-bedrock-js-plugin/issues/43).
	// Maps and blobs are never shown here: every one in a request body is
	// sensitive or inside a content block.
	shown bool
}

type compiledModel struct {
	inputs map[string]*node // operation name -> input shape, body members only
}

var compiled = sync.OnceValue(func() *compiledModel {
	m := Model()
	c := &compiledModel{inputs: map[string]*node{}}
	nodes := map[string]*node{}
	for name, op := range m.Operations {
		in, ok := m.Shapes[op.Input]
		if !ok || in.Payload != "" {
			continue // no input, or a blob / event-stream body
		}
		c.inputs[name] = compileShape(m, nodes, op.Input, true)
	}
	return c
})

// compileShape builds the node for a shape; top keeps only body members.
func compileShape(m *Service, nodes map[string]*node, name string, top bool) *node {
	if n, ok := nodes[name]; ok && !top {
		return n
	}
	s := m.Shapes[name]
	n := &node{shape: s, sensitive: s.Sensitive || inferredSensitive[name]}
	if !top {
		nodes[name] = n // before recursing: shapes may be recursive
	}
	switch {
	case s.Document:
		n.kind = kDocument
	case s.Type == "structure":
		n.kind = kStruct
		n.union = s.Union
		for _, mem := range s.Members {
			if mem.Location != "" {
				continue
			}
			n.fields = append(n.fields, field{name: mem.Name, required: mem.Required, n: compileShape(m, nodes, mem.Target, false)})
		}
	case s.Type == "list":
		n.kind = kList
		n.elem = compileShape(m, nodes, s.Member, false)
		n.shown = n.elem.kind >= kString && n.elem.kind <= kBool && !n.elem.sensitive
	case s.Type == "map":
		n.kind = kMap
		n.key = compileShape(m, nodes, s.Key, false)
		n.val = compileShape(m, nodes, s.Value, false)
	case s.Type == "string":
		n.kind = kString
		n.shown = true
	case s.Type == "integer" || s.Type == "long":
		n.kind = kInteger
		n.shown = true
	case s.Type == "float":
		n.kind = kFloat
		n.shown = true
	case s.Type == "double":
		n.kind = kDouble
		n.shown = true
	case s.Type == "boolean":
		n.kind = kBool
		n.shown = true
	case s.Type == "blob":
		n.kind = kBlob
	case s.Type == "timestamp":
		n.kind = kTimestamp
		n.shown = true
	default:
		n.kind = kDocument // unknown types are not checked
	}
	if s.Pattern != "" {
		n.re, _ = compilePattern(s.Pattern) // Parse checked it compiles; nil for a pattern RE2 cannot run
	}
	if len(s.Enum) > 0 {
		n.enum = make(map[string]string, len(s.Enum))
		for _, e := range s.Enum {
			n.enum[e] = e
		}
		// Model order, as Bedrock's "[user, assistant]" for
		// ConversationRole (a public Bedrock error catalogue without a
		// citable source, docs/wire-facts.md §7.8); old Coral services use Java HashSet order
		// instead (DynamoDB's "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE,
		// UPDATED_NEW]", mhart/dynalite's UpdateItem tests), which
		// would give "[assistant, user]" here.
		n.enumText = "[" + strings.Join(s.Enum, ", ") + "]"
	}
	return n
}

type validator struct {
	out []Violation
	ser *Violation // the first serialization failure; ends validation
}

// add keeps a constraint violation, up to MaxViolations; validation goes on after them to
// find a serialization failure, which comes first.
func (v *validator) add(kind Kind, p path, value, constraint string) {
	if len(v.out) < MaxViolations {
		v.out = append(v.out, Violation{Kind: kind, Path: p.String(), Value: value, Constraint: constraint})
	}
}

func (v *validator) fail(msg string) {
	if v.ser == nil {
		s := serialization(msg)
		v.ser = &s
	}
}

func serialization(msg string) Violation {
	return Violation{Kind: KindSerialization, Constraint: msg}
}

// path locates a value while validating; it is rendered only when a
// violation is recorded, so that valid bodies cost no string building.
// Children append to it: depth-first traversal keeps siblings from
// clobbering each other's segments.
type path []segment

// segment is a member name, or for list items (name empty) the 1-based
// index, rendered "<n>.member".
type segment struct {
	name string
	idx  int
}

func (p path) member(name string) path { return append(p, segment{name: name}) }
func (p path) item(i int) path         { return append(p, segment{idx: i}) }

func (p path) String() string {
	var b strings.Builder
	for i, s := range p {
		if i > 0 {
			b.WriteByte('.')
		}
		if s.name != "" {
			b.WriteString(s.name)
		} else {
			b.WriteString(strconv.Itoa(s.idx))
			b.WriteString(".member")
		}
	}
	return b.String()
}

// structure checks an object's members in model order: each member's own
// constraints, then what it contains, then the next member. Evidence for
// the order: for tools 1, 2, 3… in turn, toolSpec.name's pattern, then
// toolSpec.name's length, then toolSpec.description's length
// (https://github.com/BerriAI/litellm/issues/19384). unverified: the real
// order of sibling members does not always follow the published model (it
// listed toolUse.name before toolUse.toolUseId in tontinton/maki#38).
func (v *validator) structure(n *node, p path, obj map[string]any, hidden bool) {
	if n.union {
		set := 0
		for _, f := range n.fields {
			if obj[f.name] != nil {
				set++
			}
		}
		if set != 1 {
			// unverified: no capture of this message was found; it is
			// written in the service's style.
			v.add(KindUnion, p, "", "Member must have exactly one member set")
		}
	}
	for _, f := range n.fields {
		raw := obj[f.name]
		if raw == nil { // absent or null: the service treats both alike
			if f.required {
				v.add(KindRequired, p.member(f.name), nullText(f.n, hidden), "Member must not be null")
			}
			continue
		}
		v.value(f.n, p.member(f.name), raw, hidden)
		if v.ser != nil {
			return
		}
	}
}

// Serialization messages. Evidence: SES v2, a restJson1 Coral service like
// Bedrock, answers {"OpenTrackingEnabled": 1} with "NUMBER_VALUE can not be
// converted to a String", a string where a structure belongs with "Expected
// null" and a top-level array with "Start of list found where not expected"
// (floci-io/floci SesTrackingOverridesV2IntegrationTest.java, probed
// 2026-10-06); Athena's measured set adds "STRING_VALUE can not be converted
// to an Integer", "TRUE_VALUE can not be converted to …", "Start of structure
// or map found where not expected." and "Expected list or null" (floci-io's
// athena-local docs, measured 2026-09-23). None was captured from Bedrock.
const (
	msgStartOfList   = "Start of list found where not expected"
	msgStartOfObject = "Start of structure or map found where not expected."
	msgExpectedNull  = "Expected null"
	msgExpectedList  = "Expected list or null"
	msgExpectedMap   = "Expected map or null" // unverified: by analogy with lists
)

func tokenName(raw any) string {
	switch r := raw.(type) {
	case string:
		return "STRING_VALUE"
	case bool:
		if r {
			return "TRUE_VALUE"
		}
		return "FALSE_VALUE"
	default:
		return "NUMBER_VALUE"
	}
}

// javaType is the article and Java class the service names in "… can not be
// converted to …". "a String", "an Integer" and "a Boolean" were measured
// (see the serialization messages above); the others follow the same Java
// class naming (inference).
func javaType(n *node) string {
	switch n.kind {
	case kString:
		return "a String"
	case kInteger:
		if n.shape.Type == "long" {
			return "a Long"
		}
		return "an Integer"
	case kFloat:
		return "a Float"
	case kDouble:
		return "a Double"
	case kBool:
		return "a Boolean"
	case kTimestamp:
		return "a Date" // unverified
	default:
		return "a ByteBuffer" // unverified: blobs
	}
}

// value checks a non-null value against its shape.
func (v *validator) value(n *node, p path, raw any, hidden bool) {
	h := hidden || n.sensitive
	switch n.kind {
	case kDocument:
		return
	case kStruct:
		switch r := raw.(type) {
		case map[string]any:
			v.structure(n, p, r, h)
		case []any:
			v.fail(msgStartOfList)
		default:
			v.fail(msgExpectedNull)
		}
		return
	case kList:
		switch r := raw.(type) {
		case []any:
			v.list(n, p, r, h)
		case map[string]any:
			v.fail(msgStartOfObject)
		default:
			v.fail(msgExpectedList)
		}
		return
	case kMap:
		switch r := raw.(type) {
		case map[string]any:
			v.mapValue(n, p, r, h)
		case []any:
			v.fail(msgStartOfList)
		default:
			v.fail(msgExpectedMap)
		}
		return
	}
	// Scalars.
	switch raw.(type) {
	case map[string]any:
		v.fail(msgStartOfObject)
		return
	case []any:
		v.fail(msgStartOfList)
		return
	}
	switch n.kind {
	case kString:
		s, ok := raw.(string)
		if !ok {
			v.fail(tokenName(raw) + " can not be converted to " + javaType(n))
			return
		}
		v.checkString(n, p, s, h)
	case kInteger, kFloat, kDouble:
		num, ok := parseNumber(n, raw)
		if !ok {
			if _, isStr := raw.(string); isStr || isBool(raw) {
				v.fail(tokenName(raw) + " can not be converted to " + javaType(n))
			} else {
				// Inference: Athena answers an integer beyond the 64-bit
				// range with a SerializationException without message.
				v.fail("")
			}
			return
		}
		v.checkRange(n, p, num, h)
	case kBool:
		if !isBool(raw) {
			v.fail(tokenName(raw) + " can not be converted to " + javaType(n))
		}
	case kBlob:
		s, ok := raw.(string)
		if !ok {
			v.fail(tokenName(raw) + " can not be converted to " + javaType(n))
			return
		}
		size, ok := base64Len(s)
		if !ok {
			v.fail("") // unverified: what the service says about bad base64
			return
		}
		if c := lengthConstraint(n.shape, size); c != "" {
			v.add(KindLength, p, "", c)
		}
	case kTimestamp:
		if isBool(raw) {
			v.fail(tokenName(raw) + " can not be converted to " + javaType(n))
		}
	}
}

func isBool(raw any) bool {
	_, ok := raw.(bool)
	return ok
}

func (v *validator) checkString(n *node, p path, s string, hidden bool) {
	show := n.shown && !hidden
	if !n.inEnum(s) {
		v.add(KindEnum, p, quote(show, s), "Member must satisfy enum value set: "+n.enumText)
	}
	// Pattern before length, as in "Value '' at '….toolSpec.name' … regular
	// expression pattern: [a-zA-Z0-9_-]+; Value '' at '….toolSpec.name' …
	// length greater than or equal to 1" (BerriAI/litellm#24668).
	if n.re != nil && !n.re.MatchString(s) {
		v.add(KindPattern, p, quote(show, s), "Member must satisfy regular expression pattern: "+n.shape.Pattern)
	}
	// unverified: length counts Unicode code points, as Smithy defines it;
	// a Java service might count UTF-16 units.
	if c := lengthConstraint(n.shape, utf8.RuneCountInString(s)); c != "" {
		v.add(KindLength, p, quote(show, s), c)
	}
}

// quote renders a shown value for a message: "'s'", or "" when left out.
func quote(show bool, s string) string {
	if !show {
		return ""
	}
	return "'" + s + "'"
}

// lengthConstraint returns the failed length constraint, "" if size fits.
func lengthConstraint(s *Shape, size int) string {
	if s.Min != nil && float64(size) < *s.Min {
		return "Member must have length greater than or equal to " + bound(*s.Min)
	}
	if s.Max != nil && float64(size) > *s.Max {
		return "Member must have length less than or equal to " + bound(*s.Max)
	}
	return ""
}

func (v *validator) checkRange(n *node, p path, num number, hidden bool) {
	var c string
	if s := n.shape; s.Min != nil && num.less(*s.Min) {
		c = "Member must have value greater than or equal to " + bound(*s.Min)
	} else if s.Max != nil && num.greater(*s.Max) {
		c = "Member must have value less than or equal to " + bound(*s.Max)
	} else {
		return
	}
	v.add(KindRange, p, quote(!hidden, num.text()), c)
}

// list checks a list's length, then its items. Null items are dropped first
// and do not count, as Athena does with "ExecutionParameters": [null]
// (inference for Bedrock).
func (v *validator) list(n *node, p path, items []any, hidden bool) {
	if slices.Contains(items, nil) {
		items = slices.DeleteFunc(slices.Clone(items), func(x any) bool { return x == nil })
	}
	if c := lengthConstraint(n.shape, len(items)); c != "" {
		val := ""
		if n.shown && !hidden {
			val = "'" + listText(n.elem, items) + "'"
		}
		v.add(KindLength, p, val, c)
	}
	for i, it := range items {
		v.value(n.elem, p.item(i+1), it, hidden)
		if v.ser != nil {
			return
		}
	}
}

// mapValue checks a map's size, then its keys and values. A key or value
// failing its shape is reported once per map, at the map, listing all the
// constraints of the key or value shape: "Value at
// 'pipeline.stages.2.member.actions.1.member.configuration' failed to
// satisfy constraint: Map value must satisfy constraint: [Member must have
// length less than or equal to 50000, Member must have length greater than
// or equal to 1]" (CodePipeline, https://github.com/hashicorp/terraform-provider-aws/issues/41023).
// unverified: where the pattern goes in that list, and the path of
// constraint failures nested in structured map values ("<map>.<key>").
func (v *validator) mapValue(n *node, p path, obj map[string]any, hidden bool) {
	keys := make([]string, 0, len(obj))
	for k, x := range obj {
		if x != nil { // unverified: null values dropped, as in lists
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	if c := lengthConstraint(n.shape, len(keys)); c != "" {
		v.add(KindLength, p, "", c)
	}
	var badKey, badVal bool
	for _, k := range keys {
		badKey = badKey || !n.key.stringOK(k)
		if x, ok := obj[k].(string); ok && n.val.kind == kString {
			badVal = badVal || !n.val.stringOK(x)
		}
	}
	if badKey {
		v.add(KindMapKey, p, "", "Map key must satisfy constraint: "+n.key.constraintList())
	}
	if badVal {
		v.add(KindMapValue, p, "", "Map value must satisfy constraint: "+n.val.constraintList())
	}
	for _, k := range keys {
		if n.val.kind == kString {
			if _, ok := obj[k].(string); ok {
				continue // checked above
			}
		}
		v.value(n.val, p.member(k), obj[k], hidden)
		if v.ser != nil {
			return
		}
	}
}

// stringOK reports whether s satisfies a string shape's constraints.
func (n *node) stringOK(s string) bool {
	if n.kind != kString {
		return true
	}
	size := float64(utf8.RuneCountInString(s))
	sh := n.shape
	return n.inEnum(s) &&
		(n.re == nil || n.re.MatchString(s)) &&
		(sh.Min == nil || size >= *sh.Min) &&
		(sh.Max == nil || size <= *sh.Max)
}

// inEnum reports whether s is one of a string shape's enum values, or the shape has none.
func (n *node) inEnum(s string) bool {
	_, ok := n.enum[s]
	return ok || n.enum == nil
}

// constraintList renders all of a string shape's constraints as the service
// lists them in map key and value failures: maximum length, minimum length,
// then (unverified) pattern and enum.
func (n *node) constraintList() string {
	var parts []string
	if sh := n.shape; sh.Max != nil {
		parts = append(parts, "Member must have length less than or equal to "+bound(*sh.Max))
	}
	if sh := n.shape; sh.Min != nil {
		parts = append(parts, "Member must have length greater than or equal to "+bound(*sh.Min))
	}
	if n.re != nil {
		parts = append(parts, "Member must satisfy regular expression pattern: "+n.shape.Pattern)
	}
	if n.enum != nil {
		parts = append(parts, "Member must satisfy enum value set: "+n.enumText)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// nullText renders a missing or null value: the bare word null, or ""
// when the value is left out.
//
// Evidence: "Value null at 'policyNames' failed to satisfy constraint:
// Member must not be null" (Elastic Load Balancing,
// https://github.com/amazon-archives/aws-sdk-core-ruby/pull/49), "Value null
// at 'queryExecutionId'" (Athena, floci-io athena-local docs); inside
// sensitive shapes "Value at
// 'messages.X.member.content.Y.member.reasoningContent.reasoningText.text'
// failed to satisfy constraint: Member must not be null"
// (https://github.com/danny-avila/LibreChat/pull/13888).
func nullText(n *node, hidden bool) string {
	if hidden || n.sensitive {
		return ""
	}
	return "null"
}

// bound renders a constraint bound from the model: "1", "0", "25000000".
func bound(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// number is a parsed numeric value: its comparison value and its rendering
// as the service's Java code prints it.
type number struct {
	i     int64
	f     float64
	isInt bool
	bits  int // of f: 32 for float shapes, 64 for double
}

func (x number) text() string {
	if x.isInt {
		return strconv.FormatInt(x.i, 10)
	}
	return javaFloat(x.f, x.bits)
}

func (x number) less(b float64) bool {
	if x.isInt {
		return float64(x.i) < b
	}
	return x.f < b
}

func (x number) greater(b float64) bool {
	if x.isInt {
		return float64(x.i) > b
	}
	return x.f > b
}

func numberText(raw any) (string, bool) {
	switch r := raw.(type) {
	case json.Number:
		return string(r), true
	case float64:
		return strconv.FormatFloat(r, 'g', -1, 64), true
	case float32:
		return strconv.FormatFloat(float64(r), 'g', -1, 32), true
	case int:
		return strconv.Itoa(r), true
	case int64:
		return strconv.FormatInt(r, 10), true
	}
	return "", false
}

// parseNumber converts a JSON number for an integer, long, float or double
// shape. It fails for non-numbers and for integers beyond 64 bits.
func parseNumber(n *node, raw any) (number, bool) {
	text, ok := numberText(raw)
	if !ok {
		return number{}, false
	}
	switch n.kind {
	case kInteger:
		if !strings.ContainsAny(text, ".eE") {
			i, err := strconv.ParseInt(text, 10, 64)
			if err != nil {
				return number{}, false
			}
			return number{i: i, isInt: true}, true
		}
		// Inference: Athena truncates a decimal such as 1.5 for an
		// integer member to 1 rather than rejecting it.
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || math.Abs(f) >= 1<<63 {
			return number{}, false
		}
		return number{i: int64(math.Trunc(f)), isInt: true}, true
	case kFloat:
		f, _ := strconv.ParseFloat(text, 64) // out of range gives ±Inf, as Java's parser
		return number{f: float64(float32(f)), bits: 32}, true
	default:
		f, _ := strconv.ParseFloat(text, 64)
		return number{f: f, bits: 64}, true
	}
}

// listText renders list items as Java's List.toString: "[a, b, c]".
func listText(elem *node, items []any) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, it := range items {
		if i > 0 {
			b.WriteString(", ")
		}
		switch r := it.(type) {
		case string:
			b.WriteString(r)
		case bool:
			b.WriteString(strconv.FormatBool(r))
		default:
			if num, ok := parseNumber(elem, it); ok && elem.kind >= kInteger && elem.kind <= kDouble {
				b.WriteString(num.text())
			} else if t, ok := numberText(it); ok {
				b.WriteString(t)
			}
		}
	}
	b.WriteByte(']')
	return b.String()
}

// base64Len returns the decoded length of standard base64 text, padded or
// not, and whether the text is valid.
func base64Len[T string | []byte](s T) (int, bool) {
	t := len(s)
	for t > 0 && s[t-1] == '=' {
		t--
	}
	if len(s)-t > 2 || t%4 == 1 || (len(s) != t && len(s)%4 != 0) {
		return 0, false
	}
	for i := 0; i < t; i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/') {
			return 0, false
		}
	}
	return t * 6 / 8, true
}

// javaFloat renders f as Java's Float.toString (bits 32) or Double.toString
// (bits 64) do: the shortest decimal that reads back as the same value, in
// plain notation with at least one fractional digit for magnitudes in
// [1e-3, 1e7) ("1.5", "7.0", "32424.0"), else as d.dddE±n ("1.0E7",
// "1.5E-4"). Evidence: "Value '1.5' at 'inferenceConfig.temperature'"
// (https://github.com/stdapi-ai/stdapi.ai/issues/224) and "Value '32424.0'"
// for the same member (docs/wire-facts.md §4).
func javaFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	if a := math.Abs(f); a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, bits)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'e', -1, bits) // "-1.2345e+07", "1e-05"
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}
