package spec_test

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/bedrock-emulator/bedrock-emulator/internal/spec"
)

func ExampleValidate() {
	dec := json.NewDecoder(strings.NewReader(`{
		"messages": [{"role": "user", "content": [{"text": "Hello"}]}],
		"inferenceConfig": {"maxTokens": 0, "temperature": 1.5}
	}`))
	dec.UseNumber()
	var body map[string]any
	if err := dec.Decode(&body); err != nil {
		panic(err)
	}
	vs := spec.Validate("Converse", body)
	if len(vs) > 0 {
		fmt.Println(vs[0].Kind.Exception())
		fmt.Println(spec.Message(vs))
	}
	// Output:
	// ValidationException
	// 2 validation errors detected: Value '0' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1; Value '1.5' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1
}

func ExampleModel() {
	m := spec.Model()
	op, _ := m.Operation("ConverseStream")
	fmt.Println(op.Method, op.RequestURI)
	for _, name := range op.Errors[:3] {
		s, _ := m.Shape(name)
		fmt.Println(name, s.Error)
	}
	// Output:
	// POST /model/{modelId}/converse-stream
	// AccessDeniedException 403
	// ThrottlingException 429
	// ResourceNotFoundException 404
}
