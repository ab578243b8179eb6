package redact_test

import (
	"fmt"
	"net/http"

	"github.com/bedrock-emulator/bedrock-emulator/internal/redact"
)

func Example() {
	h := http.Header{"Authorization": {"Bearer bedrock-api-key-123"}, "Content-Type": {"application/json"}}
	fmt.Println(redact.Text(`{"echo":"bedrock-api-key-123"}`, h))
	redact.Header(h)
	fmt.Println(h.Get("Authorization"), h.Get("Content-Type"))
	// Output:
	// {"echo":"REDACTED"}
	// Bearer REDACTED application/json
}
