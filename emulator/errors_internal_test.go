package emulator

import (
	"slices"
	"testing"
)

// Every default message belongs to an exception type of the API model.
func TestDefaultMessagesAreModeled(t *testing.T) {
	t.Parallel()
	for typ := range defaultMessages {
		if !slices.Contains(ExceptionTypes(), typ) {
			t.Errorf("defaultMessages has %s, which the API model does not define", typ)
		}
	}
}
