package emulator

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/bedrock-emulator/bedrock-emulator/internal/spec"
)

// Error is an error in the service's own model: an exception type from the Bedrock Runtime
// API model, its HTTP status and its message. Behaviours return it (wrapped or not) to answer
// with a modeled error; the server writes it as Bedrock does: the status, an
// x-amzn-ErrorType header and a {"message":…} body, or an exception frame mid-stream.
type Error struct {
	// Type is the exception's shape name, e.g. "ThrottlingException".
	Type string
	// Status is the HTTP status; 0 means the one the API model gives Type.
	Status int
	// Message is the text of the body's message member.
	Message string
	// Namespace is the Coral namespace in x-amzn-ErrorType; empty means Bedrock's own
	// ("com.amazon.bedrock"). Authentication errors use "com.amazon.coral.service".
	Namespace string

	// authorizer marks errors of Bedrock's authorizer, whose body key is "Message".
	authorizer bool
	// inStream marks the model's own validation errors that ConverseStream reports after
	// HTTP 200, as a validationException frame (see modelStreamError).
	inStream bool
}

func (e *Error) Error() string { return e.Type + ": " + e.Message }

// Is reports whether target is an *Error of the same Type, so that
// errors.Is(err, &emulator.Error{Type: "ThrottlingException"}) works.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Type == e.Type
}

// HTTPStatus is the status the error is answered with.
func (e *Error) HTTPStatus() int {
	if e.Status != 0 {
		return e.Status
	}
	if status, ok := spec.Model().ErrorStatus(e.Type); ok {
		return status
	}
	return http.StatusBadRequest
}

// errorTypeHeader is the x-amzn-ErrorType value, e.g.
// "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/" (docs/wire-facts.md §2.3).
func (e *Error) errorTypeHeader() string {
	ns := e.Namespace
	if ns == "" {
		ns = "com.amazon.bedrock"
	}
	return e.Type + ":http://internal.amazon.com/coral/" + ns + "/"
}

// defaultMessages are messages real Bedrock sends for modeled exception types, used when a
// caller names only the type (docs/wire-facts.md §4); the types not here have none that was found.
// The exception types and their HTTP statuses are the API model's (internal/spec).
var defaultMessages = map[string]string{
	"AccessDeniedException":       "You don't have access to the model with the specified model ID.",
	"ResourceNotFoundException":   "This model version has reached the end of its life. Please refer to the AWS documentation for more details.",
	"ServiceUnavailableException": "Bedrock is unable to process your request.",
	"ThrottlingException":         "Too many requests, please wait before trying again.",
}

// ExceptionTypes lists the modeled exception types, sorted.
func ExceptionTypes() []string { return spec.Model().ErrorNames() }

// ErrUnknownException is returned by NewError for a type the API model does not define.
var ErrUnknownException = errors.New("unknown exception type")

// NewError returns the modeled exception typ with message; an empty message takes the one
// real Bedrock sends for that type where one is known, else "<Type>" stated plainly.
func NewError(typ, message string) (*Error, error) {
	status, ok := spec.Model().ErrorStatus(typ)
	if !ok {
		return nil, fmt.Errorf("%w %q (want one of %v)", ErrUnknownException, typ, ExceptionTypes())
	}
	if message == "" {
		message = defaultMessages[typ]
	}
	if message == "" {
		// unverified: no real default message was found for this type (docs/wire-facts.md §4).
		message = "The request failed with " + typ + "."
	}
	return &Error{Type: typ, Status: status, Message: message}, nil
}

// validationError is a ValidationException with a formatted message.
func validationError(format string, args ...any) *Error {
	return &Error{Type: "ValidationException", Status: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}

// modelStreamError is a ValidationException that the model raises once it runs, after
// Bedrock's own checks: Converse answers it as HTTP 400, ConverseStream as HTTP 200 and a
// single validationException frame (no messageStart before it), as Bedrock does (docs/wire-facts.md
// §7.10).
func modelStreamError(format string, args ...any) *Error {
	e := validationError(format, args...)
	e.inStream = true
	return e
}

// serializationError answers a body that is not JSON of the request's shape.
// unverified: no capture of Bedrock's answer to a malformed body was found
// (docs/wire-facts.md §7.2); Coral services answer SerializationException, 400,
// in the coral.service namespace (internal/spec documents the messages it copies).
func serializationError(msg string) *Error {
	return &Error{Type: "SerializationException", Status: http.StatusBadRequest, Message: msg, Namespace: "com.amazon.coral.service"}
}

// streamExceptionName is the lowerCamel member name of an exception in ConverseStreamOutput
// (":exception-type" header), e.g. "throttlingException" (docs/wire-facts.md §3.2).
func streamExceptionName(typ string) string {
	if typ == "" {
		return ""
	}
	return string(typ[0]|0x20) + typ[1:]
}
