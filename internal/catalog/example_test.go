package catalog_test

import (
	"fmt"
	"strings"

	"github.com/bedrock-emulator/bedrock-emulator/internal/catalog"
)

func ExampleCatalog_Resolve() {
	c := catalog.Default()

	r, err := c.Resolve("us.anthropic.claude-3-5-sonnet-20241022-v2:0")
	fmt.Println(r.Kind, r.Profile, r.Model.Name, err)

	_, err = c.Resolve("anthropic.claude-3-7-sonnet-20250219-v1:0")
	msg, _ := catalog.BedrockMessage(err)
	fmt.Println(msg)

	_, err = c.Resolve("eu.amazon.nova-premier-v1:0")
	msg, _ = catalog.BedrockMessage(err)
	fmt.Println(msg)
	// Output:
	// inference-profile us Claude 3.5 Sonnet v2 <nil>
	// Invocation of model ID anthropic.claude-3-7-sonnet-20250219-v1:0 with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.
	// The provided model identifier is invalid.
}

func ExampleCatalog_Merge() {
	user := `{
	  "aliases": {
	    "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/1arbu5hu2sjr": "us.anthropic.claude-3-haiku-20240307-v1:0"
	  },
	  "models": [{"id": "anthropic.claude-3-haiku-20240307-v1:0", "maxOutputTokens": 1000}]
	}`
	c, err := catalog.Default().Merge(strings.NewReader(user))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, _ := c.Resolve("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/1arbu5hu2sjr")
	fmt.Println(r.Kind, r.Model.Name, r.Model.MaxOutputTokens, r.Aliased)
	// Output:
	// application-inference-profile Claude 3 Haiku 1000 true
}
