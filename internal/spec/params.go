package spec

import (
	_ "embed"
	"encoding/json"
	"sync"
)

// The bedrock (control-plane) model, botocore's bedrock/2023-04-20, extracted as
// bedrock-runtime.json is (go generate; ./gen -control).
//
//go:generate go run ./gen -control -o bedrock.json
//go:embed bedrock.json
var controlJSON []byte

var controlModel = embedded(controlJSON)

// ControlModel returns the bedrock (control-plane) model extract embedded in the package:
// the operations the emulator serves on the runtime's port besides Bedrock Runtime's
// (ListFoundationModels, CreateGuardrail, …). The value is parsed once and shared;
// callers must not modify it.
func ControlModel() *Service { return controlModel() }

// ValidateParams checks the members of operation's input that are bound to the request
// line, its URI labels and query string (Member.Location "uri" or "querystring"), against
// their shapes as Validate checks body members: a string's enum, pattern and length, an
// integer's range. value returns the request's value for a member's location ("uri" or
// "querystring") and LocationName, unescaped, and whether it has one; members without a
// value are not checked (a missing required query member is the caller's to report). A value an integer member cannot parse is left to the caller,
// which answers with the service's serialization error. Violations come in the input
// shape's member order, named by member name (e.g. "typeEquals" for the query key "type").
func (s *Service) ValidateParams(operation string, value func(location, name string) (string, bool)) []Violation {
	op, ok := s.Operation(operation)
	if !ok {
		return nil
	}
	in, ok := s.Shape(op.Input)
	if !ok {
		return nil
	}
	v := validator{}
	for _, m := range in.Members {
		if m.Location != "uri" && m.Location != "querystring" {
			continue
		}
		val, ok := value(m.Location, m.LocationName)
		if !ok {
			continue
		}
		n := s.paramNode(m.Target)
		p := path{}.member(m.Name)
		switch n.kind {
		case kString:
			v.checkString(n, p, val, n.sensitive)
		case kInteger:
			if num, ok := parseNumber(n, json.Number(val)); ok {
				v.checkRange(n, p, num, n.sensitive)
			}
		}
	}
	return v.out
}

// paramNodes caches the compiled node of each (Service, shape) ValidateParams checks, so
// that a request does not compile its shapes (and their patterns) again.
var paramNodes sync.Map // paramKey -> *node

type paramKey struct {
	s     *Service
	shape string
}

// paramNode is the compiled node for shape, compiled once per Service.
func (s *Service) paramNode(shape string) *node {
	k := paramKey{s, shape}
	if n, ok := paramNodes.Load(k); ok {
		return n.(*node)
	}
	n, _ := paramNodes.LoadOrStore(k, compileShape(s, map[string]*node{}, shape, false))
	return n.(*node)
}
