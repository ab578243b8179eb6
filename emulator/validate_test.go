package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// validationCase is one row of testdata/validation.json: a request Bedrock rejects, the
// exact message it answers, and where that message was seen.
type validationCase struct {
	Name    string          `json:"name"`
	Model   string          `json:"model"`
	Stream  bool            `json:"stream"`
	Tools   bool            `json:"tools"`
	Request json.RawMessage `json:"request"`
	Message string          `json:"message"`
	Source  string          `json:"source"`
}

func loadValidationCases(t *testing.T) []validationCase {
	t.Helper()
	b, err := os.ReadFile("testdata/validation.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []validationCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	return cases
}

// body is the case's request, with a one-tool toolConfig added when Tools is set.
func (c validationCase) body() []byte {
	if !c.Tools {
		return c.Request
	}
	var m map[string]json.RawMessage
	json.Unmarshal(c.Request, &m)
	m["toolConfig"] = json.RawMessage(`{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}}]}`)
	b, _ := json.Marshal(m)
	return b
}

// withBody makes the SDK send body as the request's JSON, in place of what it serialized
// from the input: the request is still built, signed and sent by the SDK, and the answer
// decoded by it, so rows can be written as the JSON Bedrock receives.
func withBody(body []byte) func(*bedrockruntime.Options) {
	return bedrockruntime.WithAPIOptions(func(stack *middleware.Stack) error {
		return stack.Serialize.Add(middleware.SerializeMiddlewareFunc("rawBody",
			func(ctx context.Context, in middleware.SerializeInput, next middleware.SerializeHandler) (middleware.SerializeOutput, middleware.Metadata, error) {
				if req, ok := in.Request.(*smithyhttp.Request); ok {
					var err error
					if in.Request, err = req.SetStream(bytes.NewReader(body)); err != nil {
						return middleware.SerializeOutput{}, middleware.Metadata{}, err
					}
				}
				return next.HandleSerialize(ctx, in)
			}), middleware.After)
	})
}

// Each validation rule reaches the Go SDK as *types.ValidationException with Bedrock's
// exact message; each row names the source of its message.
func TestValidationRules(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	for _, tc := range loadValidationCases(t) {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			var err error
			if tc.Stream {
				_, err = c.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: aws.String(tc.Model)}, withBody(tc.body()))
			} else {
				_, err = c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(tc.Model)}, withBody(tc.body()))
			}
			var ve *types.ValidationException
			if !errors.As(err, &ve) {
				t.Fatalf("error = %v, want a ValidationException (source: %s)", err, tc.Source)
			}
			if got := aws.ToString(ve.Message); got != tc.Message {
				t.Errorf("message:\n got %q\nwant %q\n(source: %s)", got, tc.Message, tc.Source)
			}
		})
	}
}

// Requests real Bedrock accepted must be accepted too (docs/wire-facts.md §2.1, §2.5 item 10).
func TestAcceptedRequests(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	for _, tc := range []struct{ name, model, body, source string }{
		{"assistant first, Claude Sonnet 4.5", "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
			`{"messages":[{"role":"assistant","content":[{"text":"Hello"}]},{"role":"user","content":[{"text":"Hi"}]}]}`,
			"pydantic-ai test_bedrock_anthropic_message_history_starting_with_response.yaml"},
		{"empty system and inferenceConfig", "us.amazon.nova-micro-v1:0",
			`{"messages":[{"role":"user","content":[{"text":"Hi"}]}],"system":[],"inferenceConfig":{}}`,
			"pydantic-ai test_bedrock_empty_system_prompt.yaml, test_bedrock_model.yaml"},
		{"tool result with text and document, Nova Pro", "amazon.nova-pro-v1:0",
			`{"messages":[{"role":"user","content":[{"text":"a"}]},{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"f","input":{}}}]},{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"text":"ok"}]}},{"text":"see the file"},{"document":{"format":"txt","name":"notes","source":{"bytes":"aGVsbG8="}}}]}],"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}}]}}`,
			"pydantic-ai test_bedrock_nova_tool_result_followed_by_document_accepted.yaml"},
		{"text beside tool use, Claude 3 Sonnet", "anthropic.claude-3-sonnet-20240229-v1:0",
			`{"messages":[{"role":"user","content":[{"text":"a"}]},{"role":"assistant","content":[{"text":"Let me look."},{"toolUse":{"toolUseId":"t1","name":"f","input":{}}}]},{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"text":"ok"}]}}]}],"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}}]}}`,
			"dd-trace-py bedrock_converse.yaml: Claude answers text and toolUse in one turn, which agents send back"},
		{"prefill without tools, Claude 3 Haiku", "anthropic.claude-3-haiku-20240307-v1:0",
			`{"messages":[{"role":"user","content":[{"text":"a"}]},{"role":"assistant","content":[{"text":"{"}]}]}`,
			"docs/wire-facts.md §4: the prefill error names tools"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if _, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(tc.model)}, withBody([]byte(tc.body))); err != nil {
				t.Errorf("rejected: %v (accepted by Bedrock: %s)", err, tc.source)
			}
		})
	}
}
