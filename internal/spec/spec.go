// Package spec holds a checked-in extract of the Amazon Bedrock Runtime API
// model and a request validator driven by it.
//
// The extract, bedrock-runtime.json, is generated from botocore's
// bedrock-runtime/2023-09-30/service-2.json by ./gen (run "go generate" in
// this directory). It keeps every operation and shape of the model but no
// documentation: http bindings, members, enums, length and range bounds,
// patterns and the union, sensitive, streaming and error traits. A second
// extract, bedrock.json ([ControlModel]), holds botocore's bedrock
// (control-plane) model the same way; [Service.ValidateParams] checks an
// operation's URI and query members against it.
//
// [Model] returns the parsed extract; [Validate] checks a decoded JSON request
// body against an operation's input shape the way the service's request layer
// (Coral) does, [ValidateBody] a raw one (decoded by a fast parser that
// follows encoding/json), and [Message] renders the violations in the
// service's words.
//
// Where this package differs from, or could not be checked against, the real
// service is said at the point where it matters; comments marked
// "unverified:" give a message form that no public capture confirmed.
package spec

//go:generate go run ./gen

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"sync"
)

//go:embed bedrock-runtime.json
var extractJSON []byte

// Service is the API model extract: the service metadata, its operations and
// its shapes, both keyed by name. Treat it as read-only: [Model] returns one
// shared value.
type Service struct {
	Metadata   Metadata              `json:"metadata"`
	Operations map[string]*Operation `json:"operations"`
	Shapes     map[string]*Shape     `json:"shapes"`
}

// Metadata is the model's service metadata.
type Metadata struct {
	APIVersion     string `json:"apiVersion"`
	EndpointPrefix string `json:"endpointPrefix"`
	Protocol       string `json:"protocol"`
	ServiceID      string `json:"serviceId"`
	SigningName    string `json:"signingName"`
	UID            string `json:"uid"`
}

// Operation is one operation of the model: its HTTP binding and the names of
// its input, output and error shapes.
type Operation struct {
	Name         string   `json:"-"`
	Method       string   `json:"method"`
	RequestURI   string   `json:"requestUri"`
	ResponseCode int      `json:"responseCode,omitempty"`
	Input        string   `json:"input,omitempty"`
	Output       string   `json:"output,omitempty"`
	Errors       []string `json:"errors,omitempty"`
}

// Shape is one shape of the model. Which fields are set depends on Type
// ("structure", "list", "map", "string", "integer", "long", "float",
// "double", "boolean", "blob", "timestamp").
type Shape struct {
	Name string `json:"-"`
	Type string `json:"type"`
	// Members of a structure (or union), in model order.
	Members []Member `json:"members,omitempty"`
	// Member, Key and Value name the target shapes of a list's elements and
	// a map's keys and values.
	Member string `json:"member,omitempty"`
	Key    string `json:"key,omitempty"`
	Value  string `json:"value,omitempty"`
	// Enum lists a string's allowed values, in model order.
	Enum []string `json:"enum,omitempty"`
	// Min and Max bound a string's, blob's, list's or map's length, or a
	// number's value.
	Min     *float64 `json:"min,omitempty"`
	Max     *float64 `json:"max,omitempty"`
	Pattern string   `json:"pattern,omitempty"`
	// Union marks a structure of which exactly one member must be set.
	Union     bool `json:"union,omitempty"`
	Sensitive bool `json:"sensitive,omitempty"`
	// Document marks a shape that holds any JSON value.
	Document    bool   `json:"document,omitempty"`
	Streaming   bool   `json:"streaming,omitempty"`
	EventStream bool   `json:"eventstream,omitempty"`
	Event       bool   `json:"event,omitempty"`
	Payload     string `json:"payload,omitempty"`
	// Error is the HTTP status code of an error shape, zero otherwise.
	Error           int    `json:"error,omitempty"`
	TimestampFormat string `json:"timestampFormat,omitempty"`
}

// Member is a member of a structure.
type Member struct {
	Name   string `json:"name"`
	Target string `json:"target"`
	// Location is "uri", "header", "headers" or "querystring" for members
	// bound to the request line or headers, empty for body members.
	Location         string `json:"location,omitempty"`
	LocationName     string `json:"locationName,omitempty"`
	Required         bool   `json:"required,omitempty"`
	IdempotencyToken bool   `json:"idempotencyToken,omitempty"`
}

// Operation returns the named operation.
func (s *Service) Operation(name string) (*Operation, bool) {
	op, ok := s.Operations[name]
	return op, ok
}

// Shape returns the named shape.
func (s *Service) Shape(name string) (*Shape, bool) {
	sh, ok := s.Shapes[name]
	return sh, ok
}

// OperationNames returns the names of all operations, sorted.
func (s *Service) OperationNames() []string {
	names := make([]string, 0, len(s.Operations))
	for n := range s.Operations {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// ErrorNames returns the names of the model's error shapes, sorted.
func (s *Service) ErrorNames() []string {
	var names []string
	for n, sh := range s.Shapes {
		if sh.Error != 0 {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names
}

// ErrorStatus returns the HTTP status the model gives the error shape name; ok is false
// when name is not an error shape.
func (s *Service) ErrorStatus(name string) (status int, ok bool) {
	if sh, found := s.Shapes[name]; found && sh.Error != 0 {
		return sh.Error, true
	}
	return 0, false
}

// Parse decodes an extract in the format of bedrock-runtime.json and checks
// that every shape it refers to exists.
func Parse(data []byte) (*Service, error) {
	var s Service
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("spec: decoding model extract: %w", err)
	}
	for name, op := range s.Operations {
		op.Name = name
		for _, ref := range append([]string{op.Input, op.Output}, op.Errors...) {
			if _, ok := s.Shapes[ref]; ref != "" && !ok {
				return nil, fmt.Errorf("spec: operation %s refers to unknown shape %q", name, ref)
			}
		}
	}
	for name, sh := range s.Shapes {
		sh.Name = name
		refs := []string{sh.Member, sh.Key, sh.Value}
		for _, m := range sh.Members {
			refs = append(refs, m.Target)
		}
		for _, ref := range refs {
			if _, ok := s.Shapes[ref]; ref != "" && !ok {
				return nil, fmt.Errorf("spec: shape %s refers to unknown shape %q", name, ref)
			}
		}
		if sh.Pattern != "" {
			if _, err := compilePattern(sh.Pattern); err != nil {
				return nil, fmt.Errorf("spec: shape %s: pattern: %w", name, err)
			}
		}
	}
	return &s, nil
}

var model = embedded(extractJSON)

// embedded returns a function that parses an embedded model extract once and returns it.
func embedded(data []byte) func() *Service {
	return sync.OnceValue(func() *Service {
		s, err := Parse(data)
		if err != nil {
			panic(err) // the embedded extracts are checked by the package's tests
		}
		return s
	})
}

// Model returns the Bedrock Runtime model extract embedded in the package.
// The value is parsed once and shared; callers must not modify it.
func Model() *Service { return model() }

// compilePattern compiles a model pattern anchored (fullMatch). A pattern that is valid
// Java but that Go's RE2 cannot compile gives a nil Regexp and no error: the pattern text
// is kept (Shape.Pattern, and the messages that quote it), but values are not checked
// against it. The one kind known is a repeat count above RE2's limit of 1000: botocore's
// bedrock model has kBS3Uri, "s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.{1,1024}". Any other
// compile error is the model's and is returned.
func compilePattern(p string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(fullMatch(p))
	var se *syntax.Error
	if errors.As(err, &se) && se.Code == syntax.ErrInvalidRepeatSize {
		return nil, nil
	}
	return re, err
}

// patterns holds the patterns Matches compiled, by pattern text.
var patterns sync.Map // string -> *regexp.Regexp (nil: RE2 cannot run it)

// Matches reports whether v satisfies a model pattern as a whole value, as the service
// checks it; a pattern that RE2 cannot run (see compilePattern) accepts every value. Each
// pattern is compiled once, whoever asks; one that does not compile at all panics, as the
// patterns of the embedded models all compile (Parse checks it).
func Matches(pattern, v string) bool {
	re, ok := patterns.Load(pattern)
	if !ok {
		c, err := compilePattern(pattern)
		if err != nil {
			panic(err)
		}
		re, _ = patterns.LoadOrStore(pattern, c)
	}
	return re.(*regexp.Regexp) == nil || re.(*regexp.Regexp).MatchString(v)
}

// fullMatch anchors a model pattern so that it must match the whole value,
// as Java's Matcher.matches does. Inference: the service rejects real tool
// names with "Member must satisfy regular expression pattern:
// [a-zA-Z0-9_-]+" (vercel/ai's bedrock-invalid-tool-name-validation-error.json
// fixture), which an unanchored search would accept for any name holding a
// letter or digit.
func fullMatch(p string) string { return `^(?:` + p + `)$` }
