package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"unicode/utf8"

	"github.com/bedrock-emulator/bedrock-emulator/internal/spec"
)

// validateShape checks a request body against the operation's input shape in the API model
// (internal/spec), as the service's request layer does before Bedrock sees the request:
// a body that does not deserialize is a SerializationException, constraint failures one
// ValidationException listing them all.
func validateShape(op string, body []byte) *Error {
	if !utf8.Valid(body) {
		return serializationError(utf8Error(body))
	}
	v, ok := parseJSON(body)
	if !ok {
		var e *Error
		if v, e = decodeValue(body); e != nil {
			return e
		}
	}
	vs := spec.ValidateValue(op, v)
	if len(vs) == 0 {
		return nil
	}
	if vs[0].Kind == spec.KindSerialization {
		return serializationError(vs[0].Constraint)
	}
	return validationError("%s", spec.Message(vs))
}

// decodeValue decodes body with encoding/json, the reference parseJSON follows, and
// answers what does not decode.
func decodeValue(body []byte) (any, *Error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, serializationError(err.Error())
	}
	if dec.More() {
		return nil, serializationError("unexpected data after the JSON value")
	}
	return v, nil
}

// serializationError answers a body that is not JSON of the request's shape.
// unverified: no capture of Bedrock's answer to a malformed body was found
// (docs/wire-facts.md §7.2); Coral services answer SerializationException, 400,
// in the coral.service namespace (internal/spec documents the messages it copies).
func serializationError(msg string) *Error {
	return &Error{Type: "SerializationException", Status: http.StatusBadRequest, Message: msg, Namespace: "com.amazon.coral.service"}
}
