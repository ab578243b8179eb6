package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
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
	if x, ok := exceptions[e.Type]; ok {
		return x.status
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

// exceptions are the modeled exceptions of the Bedrock Runtime API model with their HTTP
// status and the member name they have in ConverseStreamOutput (for exception frames).
var exceptions = map[string]struct {
	status int
	// defaultMessage is a message real Bedrock sends for this type, used when a caller
	// names only the type (docs/wire-facts.md §4); empty where none was found.
	defaultMessage string
}{
	"AccessDeniedException":         {403, "You don't have access to the model with the specified model ID."},
	"InternalServerException":       {500, ""},
	"ModelErrorException":           {424, ""},
	"ModelNotReadyException":        {429, ""},
	"ModelStreamErrorException":     {424, ""},
	"ModelTimeoutException":         {408, ""},
	"ResourceNotFoundException":     {404, "This model version has reached the end of its life. Please refer to the AWS documentation for more details."},
	"ServiceQuotaExceededException": {400, ""},
	"ServiceUnavailableException":   {503, "Bedrock is unable to process your request."},
	"ThrottlingException":           {429, "Too many requests, please wait before trying again."},
	"ValidationException":           {400, ""},
}

// ExceptionTypes lists the modeled exception types, sorted.
func ExceptionTypes() []string {
	out := make([]string, 0, len(exceptions))
	for name := range exceptions {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// ErrUnknownException is returned by NewError for a type the API model does not define.
var ErrUnknownException = errors.New("unknown exception type")

// NewError returns the modeled exception typ with message; an empty message takes the one
// real Bedrock sends for that type where one is known, else "<Type>" stated plainly.
func NewError(typ, message string) (*Error, error) {
	x, ok := exceptions[typ]
	if !ok {
		return nil, fmt.Errorf("%w %q (want one of %v)", ErrUnknownException, typ, ExceptionTypes())
	}
	if message == "" {
		message = x.defaultMessage
	}
	if message == "" {
		// unverified: no real default message was found for this type (docs/wire-facts.md §4).
		message = "The request failed with " + typ + "."
	}
	return &Error{Type: typ, Status: x.status, Message: message}, nil
}

// validationError is a ValidationException with a formatted message.
func validationError(format string, args ...any) *Error {
	return &Error{Type: "ValidationException", Status: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}

// streamExceptionName is the lowerCamel member name of an exception in ConverseStreamOutput
// (":exception-type" header), e.g. "throttlingException" (docs/wire-facts.md §3.2).
func streamExceptionName(typ string) string {
	if typ == "" {
		return ""
	}
	return string(typ[0]|0x20) + typ[1:]
}
