package conformance

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
)

// Cases returns the built-in catalogue: every seed flow, streaming, tool use, guardrails,
// stop sequences and maxTokens, the model ID forms, authentication, every validation rule
// the emulator implements, InvokeModel (each native format), CountTokens and
// ApplyGuardrail, plus the requests of real recordings (internal/cassette/testdata/real-traffic) so a
// cassette made from them can be checked. Each call returns a fresh slice the caller may
// change.
func Cases() []Case {
	var all []Case
	for _, group := range [][]Case{flowCases(), toolCases(), modelCases(), validationCases(), runtimeCases(), controlCases(), recordedCases()} {
		all = append(all, group...)
	}
	return all
}

// Pending reasons shared by several cases.
const (
	pendingFields = "a check of additionalModelRequestFields against the model, which the emulator does not make yet"
)

// Tags.
const (
	tagSeed       = "seed"
	tagStream     = "stream"
	tagTools      = "tools"
	tagValidation = "validation"
	tagSpec       = "spec"
	tagCatalog    = "catalog"
	tagModelID    = "model-id"
	tagRecorded   = "recorded"
	tagUnverified = "unverified"
)

// Builders for the cases below.

func text(s string) types.ContentBlock { return &types.ContentBlockMemberText{Value: s} }

func user(blocks ...types.ContentBlock) types.Message {
	return types.Message{Role: types.ConversationRoleUser, Content: blocks}
}

// assistant is an assistant message; with no blocks its content is an empty list, which the
// SDK sends (a nil one it refuses to send).
func assistant(blocks ...types.ContentBlock) types.Message {
	if blocks == nil {
		blocks = []types.ContentBlock{}
	}
	return types.Message{Role: types.ConversationRoleAssistant, Content: blocks}
}

func img(format types.ImageFormat, b []byte) types.ContentBlock {
	return &types.ContentBlockMemberImage{Value: types.ImageBlock{Format: format, Source: &types.ImageSourceMemberBytes{Value: b}}}
}

func doc(name string, format types.DocumentFormat, b []byte) types.ContentBlock {
	return &types.ContentBlockMemberDocument{Value: types.DocumentBlock{
		Name: aws.String(name), Format: format, Source: &types.DocumentSourceMemberBytes{Value: b},
	}}
}

func toolUse(id, name string, input any) types.ContentBlock {
	return &types.ContentBlockMemberToolUse{Value: types.ToolUseBlock{
		ToolUseId: aws.String(id), Name: aws.String(name), Input: document.NewLazyDocument(input),
	}}
}

func toolResult(id string, result any) types.ContentBlock {
	return &types.ContentBlockMemberToolResult{Value: types.ToolResultBlock{
		ToolUseId: aws.String(id),
		Content:   []types.ToolResultContentBlock{&types.ToolResultContentBlockMemberJson{Value: document.NewLazyDocument(result)}},
	}}
}

func system(s string) []types.SystemContentBlock {
	return []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: s}}
}

func messages(ms ...types.Message) bedrockruntime.ConverseInput {
	return bedrockruntime.ConverseInput{Messages: ms}
}

// converse is a one-step Converse case body.
func converse(model string, in bedrockruntime.ConverseInput, x Expect) []Step {
	return []Step{{Request: Request{Model: model, Input: in}, Expect: x}}
}

// stream is a one-step ConverseStream case body.
func stream(model string, in bedrockruntime.ConverseInput, x Expect) []Step {
	return []Step{{Stream: true, Request: Request{Model: model, Input: in}, Expect: x}}
}

// both sends the request with Converse, then with ConverseStream, which on a
// deterministic target must give the same answer.
func both(model string, in bedrockruntime.ConverseInput, x Expect) []Step {
	sx := x
	sx.SameAs = 1
	return []Step{
		{Request: Request{Model: model, Input: in}, Expect: x},
		{Stream: true, Request: Request{Model: model, Input: in}, Expect: sx},
	}
}

// rejects is a case body whose Converse and ConverseStream calls must both fail with a
// ValidationException carrying message.
func rejects(model string, in bedrockruntime.ConverseInput, message string) []Step {
	x := Expect{Error: &WantError{Type: "ValidationException", Message: message}}
	return []Step{
		{Request: Request{Model: model, Input: in}, Expect: x},
		{Stream: true, Request: Request{Model: model, Input: in}, Expect: x},
	}
}

// Stop reasons a plain text answer may have: the model finished, or, on a target that caps
// maxTokens, ran out.
var textStops = []types.StopReason{types.StopReasonEndTurn, types.StopReasonMaxTokens}
