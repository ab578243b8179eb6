package conformance

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
)

// Event builders for the grammar tests.
func evStart() types.ConverseStreamOutput {
	return &types.ConverseStreamOutputMemberMessageStart{Value: types.MessageStartEvent{Role: types.ConversationRoleAssistant}}
}
func evText(i int32, s string) types.ConverseStreamOutput {
	return &types.ConverseStreamOutputMemberContentBlockDelta{Value: types.ContentBlockDeltaEvent{ContentBlockIndex: aws.Int32(i), Delta: &types.ContentBlockDeltaMemberText{Value: s}}}
}
func evToolStart(i int32) types.ConverseStreamOutput {
	return &types.ConverseStreamOutputMemberContentBlockStart{Value: types.ContentBlockStartEvent{ContentBlockIndex: aws.Int32(i),
		Start: &types.ContentBlockStartMemberToolUse{Value: types.ToolUseBlockStart{Name: aws.String("f"), ToolUseId: aws.String("tooluse_1")}}}}
}
func evToolDelta(i int32, s string) types.ConverseStreamOutput {
	return &types.ConverseStreamOutputMemberContentBlockDelta{Value: types.ContentBlockDeltaEvent{ContentBlockIndex: aws.Int32(i), Delta: &types.ContentBlockDeltaMemberToolUse{Value: types.ToolUseBlockDelta{Input: aws.String(s)}}}}
}
func evBlockStop(i int32) types.ConverseStreamOutput {
	return &types.ConverseStreamOutputMemberContentBlockStop{Value: types.ContentBlockStopEvent{ContentBlockIndex: aws.Int32(i)}}
}
func evStop() types.ConverseStreamOutput {
	return &types.ConverseStreamOutputMemberMessageStop{Value: types.MessageStopEvent{StopReason: types.StopReasonEndTurn}}
}
func evMeta() types.ConverseStreamOutput {
	return &types.ConverseStreamOutputMemberMetadata{Value: types.ConverseStreamMetadataEvent{}}
}

// The stream grammar of docs/wire-facts.md §3.4, against good and bad event orders.
func TestGrammar(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		events []types.ConverseStreamOutput
		want   string // a phrase of the first problem; "" for none
	}{
		{"text", []types.ConverseStreamOutput{evStart(), evText(0, "a"), evText(0, "b"), evBlockStop(0), evStop(), evMeta()}, ""},
		{"text then tool", []types.ConverseStreamOutput{evStart(), evText(0, "a"), evBlockStop(0), evToolStart(1), evToolDelta(1, ""), evToolDelta(1, "{}"), evBlockStop(1), evStop(), evMeta()}, ""},
		{"tool first", []types.ConverseStreamOutput{evStart(), evToolStart(0), evToolDelta(0, "{}"), evBlockStop(0), evStop(), evMeta()}, ""},
		{"empty block", []types.ConverseStreamOutput{evStart(), evBlockStop(0), evStop(), evMeta()}, ""},
		{"no messageStart", []types.ConverseStreamOutput{evText(0, "a"), evBlockStop(0), evStop(), evMeta()}, "want messageStart"},
		{"metadata first", []types.ConverseStreamOutput{evStart(), evText(0, "a"), evBlockStop(0), evMeta(), evStop()}, "metadata before messageStop"},
		{"no metadata", []types.ConverseStreamOutput{evStart(), evText(0, "a"), evBlockStop(0), evStop()}, "no metadata"},
		{"index skipped", []types.ConverseStreamOutput{evStart(), evText(1, "a"), evBlockStop(1), evStop(), evMeta()}, "block index 1, want 0"},
		{"interleaved", []types.ConverseStreamOutput{evStart(), evText(0, "a"), evText(1, "b"), evBlockStop(0), evBlockStop(1), evStop(), evMeta()}, "delta for block 1 while block 0 is open"},
		{"tool delta without start", []types.ConverseStreamOutput{evStart(), evToolDelta(0, "{}"), evBlockStop(0), evStop(), evMeta()}, "without a contentBlockStart"},
		{"text in tool block", []types.ConverseStreamOutput{evStart(), evToolStart(0), evText(0, "a"), evBlockStop(0), evStop(), evMeta()}, "text delta in a toolUse block"},
		{"open at stop", []types.ConverseStreamOutput{evStart(), evText(0, "a"), evStop(), evMeta()}, "still open"},
		{"event after metadata", []types.ConverseStreamOutput{evStart(), evStop(), evMeta(), evMeta()}, "after metadata"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newChecker(nil)
			c.grammar(tt.events)
			switch {
			case tt.want == "" && len(c.problems) > 0:
				t.Errorf("problems %q, want none", c.problems)
			case tt.want != "" && (len(c.problems) == 0 || !strings.Contains(c.problems[0], tt.want)):
				t.Errorf("problems %q, want the first to say %q", c.problems, tt.want)
			}
		})
	}
}

func TestJSONForm(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, want string
	}{
		{"bedrock's form", `{"metrics":{"latencyMs":1},"output":{"message":{"content":[{"toolUse":{"input":{"z":1,"a":2},"name":"f","toolUseId":"t"}}],"role":"assistant"}},"stopReason":"tool_use","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2}}`, ""},
		{"raw UTF-8 and HTML characters", `{"text":"Grüße <b>&</b> \u2028 \"q\" \\u00e9"}`, ""},
		{"unsorted", `{"output":{},"metrics":{}}`, `key "metrics" comes after "output" in the top-level object`},
		{"unsorted deep", `{"output":{"message":{"role":"assistant","content":[]}}}`, `in output.message`},
		{"not compact", `{"a": 1}`, "not compact"},
		{"escaped HTML", `{"text":"\u003cb\u003e"}`, "escapes U+003C"},
		{"escaped non-ASCII", `{"text":"Gr\u00fc\u00dfe"}`, "escapes U+00FC"},
		{"trace is a document", `{"trace":{"guardrail":{"z":{},"a":{}}}}`, ""},
		{"tool result json is a document", `{"delta":{"toolResult":[{"json":{"stdOut":"","stdErr":""}}]},"p":"ab"}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newChecker(nil)
			c.jsonForm("body", []byte(tt.body), documentPaths)
			switch {
			case tt.want == "" && len(c.problems) > 0:
				t.Errorf("problems %q, want none", c.problems)
			case tt.want != "" && (len(c.problems) == 0 || !strings.Contains(c.problems[0], tt.want)):
				t.Errorf("problems %q, want the first to say %q", c.problems, tt.want)
			}
		})
	}
}

func TestValidateSchema(t *testing.T) {
	t.Parallel()
	schema := `{"type":"object","properties":{"city":{"type":"string","minLength":1},
		"days":{"type":"integer","minimum":1,"maximum":7},"unit":{"enum":["c","f"]},
		"tags":{"type":"array","items":{"type":"string"},"maxItems":2}},
		"required":["city"],"additionalProperties":false}`
	tests := []struct {
		input, want string
	}{
		{`{"city":"Paris"}`, ""},
		{`{"city":"Paris","days":3,"unit":"c","tags":["a"]}`, ""},
		{`{"days":3}`, `required member "city" is missing`},
		{`{"city":7}`, "is not of type string"},
		{`{"city":"Paris","days":2.5}`, "is not of type integer"},
		{`{"city":"Paris","days":2.0}`, ""},
		{`{"city":"Paris","days":9}`, "above the maximum"},
		{`{"city":"Paris","unit":"k"}`, "is not one of"},
		{`{"city":"Paris","tags":["a",1]}`, "input.tags[1]"},
		{`{"city":"Paris","tags":["a","b","c"]}`, "at most 2"},
		{`{"city":"Paris","extra":1}`, `member "extra" is not allowed`},
		{`{"city":""}`, "shorter"},
	}
	s, _ := decodeJSON([]byte(schema))
	for _, tt := range tests {
		v, err := decodeJSON([]byte(tt.input))
		if err != nil {
			t.Fatal(err)
		}
		err = validate(s, v, "input")
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v, want valid", tt.input, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: error %v, want one saying %q", tt.input, err, tt.want)
		}
	}
}

// An error answer is held to Bedrock's form: header, status, body, type and message.
func TestModeledError(t *testing.T) {
	t.Parallel()
	want := &WantError{Type: "ValidationException", Message: "The provided model identifier is invalid."}
	good := func() *Answer {
		h := http.Header{}
		h.Set("Content-Type", "application/json")
		h.Set("X-Amzn-RequestId", "7fdbc480-6d28-4d1c-abbc-bd7f17c7dfec")
		h.Set("X-Amzn-ErrorType", "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/")
		return &Answer{Status: 400, Header: h, Body: []byte(`{"message":"The provided model identifier is invalid."}`),
			Err: &types.ValidationException{Message: aws.String(want.Message)}}
	}
	tests := []struct {
		name       string
		change     func(*Answer)
		unrecorded []string
		want       []string
	}{
		{"good", func(*Answer) {}, nil, nil},
		{"headers not recorded", func(a *Answer) {
			a.Header.Del("X-Amzn-ErrorType")
			a.Header.Set("X-Amzn-RequestId", "X-AMZN-REQUESTID-XXX")
			a.Err = &smithy.GenericAPIError{Code: "UnknownError", Message: want.Message}
		}, []string{"x-amzn-ErrorType", "x-amzn-RequestId"}, nil},
		{"headers not recorded, message wrong", func(a *Answer) {
			a.Header.Del("X-Amzn-ErrorType")
			a.Err = &smithy.GenericAPIError{Code: "UnknownError", Message: "Invalid."}
		}, []string{"x-amzn-ErrorType"}, []string{`message "Invalid."`}},
		{"no error type", func(a *Answer) { a.Header.Del("X-Amzn-ErrorType") }, nil, []string{"no x-amzn-ErrorType header"}},
		{"wrong namespace", func(a *Answer) {
			a.Header.Set("X-Amzn-ErrorType", "ValidationException:http://internal.amazon.com/coral/com.amazon.coral.service/")
		}, nil, []string{"x-amzn-ErrorType"}},
		{"status", func(a *Answer) { a.Status = 500 }, nil, []string{"HTTP status 500, want 400"}},
		{"__type in body", func(a *Answer) {
			a.Body = []byte(`{"__type":"ValidationException","message":"The provided model identifier is invalid."}`)
		}, nil, []string{"error body"}},
		{"request ID", func(a *Answer) { a.Header.Del("X-Amzn-RequestId") }, nil, []string{"x-amzn-RequestId"}},
		{"message", func(a *Answer) { a.Err = &types.ValidationException{Message: aws.String("Invalid model.")} }, nil, []string{`message "Invalid model."`}},
		{"success", func(a *Answer) { a.Err = nil; a.Status = 200 }, nil, []string{"got a successful answer"}},
		{"in the stream", func(a *Answer) { a.Status = 200 }, nil, []string{"in the event stream"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := good()
			tt.change(a)
			c := newChecker(&Target{Unrecorded: tt.unrecorded})
			c.modeledError(a, want)
			if len(c.problems) != len(tt.want) {
				t.Fatalf("problems %q, want %d saying %q", c.problems, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if !strings.Contains(c.problems[i], w) {
					t.Errorf("problem %q, want it to say %q", c.problems[i], w)
				}
			}
		})
	}
}

// Tool calls: IDs, names, schema, forced choice, stop reason.
func TestTools(t *testing.T) {
	t.Parallel()
	in := &bedrockruntime.ConverseInput{ToolConfig: tools(choiceTool("get_time"), weatherTool, timeTool)}
	use := func(id, name, input string) Block {
		return Block{Type: BlockToolUse, ToolUseID: id, Name: name, Input: json.RawMessage(input)}
	}
	tests := []struct {
		name   string
		blocks []Block
		stop   types.StopReason
		want   []string
	}{
		{"good", []Block{use("tooluse_a", "get_time", `{"city":"Tokyo"}`)}, types.StopReasonToolUse, nil},
		{"wrong tool", []Block{use("tooluse_a", "get_weather", `{"city":"Tokyo"}`)}, types.StopReasonToolUse, []string{`toolChoice names tool "get_time"`}},
		{"no call", []Block{{Type: BlockText, Text: "hi"}}, types.StopReasonToolUse, []string{"no toolUse block", "forces a tool call"}},
		{"unknown tool", []Block{use("tooluse_a", "get_time", `{"city":"Tokyo"}`), use("tooluse_b", "nope", `{}`)}, types.StopReasonToolUse, []string{`toolChoice names`, `not a tool of the request`}},
		{"bad id and duplicate", []Block{use("tool use", "get_time", `{"city":"a"}`), use("tool use", "get_time", `{"city":"b"}`)}, types.StopReasonToolUse, []string{"does not match", "does not match", "used twice"}},
		{"input not JSON", []Block{use("tooluse_a", "get_time", `{"city":`)}, types.StopReasonToolUse, []string{"is not JSON"}},
		{"input not an object", []Block{use("tooluse_a", "get_time", `["Tokyo"]`)}, types.StopReasonToolUse, []string{"not a JSON object"}},
		{"input against schema", []Block{use("tooluse_a", "get_time", `{"town":"Tokyo"}`)}, types.StopReasonToolUse, []string{`required member "city"`}},
		{"cut by maxTokens", nil, types.StopReasonMaxTokens, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newChecker(nil)
			c.tools(&Answer{Input: in, Blocks: tt.blocks, StopReason: tt.stop})
			var got []string
			for i, p := range c.problems {
				if i < len(tt.want) && strings.Contains(p, tt.want[i]) {
					got = append(got, tt.want[i])
				} else {
					got = append(got, p)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}
