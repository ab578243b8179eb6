package conformance

import (
	"context"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// modelCases are the forms a model ID takes (foundation model, inference profile, ARNs),
// the answers to IDs that name no model, and authentication.
func modelCases() []Case {
	hello := messages(UserText("Say hello."))
	invalidModel := "The provided model identifier is invalid."
	return []Case{
		{
			Name:  "model-id/foundation-model",
			Doc:   "A bare foundation-model ID of a model with on-demand throughput.",
			Tags:  []string{tagModelID},
			Steps: both("amazon.nova-micro-v1:0", hello, Expect{StopReasons: textStops}),
		},
		{
			Name:  "model-id/inference-profile",
			Doc:   "A cross-Region inference profile ID (us.…), URL-encoded in the path (docs/wire-facts.md §2.1).",
			Tags:  []string{tagModelID},
			Steps: both("us.amazon.nova-micro-v1:0", hello, Expect{StopReasons: textStops}),
		},
		{
			Name:  "model-id/foundation-model-arn",
			Doc:   "A foundation-model ARN, its : and / URL-encoded in the path.",
			Tags:  []string{tagModelID},
			Steps: both("arn:aws:bedrock:{region}::foundation-model/amazon.nova-micro-v1:0", hello, Expect{StopReasons: textStops}),
		},
		{
			Name:  "model-id/inference-profile-arn",
			Doc:   "An inference-profile ARN (traceloop/openllmetry test_anthropic_cross_region.yaml); it needs the account's ID.",
			Tags:  []string{tagModelID},
			Steps: both("arn:aws:bedrock:{region}:{account}:inference-profile/us.amazon.nova-micro-v1:0", hello, Expect{StopReasons: textStops}),
		},
		{
			Name:  "model-id/unknown-geography",
			Doc:   "An inference-profile prefix that is no geography names no model.",
			Tags:  []string{tagModelID, tagCatalog},
			Steps: rejects("xx.amazon.nova-micro-v1:0", hello, invalidModel),
		},
		{
			Name: "model-id/needs-inference-profile",
			Doc: "A model without on-demand throughput, called by its bare ID, asks for an inference profile " +
				"(docs/wire-facts.md §4: strands-agents/harness-sdk#38, aws-samples/bedrock-multi-agents-collaboration-workshop#21; U+2019 in \"isn’t\").",
			Tags: []string{tagModelID, tagCatalog},
			Steps: rejects("anthropic.claude-3-7-sonnet-20250219-v1:0", hello,
				"Invocation of model ID anthropic.claude-3-7-sonnet-20250219-v1:0 with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model."),
		},
		{
			Name: "model-id/arn-literal-slash",
			Doc: "An ARN whose / is sent unencoded matches no operation: HTTP 200 with Coral's UnknownOperationException " +
				"envelope (docs/wire-facts.md §2.1, vercel/ai PR 17524).",
			Tags: []string{tagModelID},
			Steps: []Step{{
				// Its own prompt: a cassette matcher that decodes the model ID could not tell
				// this request from the encoded one of model-id/foundation-model-arn.
				Request: Request{Model: "arn:aws:bedrock:{region}::foundation-model/amazon.nova-micro-v1:0", Input: messages(UserText("Say hello, unencoded.")), Options: []func(*bedrockruntime.Options){literalSlash}},
				Expect:  Expect{Raw: &WantRaw{Status: http.StatusOK, Body: `{"Output":{"__type":"com.amazon.coral.service#UnknownOperationException"},"Version":"1.0"}`}},
			}},
		},
		{
			Name: "auth/unsigned",
			Doc: "A request with no Authorization header: 403 AccessDeniedException from Bedrock's authorizer, in the " +
				"coral.service namespace, its body key capitalised (https://github.com/karthink/gptel/issues/1397, wire capture).",
			Steps: []Step{{
				Request: Request{Model: ModelText, Input: hello, Options: []func(*bedrockruntime.Options){Unsigned}},
				Expect: Expect{Error: &WantError{
					Type: "AccessDeniedException", Message: "Authorization header is missing",
					Namespace: "com.amazon.coral.service", BodyKey: "Message",
				}},
			}},
		},
	}
}

// Unsigned is a Request option that sends the request without SigV4 authentication: it
// removes what signing added, after signing.
func Unsigned(o *bedrockruntime.Options) {
	o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
		return st.Finalize.Add(middleware.FinalizeMiddlewareFunc("conformance.unsigned",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				if req, ok := in.Request.(*smithyhttp.Request); ok {
					for _, h := range []string{"Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256"} {
						req.Header.Del(h)
					}
				}
				return next.HandleFinalize(ctx, in)
			}), middleware.After)
	})
}

// literalSlash sends the model ID's "/" unencoded in the path, as some clients wrongly do.
func literalSlash(o *bedrockruntime.Options) {
	o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
		return st.Build.Add(middleware.BuildMiddlewareFunc("conformance.literalSlash",
			func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (middleware.BuildOutput, middleware.Metadata, error) {
				if req, ok := in.Request.(*smithyhttp.Request); ok {
					raw := req.URL.EscapedPath()
					req.URL.RawPath = strings.ReplaceAll(strings.ReplaceAll(raw, "%2F", "/"), "%2f", "/")
				}
				return next.HandleBuild(ctx, in)
			}), middleware.After)
	})
}

// messagesWith is an input of these messages and a tool configuration.
func messagesWith(tc *types.ToolConfiguration, ms ...types.Message) bedrockruntime.ConverseInput {
	return bedrockruntime.ConverseInput{Messages: ms, ToolConfig: tc}
}
