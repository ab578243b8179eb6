package recorder_test

import (
	"context"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
	"github.com/bedrock-emulator/bedrock-emulator/recorder"
)

// Serve records until its context ends, then saves what it recorded and returns.
func TestProxyServe(t *testing.T) {
	t.Parallel()
	upstream := startStandIn(t)
	path := filepath.Join(t.TempDir(), "served.yaml")
	proxy, err := recorder.NewProxy(path, recorder.WithUpstream(upstream.URL),
		recorder.WithCredentials(credentials.NewStaticCredentialsProvider(proxyKeyID, proxySecret, "")))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- proxy.Serve(ctx, ln, time.Hour) }()

	if _, err := testkit.Client("http://"+ln.Addr().String()).Converse(context.Background(), &bedrockruntime.ConverseInput{
		ModelId:  aws.String("amazon.nova-micro-v1:0"),
		Messages: []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "hi"}}}},
	}); err != nil {
		t.Fatal(err)
	}
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
	if c, err := cassette.Load(path); err != nil || len(c.Interactions) != 1 {
		t.Errorf("saved cassette: %v, %v; want one interaction", c, err)
	}
}
