package guardrail_test

import (
	"fmt"

	"github.com/bedrock-emulator/bedrock-emulator/internal/guardrail"
)

func Example() {
	text := "Write to jane@example.com about the merger."
	var spans []guardrail.Span
	for _, m := range guardrail.Pattern("EMAIL")(text, -1) {
		spans = append(spans, guardrail.Span{Start: m[0], End: m[1], Tag: "{EMAIL}"})
	}
	fmt.Println(guardrail.Mask(text, spans))
	fmt.Println(guardrail.Phrases([]string{"merger"})(text, -1))
	// Output:
	// Write to {EMAIL} about the merger.
	// [[36 42]]
}
