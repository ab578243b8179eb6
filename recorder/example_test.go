package recorder_test

import (
	"context"
	"fmt"
	"log"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-emulator/bedrock-emulator/recorder"
)

// A test's client replays testdata/hello.yaml: no AWS credentials, region or network needed.
// In a test, recorder.Bedrock(t, path) does the same in one call, and records instead when
// $BEDROCK_EMULATOR_RECORDER_MODE says so.
func ExampleNew() {
	rec, err := recorder.New("testdata/hello.yaml", recorder.WithMode(recorder.ModeReplayOnly))
	if err != nil {
		log.Fatal(err)
	}
	defer rec.Stop()
	brt := bedrockruntime.New(bedrockruntime.Options{}, rec.Bedrock())

	hello := []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Hello"}}}}
	out, err := brt.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String("us.amazon.nova-micro-v1:0"), Messages: hello})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.Output.(*types.ConverseOutputMemberMessage).Value.Content[0].(*types.ContentBlockMemberText).Value)

	stream, err := brt.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: aws.String("us.amazon.nova-micro-v1:0"), Messages: hello})
	if err != nil {
		log.Fatal(err)
	}
	defer stream.GetStream().Close()
	for ev := range stream.GetStream().Events() {
		if d, ok := ev.(*types.ConverseStreamOutputMemberContentBlockDelta); ok {
			fmt.Print(d.Value.Delta.(*types.ContentBlockDeltaMemberText).Value, "|")
		}
	}
	fmt.Println()
	// Output:
	// Hello! How can I help you today?
	// Hello!| How| can| I| help| you| today?|
}
