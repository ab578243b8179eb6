package conformance_test

import (
	"testing"

	"github.com/bedrock-emulator/bedrock-emulator/conformance"
)

func TestInProcess(t *testing.T) {
	t.Parallel()
	target := conformance.InProcess()
	t.Cleanup(func() { target.Close() })
	conformance.Test(t, target, conformance.Cases())
}
