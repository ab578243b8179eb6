package spec

import (
	"bytes"
	"encoding/json"
	"errors"
)

// ValidateBody checks a raw request body against the operation's input shape, as the
// service's request layer does before Bedrock sees the request. It decodes body as
// encoding/json with UseNumber does (a body that does not decode is one KindSerialization
// violation with encoding/json's error as its message) and validates the value with
// [ValidateValue]. The caller checks first that body is UTF-8: encoding/json lets invalid
// UTF-8 through, the service does not.
func ValidateBody(operation string, body []byte) []Violation {
	v, ok := parseJSON(body)
	if !ok {
		var err error
		if v, err = decodeValue(body); err != nil {
			return []Violation{serialization(err.Error())}
		}
	}
	return ValidateValue(operation, v)
}

// errTrailingData is decodeValue's error for data after the JSON value.
var errTrailingData = errors.New("unexpected data after the JSON value")

// decodeValue decodes body with encoding/json, the reference parseJSON follows.
func decodeValue(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errTrailingData
	}
	return v, nil
}
