package jsonschema_test

import (
	"encoding/json"
	"fmt"

	"github.com/bedrock-emulator/bedrock-emulator/internal/jsonschema"
)

func ExampleSynthesize() {
	schema := json.RawMessage(`{"type":"object","required":["city","unit"],"properties":{
		"city":{"type":"string"},"unit":{"enum":["celsius","fahrenheit"]},"days":{"type":"integer","minimum":1}}}`)
	fmt.Println(string(jsonschema.Synthesize(schema)))
	// Output: {"city":"example","unit":"celsius"}
}
