// Package sdkclient points the AWS SDK for Go v2's Bedrock Runtime client at an emulator:
// the code behind the public package client, kept here so that internal packages (the tests'
// kit) use it without importing a public package.
package sdkclient

import (
	"io"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
)

// Region is the region the helpers set; the emulator accepts any.
const Region = "us-east-1"

// Endpoint returns an option that sends a Bedrock Runtime client's requests to the emulator
// at url (e.g. srv.URL), in Region, signed with static dummy credentials. Apply it last, or
// after options of one's own that set the region or credentials, to keep theirs. It wraps the
// client's HTTP client to avoid a race that only a server as fast as a local one triggers
// (see wholeBody).
func Endpoint(url string) func(*bedrockruntime.Options) {
	return func(o *bedrockruntime.Options) {
		o.BaseEndpoint = aws.String(url)
		if _, done := o.HTTPClient.(wholeBody); !done {
			if o.HTTPClient == nil {
				o.HTTPClient = awshttp.NewBuildableClient()
			}
			o.HTTPClient = wholeBody{o.HTTPClient}
		}
		if o.Region == "" {
			o.Region = Region
		}
		if o.Credentials == nil {
			o.Credentials = credentials.NewStaticCredentialsProvider("AKIDEMULATOR", "emulator-secret", "")
		}
	}
}

// wholeBody hides the WriteTo method of the SDK's request body. smithy-go closes the body as
// soon as the response headers arrive, and its closed body's WriteTo returns io.EOF as an
// error; net/http's last check for extra body bytes can come after that against a server as
// fast as a local one, and it then closes the connection under a response stream ("use of
// closed network connection"). Read on the closed body returns a clean io.EOF instead.
type wholeBody struct{ c bedrockruntime.HTTPClient }

func (w wholeBody) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body = struct{ io.ReadCloser }{req.Body}
	}
	return w.c.Do(req)
}

// New returns a Bedrock Runtime client for the emulator at url. Further options apply after
// Endpoint's.
func New(url string, optFns ...func(*bedrockruntime.Options)) *bedrockruntime.Client {
	return bedrockruntime.New(bedrockruntime.Options{}, append([]func(*bedrockruntime.Options){Endpoint(url)}, optFns...)...)
}
