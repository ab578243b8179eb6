// Package client points the AWS SDK for Go v2's Bedrock Runtime client at an emulator,
// in-process or remote, with the region and dummy credentials it needs and nothing else
// changed: requests are signed with SigV4 as against Bedrock, and the SDK's own retryer,
// serializers and event-stream decoder do their usual work.
//
//	srv := emulator.NewServer()
//	defer srv.Close()
//	brt := client.New(srv.URL)
package client

import (
	"context"
	"os"

	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/bedrock-emulator/bedrock-emulator/internal/api"
	"github.com/bedrock-emulator/bedrock-emulator/internal/sdkclient"
)

// Region is the region the helpers set; the emulator accepts any.
const Region = sdkclient.Region

// EnvURL is the environment variable Remote reads the emulator's URL from.
const EnvURL = "BEDROCK_EMULATOR_URL"

// Endpoint returns an option that sends a Bedrock Runtime client's requests to the emulator
// at url (e.g. srv.URL), in Region, signed with static dummy credentials. Apply it last, or
// after options of one's own that set the region or credentials, to keep theirs. It wraps the
// client's HTTP client to avoid a race that only a server as fast as a local one triggers:
// smithy-go closes the request body as soon as the response headers arrive, and net/http may
// then close the connection under a response stream.
func Endpoint(url string) func(*bedrockruntime.Options) { return sdkclient.Endpoint(url) }

// New returns a Bedrock Runtime client for the emulator at url. Further options apply after
// Endpoint's. Give each goroutine that reads event streams a client of its own: streams read
// at once through one client race in the SDK's event-stream decoder (smithy-go keeps its
// decoding state per client).
func New(url string, optFns ...func(*bedrockruntime.Options)) *bedrockruntime.Client {
	return sdkclient.New(url, optFns...)
}

// Remote returns a client for the emulator whose URL is in $BEDROCK_EMULATOR_URL, and false
// when that variable is not set.
func Remote(optFns ...func(*bedrockruntime.Options)) (*bedrockruntime.Client, bool) {
	url := os.Getenv(EnvURL)
	if url == "" {
		return nil, false
	}
	return New(url, optFns...), true
}

// TestIDHeader is the header WithTestID sets (emulator.TestIDHeader).
const TestIDHeader = api.TestIDHeader

// WithTestID returns an option that names test id on every request of a client
// (bedrockruntime.New(…, client.WithTestID(t.Name())), or of one call
// (brt.Converse(ctx, in, client.WithTestID(id)))): the emulator then keeps that test's
// journal (GET /_emulator/requests?testId=ID), script call counts, faults and strict mode
// apart from other tests sharing it. The header is added before the request is signed, so
// it is signed with the rest and --auth strict verifies it as Bedrock would.
func WithTestID(id string) func(*bedrockruntime.Options) {
	return func(o *bedrockruntime.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			return s.Build.Add(middleware.BuildMiddlewareFunc("EmulatorTestID", func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (middleware.BuildOutput, middleware.Metadata, error) {
				if req, ok := in.Request.(*smithyhttp.Request); ok {
					req.Header.Set(TestIDHeader, id)
				}
				return next.HandleBuild(ctx, in)
			}), middleware.After)
		})
	}
}
