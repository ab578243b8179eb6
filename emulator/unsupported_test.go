package emulator_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// The operations the emulator does not emulate answer a modeled ValidationException that
// says so, through the SDK as on the wire, never a 404 or Coral's UnknownOperationException.
func TestUnsupportedOperations(t *testing.T) {
	t.Parallel()
	srv, c := start(t)
	ctx := context.Background()
	const tail = ". It emulates Converse, ConverseStream, InvokeModel, InvokeModelWithResponseStream, CountTokens and ApplyGuardrail."
	for _, tc := range []struct {
		op   string
		call func() error
	}{
		{"StartAsyncInvoke", func() error {
			_, err := c.StartAsyncInvoke(ctx, &bedrockruntime.StartAsyncInvokeInput{ModelId: aws.String("amazon.nova-reel-v1:0"),
				ModelInput:       document.NewLazyDocument(map[string]any{"taskType": "TEXT_VIDEO"}),
				OutputDataConfig: &types.AsyncInvokeOutputDataConfigMemberS3OutputDataConfig{Value: types.AsyncInvokeS3OutputDataConfig{S3Uri: aws.String("s3://bucket/out")}}})
			return err
		}},
		{"GetAsyncInvoke", func() error {
			_, err := c.GetAsyncInvoke(ctx, &bedrockruntime.GetAsyncInvokeInput{InvocationArn: aws.String("arn:aws:bedrock:us-east-1:123456789012:async-invoke/abc")})
			return err
		}},
		{"ListAsyncInvokes", func() error {
			_, err := c.ListAsyncInvokes(ctx, &bedrockruntime.ListAsyncInvokesInput{})
			return err
		}},
	} {
		t.Run(tc.op, func(t *testing.T) {
			code, msg := testkit.APIError(t, tc.call())
			if want := "bedrock-emulator does not support " + tc.op + tail; code != "ValidationException" || msg != want {
				t.Errorf("error = %s %q, want ValidationException %q", code, msg, want)
			}
		})
	}

	// The bidirectional stream needs HTTP/2 from the SDK; its first answer is checked raw.
	resp := post(t, srv.URL+"/model/amazon.nova-sonic-v1%3A0/invoke-with-bidirectional-stream", "", nil)
	var e struct{ Message string }
	json.NewDecoder(resp.Body).Decode(&e)
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("X-Amzn-Errortype") != "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/" ||
		e.Message != "bedrock-emulator does not support InvokeModelWithBidirectionalStream"+tail {
		t.Errorf("%d %v %q", resp.StatusCode, resp.Header, e.Message)
	}
	if last := journaled(t, srv, 4); last.Operation != "InvokeModelWithBidirectionalStream" || last.Status != http.StatusBadRequest {
		t.Errorf("journal entry = %+v", last)
	}
}
