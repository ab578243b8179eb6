package client_test

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-emulator/bedrock-emulator/client"
	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

// Endpoint adds the emulator to a client built one's own way; the SDK still signs with
// SigV4 and decodes the event stream.
func ExampleEndpoint() {
	srv := emulator.NewServer()
	defer srv.Close()
	brt := bedrockruntime.New(bedrockruntime.Options{}, client.Endpoint(srv.URL))

	out, err := brt.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{
		ModelId: aws.String("us.amazon.nova-lite-v1:0"),
		Messages: []types.Message{{Role: types.ConversationRoleUser,
			Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Hi"}}}},
	})
	if err != nil {
		panic(err)
	}
	for ev := range out.GetStream().Events() {
		if d, ok := ev.(*types.ConverseStreamOutputMemberContentBlockDelta); ok {
			fmt.Printf("%q ", d.Value.Delta.(*types.ContentBlockDeltaMemberText).Value)
		}
	}
	fmt.Println()
	// Output:
	// "This" " is" " bedrock-emulator" " answering" " as" " Nova" " Lite." " You" " said:" " Hi"
}

// WithTestID names the test of every request of a client, so that tests sharing one
// emulator keep their journals (and script call counts) apart.
func ExampleWithTestID() {
	srv := emulator.NewServer()
	defer srv.Close()
	for _, id := range []string{"TestCheckout", "TestRefund", "TestRefund"} {
		brt := client.New(srv.URL, client.WithTestID(id))
		if _, err := brt.Converse(context.Background(), &bedrockruntime.ConverseInput{
			ModelId: aws.String("amazon.nova-micro-v1:0"),
			Messages: []types.Message{{Role: types.ConversationRoleUser,
				Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Hi"}}}},
		}); err != nil {
			panic(err)
		}
	}
	fmt.Println(len(emulator.OfTest(srv.Requests(), "TestRefund")), len(emulator.OfTest(srv.Requests(), "")))
	// Output:
	// 2 0
}
