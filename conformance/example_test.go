package conformance_test

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-emulator/bedrock-emulator/conformance"
)

// A case of one's own, run against an emulator in this process. The same case runs
// against any target, real Bedrock included.
func Example() {
	target := conformance.InProcess()
	defer target.Close()

	greeting := conformance.Case{
		Name: "mine/greeting",
		Doc:  "A system prompt and one turn, streamed.",
		Steps: []conformance.Step{{
			Stream: true,
			Request: conformance.Request{
				Model: conformance.ModelText,
				Input: bedrockruntime.ConverseInput{
					System:   []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: "Be brief."}},
					Messages: []types.Message{conformance.UserText("Say hello.")},
				},
			},
			Expect: conformance.Expect{StopReasons: []types.StopReason{types.StopReasonEndTurn}},
		}},
	}
	results := conformance.Run(context.Background(), target, []conformance.Case{greeting})
	conformance.WriteTable(os.Stdout, results)
	// Output:
	// CASE           OUTCOME  WHY
	// mine/greeting  pass
	// 1 passed, 0 failed, 0 pending, 0 skipped
}

// The built-in cases about tool use, selected by name.
func ExampleSelect() {
	cases, _ := conformance.Select(conformance.Cases(), "^tools/forced")
	for _, c := range cases {
		fmt.Println(c.Name)
	}
	// Output:
	// tools/forced-any
	// tools/forced-tool
}
