package catalog

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors. Test for them with errors.Is.
var (
	// ErrInvalidModel is returned by Resolve for an identifier that names no model Bedrock
	// would accept: unknown IDs, malformed ARNs, and profile prefixes the model does not
	// have. Bedrock answers ValidationException with InvalidModelMessage.
	ErrInvalidModel = errors.New("invalid model identifier")
	// ErrNeedsProfile is returned by Resolve for a foundation model that cannot be invoked
	// on demand, only through an inference profile. The error is a *NeedsProfileError;
	// Bedrock answers ValidationException with NeedsProfileMessage.
	ErrNeedsProfile = errors.New("model needs an inference profile")
	// ErrInvalidFile is returned by Load, Merge and MergeFile for a catalogue file that
	// cannot be used; the message names the bad entry.
	ErrInvalidFile = errors.New("invalid catalogue file")
)

// InvalidModelMessage is Bedrock's message for ErrInvalidModel (docs/wire-facts.md §4, recorded).
const InvalidModelMessage = "The provided model identifier is invalid."

// NeedsProfileMessage is Bedrock's message for ErrNeedsProfile, naming modelID as the
// request gave it (docs/wire-facts.md §4; the real message has U+2019 in "isn’t").
func NeedsProfileMessage(modelID string) string {
	return "Invocation of model ID " + modelID + " with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model."
}

// BedrockMessage returns the message Bedrock sends, as a ValidationException, for an error
// from Resolve, and false for any other error.
func BedrockMessage(err error) (string, bool) {
	var np *NeedsProfileError
	switch {
	case errors.As(err, &np):
		return NeedsProfileMessage(np.ModelID), true
	case errors.Is(err, ErrInvalidModel):
		return InvalidModelMessage, true
	}
	return "", false
}

// InvalidModelError is the error Resolve returns for an identifier it cannot resolve. It
// matches ErrInvalidModel.
type InvalidModelError struct {
	// ModelID is the identifier as given to Resolve.
	ModelID string
	// Reason says, for people, what is wrong with it.
	Reason string
}

func (e *InvalidModelError) Error() string {
	return "catalog: invalid model identifier " + quote(e.ModelID) + ": " + e.Reason
}

// Unwrap returns ErrInvalidModel.
func (e *InvalidModelError) Unwrap() error { return ErrInvalidModel }

// NeedsProfileError is the error Resolve returns for a foundation model that is not
// available on demand. It matches ErrNeedsProfile.
type NeedsProfileError struct {
	// ModelID is the identifier as given to Resolve (a bare ID or a foundation-model ARN);
	// Bedrock's message quotes it.
	ModelID string
	// Model is the catalogue entry; its Profiles say which inference profiles contain it.
	Model *Model
}

func (e *NeedsProfileError) Error() string {
	msg := "catalog: " + quote(e.ModelID) + " cannot be invoked on demand; use an inference profile"
	if e.Model != nil && len(e.Model.Profiles) > 0 {
		msg += " (" + strings.Join(e.Model.Profiles, ", ") + ")"
	}
	return msg
}

// Unwrap returns ErrNeedsProfile.
func (e *NeedsProfileError) Unwrap() error { return ErrNeedsProfile }

// quote quotes s for an error message, shortening what no one wants to read whole.
func quote(s string) string {
	const max = 200
	if len(s) > max {
		return strconv.Quote(s[:max]) + "…"
	}
	return strconv.Quote(s)
}

func invalid(id, reason string) error {
	return &InvalidModelError{ModelID: id, Reason: reason}
}
