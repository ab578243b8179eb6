package spec

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// decode decodes a JSON object the way the server does.
func decode(t testing.TB, s string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("decoding %s: %v", s, err)
	}
	return m
}

// converse wraps members into a minimal valid Converse body.
func converse(members string) string {
	if members == "" {
		return `{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`
	}
	return `{"messages":[{"role":"user","content":[{"text":"hi"}]}],` + members + `}`
}

// TestValidateRealMessages reproduces, byte for byte, messages that real
// Bedrock returned for constraint failures.
func TestValidateRealMessages(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 201)
	tests := []struct {
		name   string
		op     string
		body   string
		want   string
		source string
	}{
		{
			name:   "maxTokens 0",
			body:   converse(`"inferenceConfig":{"maxTokens":0}`),
			want:   "1 validation error detected: Value '0' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1",
			source: "https://github.com/microsoft/semantic-kernel/issues/9750 (docs/wire-facts.md §4)",
		},
		{
			name:   "temperature 1.5",
			body:   converse(`"inferenceConfig":{"temperature":1.5}`),
			want:   "1 validation error detected: Value '1.5' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1",
			source: "https://github.com/stdapi-ai/stdapi.ai/issues/224 (docs/wire-facts.md §4; the prefix as in the maxTokens row)",
		},
		{
			name:   "temperature 32424 rendered as a float",
			body:   converse(`"inferenceConfig":{"temperature":32424}`),
			want:   "1 validation error detected: Value '32424.0' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1",
			source: "https://github.com/vertesia/llumiverse/blob/2949de7a53d261a482c8d92edb18147f5b5b12b3/drivers/src/bedrock/error-handling.test.ts (docs/wire-facts.md §4, temperature row)",
		},
		{
			name: "tool name in history does not match the pattern",
			body: `{"messages":[{"role":"user","content":[{"text":"hi"}]},` +
				`{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"get weather","input":{}}}]},` +
				`{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"text":"sunny"}]}}]}],` +
				`"toolConfig":{"tools":[{"toolSpec":{"name":"get_weather","inputSchema":{"json":{"type":"object"}}}}]}}`,
			want:   "1 validation error detected: Value at 'messages.2.member.content.1.member.toolUse.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+",
			source: "vercel/ai packages/amazon-bedrock/src/__fixtures__/bedrock-invalid-tool-name-validation-error.json (copy: internal/cassette/testdata/real-traffic/vercel-ai)",
		},
		{
			name: "document name too long",
			body: `{"messages":[{"role":"user","content":[{"text":"summarise"},` +
				`{"document":{"format":"pdf","name":"` + long + `","source":{"bytes":"JVBERi0="}}}]}]}`,
			want:   "1 validation error detected: Value at 'messages.1.member.content.2.member.document.name' failed to satisfy constraint: Member must have length less than or equal to 200",
			source: "vercel/ai packages/amazon-bedrock/src/__fixtures__/amazon-bedrock-invalid-document-filenames.json @ 10a37cb5add3edb596005e576c702f901bd6727c (docs/wire-facts.md §4)",
		},
		{
			name: "document name empty",
			body: `{"messages":[{"role":"user","content":[{"text":"summarise"},` +
				`{"document":{"format":"pdf","name":"","source":{"bytes":"JVBERi0="}}}]}]}`,
			want:   "1 validation error detected: Value at 'messages.1.member.content.2.member.document.name' failed to satisfy constraint: Member must have length greater than or equal to 1",
			source: "same fixture (docs/wire-facts.md §4: \"and … greater than or equal to 1\")",
		},
		{
			// The request body is the one the issue shows LiteLLM sending.
			name: "empty tool name and description",
			body: `{"messages": [{"role": "user", "content": [{"text": "Where is James?"}]}], "additionalModelRequestFields": {}, "system": [], "inferenceConfig": {}, "toolConfig": {"tools": [{"toolSpec": {"inputSchema": {"json": {"type": "object", "properties": {}, "required": []}}, "name": "", "description": ""}}]}}`,
			want: "3 validation errors detected: " +
				"Value '' at 'toolConfig.tools.1.member.toolSpec.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+; " +
				"Value '' at 'toolConfig.tools.1.member.toolSpec.name' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
				"Value '' at 'toolConfig.tools.1.member.toolSpec.description' failed to satisfy constraint: Member must have length greater than or equal to 1",
			source: "https://github.com/BerriAI/litellm/issues/24668",
		},
		{
			name:   "empty tool list",
			body:   converse(`"toolConfig":{"tools":[]}`),
			want:   "1 validation error detected: Value at 'toolConfig.tools' failed to satisfy constraint: Member must have length greater than or equal to 1",
			source: "https://github.com/genkit-ai/aws-bedrock-js-plugin/issues/43, https://github.com/Portkey-AI/gateway/issues/1124",
		},
		{
			name:   "system role in messages",
			body:   `{"messages":[{"role":"system","content":[{"text":"be brief"}]},{"role":"user","content":[{"text":"hi"}]}]}`,
			want:   "1 validation error detected: Value 'system' at 'messages.1.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]",
			source: "a public Bedrock error catalogue (markdown) without a citable source, Converse operation (docs/wire-facts.md §7.8)",
		},
		{
			name:   "null reasoning text",
			body:   `{"messages":[{"role":"user","content":[{"text":"hi"}]},{"role":"assistant","content":[{"reasoningContent":{"reasoningText":{"text":null}}},{"text":"a"}]},{"role":"user","content":[{"text":"again"}]}]}`,
			want:   "1 validation error detected: Value at 'messages.2.member.content.1.member.reasoningContent.reasoningText.text' failed to satisfy constraint: Member must not be null",
			source: "https://github.com/danny-avila/LibreChat/pull/13888 (quoted there with X and Y for the indices)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			op := tt.op
			if op == "" {
				op = "Converse"
			}
			got := Message(Validate(op, decode(t, tt.body)))
			if got != tt.want {
				t.Errorf("Message(Validate(%s, …)) mismatch (source: %s)\n got: %s\nwant: %s", op, tt.source, got, tt.want)
			}
		})
	}
}

// TestValidateSiblingOrder documents a known difference: the service listed
// toolUse.name's failures before toolUse.toolUseId's
// (https://github.com/tontinton/maki/issues/38: "6 validation errors
// detected: Value at 'messages.2.member.content.1.member.toolUse.name' …
// pattern …; … name … length …; … toolUse.toolUseId … pattern …; …
// toolUseId … length …; Value at
// 'messages.3.member.content.1.member.toolResult.toolUseId' … pattern …; …
// length …"), while Validate follows the published model, which declares
// toolUseId first. The same violations are found.
func TestValidateSiblingOrder(t *testing.T) {
	t.Parallel()
	body := `{"messages":[{"role":"user","content":[{"text":"hi"}]},` +
		`{"role":"assistant","content":[{"toolUse":{"toolUseId":"","name":"","input":{}}}]},` +
		`{"role":"user","content":[{"toolResult":{"toolUseId":"","content":[{"text":"x"}]}}]}],` +
		`"toolConfig":{"tools":[{"toolSpec":{"name":"t","inputSchema":{"json":{}}}}]}}`
	const (
		use    = "messages.2.member.content.1.member.toolUse."
		result = "messages.3.member.content.1.member.toolResult."
		pat    = "Member must satisfy regular expression pattern: "
		min1   = "Member must have length greater than or equal to 1"
	)
	real := []string{ // the order in the real message
		"Value at '" + use + "name' failed to satisfy constraint: " + pat + "[a-zA-Z0-9_-]+",
		"Value at '" + use + "name' failed to satisfy constraint: " + min1,
		"Value at '" + use + "toolUseId' failed to satisfy constraint: " + pat + "[a-zA-Z0-9_.:-]+",
		"Value at '" + use + "toolUseId' failed to satisfy constraint: " + min1,
		"Value at '" + result + "toolUseId' failed to satisfy constraint: " + pat + "[a-zA-Z0-9_.:-]+",
		"Value at '" + result + "toolUseId' failed to satisfy constraint: " + min1,
	}
	vs := Validate("Converse", decode(t, body))
	var got []string
	for _, v := range vs {
		got = append(got, v.String())
	}
	if !strings.HasPrefix(Message(vs), "6 validation errors detected: ") {
		t.Errorf("Message = %q, want 6 errors", Message(vs))
	}
	slices.Sort(got)
	want := slices.Clone(real)
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("violations mismatch (-want +got):\n%s", diff)
	}
}

func TestValidateConstraints(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		op   string
		body string
		want []Violation
	}{
		{
			name: "valid body",
			body: converse(`"inferenceConfig":{"maxTokens":512,"temperature":0.5,"topP":1,"stopSequences":["\n\nHuman:"]}`),
		},
		{
			name: "required member missing shows null",
			body: converse(`"toolConfig":{}`),
			want: []Violation{{KindRequired, "toolConfig.tools", "null", "Member must not be null"}},
		},
		{
			name: "required member null counts as missing",
			body: converse(`"toolConfig":{"tools":[{"toolSpec":{"name":"a","inputSchema":{"json":{}}}}],"toolChoice":{"tool":{"name":null}}}`),
			want: []Violation{{KindRequired, "toolConfig.toolChoice.tool.name", "null", "Member must not be null"}},
		},
		{
			name: "required members inside content blocks hide null",
			body: `{"messages":[{"role":"user","content":[{"image":{"source":{"bytes":"AAAA"}}},{"text":"x"}]}]}`,
			want: []Violation{{KindRequired, "messages.1.member.content.1.member.image.format", "", "Member must not be null"}},
		},
		{
			name: "required member of message",
			body: `{"messages":[{"content":[{"text":"x"}]}]}`,
			want: []Violation{{KindRequired, "messages.1.member.role", "null", "Member must not be null"}},
		},
		{
			name: "enum",
			body: converse(`"guardrailConfig":{"guardrailIdentifier":"abc","guardrailVersion":"1","trace":"on"}`),
			want: []Violation{{KindEnum, "guardrailConfig.trace", "'on'", "Member must satisfy enum value set: [enabled, disabled, enabled_full]"}},
		},
		{
			name: "pattern must match the whole value",
			body: converse(`"toolConfig":{"tools":[{"toolSpec":{"name":"ok-name!","inputSchema":{"json":{}}}}]}`),
			want: []Violation{{KindPattern, "toolConfig.tools.1.member.toolSpec.name", "'ok-name!'", "Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+"}},
		},
		{
			name: "string too long",
			body: converse(`"toolConfig":{"tools":[{"toolSpec":{"name":"` + strings.Repeat("n", 65) + `","inputSchema":{"json":{}}}}]}`),
			want: []Violation{{KindLength, "toolConfig.tools.1.member.toolSpec.name", "'" + strings.Repeat("n", 65) + "'", "Member must have length less than or equal to 64"}},
		},
		{
			name: "length counts characters, not bytes",
			body: converse(`"additionalModelResponseFieldPaths":["` + strings.Repeat("é", 256) + `"]`),
		},
		{
			name: "list too long shows its items",
			body: converse(`"additionalModelResponseFieldPaths":["/a","/b","/c","/d","/e","/f","/g","/h","/i","/j","/k"]`),
			want: []Violation{{KindLength, "additionalModelResponseFieldPaths", "'[/a, /b, /c, /d, /e, /f, /g, /h, /i, /j, /k]'", "Member must have length less than or equal to 10"}},
		},
		{
			name: "list item paths count from 1 after dropping nulls",
			body: converse(`"additionalModelResponseFieldPaths":[null,"/a",""]`),
			want: []Violation{{KindLength, "additionalModelResponseFieldPaths.2.member", "''", "Member must have length greater than or equal to 1"}},
		},
		{
			name: "empty map is left out as sensitive",
			body: converse(`"requestMetadata":{}`),
			want: []Violation{{KindLength, "requestMetadata", "", "Member must have length greater than or equal to 1"}},
		},
		{
			name: "map key",
			body: converse(`"requestMetadata":{"team!":"a"}`),
			want: []Violation{{KindMapKey, "requestMetadata", "", `Map key must satisfy constraint: [Member must have length less than or equal to 256, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [a-zA-Z0-9\s:_@$#=/+,-.]{1,256}]`}},
		},
		{
			name: "map value",
			body: converse(`"requestMetadata":{"team":"` + strings.Repeat("v", 257) + `","other":"also` + strings.Repeat("v", 257) + `"}`),
			want: []Violation{{KindMapValue, "requestMetadata", "", `Map value must satisfy constraint: [Member must have length less than or equal to 256, Member must have length greater than or equal to 0, Member must satisfy regular expression pattern: [a-zA-Z0-9\s:_@$#=/+,-.]{0,256}]`}},
		},
		{
			name: "integer range",
			body: converse(`"inferenceConfig":{"maxTokens":-3}`),
			want: []Violation{{KindRange, "inferenceConfig.maxTokens", "'-3'", "Member must have value greater than or equal to 1"}},
		},
		{
			name: "float range below",
			body: converse(`"inferenceConfig":{"topP":-0.5}`),
			want: []Violation{{KindRange, "inferenceConfig.topP", "'-0.5'", "Member must have value greater than or equal to 0"}},
		},
		{
			name: "float range compares the float value",
			body: converse(`"inferenceConfig":{"temperature":1.0000001}`),
			want: []Violation{{KindRange, "inferenceConfig.temperature", "'1.0000001'", "Member must have value less than or equal to 1"}},
		},
		{
			name: "float within range after rounding to float",
			body: converse(`"inferenceConfig":{"temperature":1.00000001}`),
		},
		{
			name: "decimal for an integer is truncated",
			body: converse(`"inferenceConfig":{"maxTokens":0.9}`),
			want: []Violation{{KindRange, "inferenceConfig.maxTokens", "'0'", "Member must have value greater than or equal to 1"}},
		},
		{
			name: "exponent for an integer",
			body: converse(`"inferenceConfig":{"maxTokens":1e3}`),
		},
		{
			name: "union with no member",
			body: `{"messages":[{"role":"user","content":[{}]}]}`,
			want: []Violation{{KindUnion, "messages.1.member.content.1.member", "", "Member must have exactly one member set"}},
		},
		{
			name: "union with two members",
			body: converse(`"toolConfig":{"tools":[{"toolSpec":{"name":"a","inputSchema":{"json":{}}}}],"toolChoice":{"auto":{},"any":{}}}`),
			want: []Violation{{KindUnion, "toolConfig.toolChoice", "", "Member must have exactly one member set"}},
		},
		{
			name: "union member null does not count",
			body: converse(`"toolConfig":{"tools":[{"toolSpec":{"name":"a","inputSchema":{"json":{}}}}],"toolChoice":{"auto":{},"any":null}}`),
		},
		{
			name: "blob length is the decoded length",
			body: `{"messages":[{"role":"user","content":[{"image":{"format":"png","source":{"bytes":""}}},{"text":"x"}]}]}`,
			want: []Violation{{KindLength, "messages.1.member.content.1.member.image.source.bytes", "", "Member must have length greater than or equal to 1"}},
		},
		{
			name: "unknown members are ignored",
			body: converse(`"modelId":"not checked here","foo":{"bar":1},"inferenceConfig":{"maxTokenz":"x"}`),
		},
		{
			name: "documents take any value",
			body: converse(`"additionalModelRequestFields":[1,"two",{"three":null}]`),
		},
		{
			name: "several violations in body order",
			body: converse(`"inferenceConfig":{"maxTokens":0,"temperature":2,"topP":7}`),
			want: []Violation{
				{KindRange, "inferenceConfig.maxTokens", "'0'", "Member must have value greater than or equal to 1"},
				{KindRange, "inferenceConfig.temperature", "'2.0'", "Member must have value less than or equal to 1"},
				{KindRange, "inferenceConfig.topP", "'7.0'", "Member must have value less than or equal to 1"},
			},
		},
		{
			name: "ConverseStream shares the checks",
			op:   "ConverseStream",
			body: converse(`"inferenceConfig":{"maxTokens":0}`),
			want: []Violation{{KindRange, "inferenceConfig.maxTokens", "'0'", "Member must have value greater than or equal to 1"}},
		},
		{
			name: "CountTokens",
			op:   "CountTokens",
			body: `{"input":{"converse":{"messages":[{"role":"robot","content":[{"text":"x"}]}]}}}`,
			want: []Violation{{KindEnum, "input.converse.messages.1.member.role", "'robot'", "Member must satisfy enum value set: [user, assistant]"}},
		},
		{
			name: "CountTokens required input",
			op:   "CountTokens",
			body: `{}`,
			want: []Violation{{KindRequired, "input", "null", "Member must not be null"}},
		},
		{
			name: "ApplyGuardrail skips URI members",
			op:   "ApplyGuardrail",
			body: `{"source":"INPUTS","content":[{"text":{"text":"hello"}}]}`,
			want: []Violation{{KindEnum, "source", "'INPUTS'", "Member must satisfy enum value set: [INPUT, OUTPUT]"}},
		},
		{
			name: "StartAsyncInvoke",
			op:   "StartAsyncInvoke",
			body: `{"clientRequestToken":"tok en","modelId":"m","modelInput":{},"outputDataConfig":{"s3OutputDataConfig":{"s3Uri":"s3://b"}}}`,
			want: []Violation{
				{KindPattern, "clientRequestToken", "'tok en'", "Member must satisfy regular expression pattern: [!-~]*"},
				{KindPattern, "outputDataConfig.s3OutputDataConfig.s3Uri", "'s3://b'", `Member must satisfy regular expression pattern: s3://[a-z0-9][\.\-a-z0-9]{1,61}[a-z0-9](/.*)?`},
			},
		},
		{
			name: "InvokeModel has a blob body",
			op:   "InvokeModel",
			body: `{"anything":1}`,
		},
		{
			name: "unknown operation",
			op:   "NoSuchOperation",
			body: `{}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			op := tt.op
			if op == "" {
				op = "Converse"
			}
			got := Validate(op, decode(t, tt.body))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Validate(%s, %s) mismatch (-want +got):\n%s", op, tt.body, diff)
			}
		})
	}
}

// TestValidateSerialization covers bodies the service cannot deserialize.
// The messages are those of other Coral services (none was captured from
// Bedrock): SES v2, restJson1 like Bedrock, probed 2026-10-06
// (floci-io/floci SesTrackingOverridesV2IntegrationTest.java: "NUMBER_VALUE
// can not be converted to a String", "Expected null", "Start of list found
// where not expected"; SES v2 contact tests: "NUMBER_VALUE can not be
// converted to a Boolean"), and Athena, measured 2026-09-23 (floci-io
// athena-local docs: "STRING_VALUE can not be converted to an Integer",
// "TRUE_VALUE can not be converted to …", "Start of structure or map found
// where not expected.", "Expected list or null", and no message for bodies
// that are not a JSON object or integers beyond 64 bits).
func TestValidateSerialization(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want string
	}{
		{"number for a string", `{"messages":[{"role":"user","content":[{"text":1}]}]}`, "NUMBER_VALUE can not be converted to a String"},
		{"true for a string", `{"messages":[{"role":true,"content":[{"text":"x"}]}]}`, "TRUE_VALUE can not be converted to a String"},
		{"false for a string", converse(`"guardrailConfig":{"guardrailIdentifier":false}`), "FALSE_VALUE can not be converted to a String"},
		{"string for an integer", converse(`"inferenceConfig":{"maxTokens":"5"}`), "STRING_VALUE can not be converted to an Integer"},
		{"true for an integer", converse(`"inferenceConfig":{"maxTokens":true}`), "TRUE_VALUE can not be converted to an Integer"},
		{"string for a float", converse(`"inferenceConfig":{"temperature":"0.5"}`), "STRING_VALUE can not be converted to a Float"},
		{"number for a boolean", converse(`"toolConfig":{"tools":[{"toolSpec":{"name":"a","inputSchema":{"json":{}},"strict":1}}]}`), "NUMBER_VALUE can not be converted to a Boolean"},
		{"string for a structure", converse(`"inferenceConfig":"x"`), "Expected null"},
		{"number for a structure", converse(`"inferenceConfig":3`), "Expected null"},
		{"array for a structure", converse(`"inferenceConfig":[]`), "Start of list found where not expected"},
		{"string for a list", `{"messages":"hi"}`, "Expected list or null"},
		{"object for a list", `{"messages":{}}`, "Start of structure or map found where not expected."},
		{"object for a string", `{"messages":[{"role":{},"content":[]}]}`, "Start of structure or map found where not expected."},
		{"array for a number", converse(`"inferenceConfig":{"topP":[1]}`), "Start of list found where not expected"},
		{"integer beyond 64 bits", converse(`"inferenceConfig":{"maxTokens":99999999999999999999}`), ""},
		{"number for a blob", `{"messages":[{"role":"user","content":[{"image":{"format":"png","source":{"bytes":5}}}]}]}`, "NUMBER_VALUE can not be converted to a ByteBuffer"},
		{"bad base64", `{"messages":[{"role":"user","content":[{"image":{"format":"png","source":{"bytes":"%%%%"}}}]}]}`, ""},
		{"wins over constraint violations", converse(`"inferenceConfig":{"maxTokens":0,"temperature":"hot"}`), "STRING_VALUE can not be converted to a Float"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Validate("Converse", decode(t, tt.body))
			want := []Violation{{Kind: KindSerialization, Constraint: tt.want}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Validate mismatch (-want +got):\n%s", diff)
			}
			if msg := Message(got); msg != tt.want {
				t.Errorf("Message = %q, want %q", msg, tt.want)
			}
			if ex := got[0].Kind.Exception(); ex != "SerializationException" {
				t.Errorf("Exception() = %q, want SerializationException", ex)
			}
		})
	}
}

func TestValidateValueTopLevel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body any
		want []Violation
	}{
		{"array", []any{}, []Violation{{Kind: KindSerialization, Constraint: "Start of list found where not expected"}}},
		{"string", "x", []Violation{{Kind: KindSerialization}}},
		{"null", nil, []Violation{{Kind: KindSerialization}}},
		{"nil map is an empty object", map[string]any(nil), nil},
		{"object", map[string]any{"inferenceConfig": map[string]any{"maxTokens": json.Number("0")}},
			[]Violation{{KindRange, "inferenceConfig.maxTokens", "'0'", "Member must have value greater than or equal to 1"}}},
		{"float64 numbers also work", map[string]any{"inferenceConfig": map[string]any{"temperature": 2.0}},
			[]Violation{{KindRange, "inferenceConfig.temperature", "'2.0'", "Member must have value less than or equal to 1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, ValidateValue("Converse", tt.body)); diff != "" {
				t.Errorf("ValidateValue mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMessage(t *testing.T) {
	t.Parallel()
	a := Violation{KindRange, "a.b", "'0'", "Member must have value greater than or equal to 1"}
	b := Violation{KindPattern, "c", "", "Member must satisfy regular expression pattern: x"}
	n := Violation{KindRequired, "d", "null", "Member must not be null"}
	tests := []struct {
		name string
		vs   []Violation
		want string
	}{
		{"none", nil, ""},
		{"one", []Violation{a}, "1 validation error detected: Value '0' at 'a.b' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"several joined by semicolons", []Violation{a, b, n},
			"3 validation errors detected: Value '0' at 'a.b' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
				"Value at 'c' failed to satisfy constraint: Member must satisfy regular expression pattern: x; " +
				"Value null at 'd' failed to satisfy constraint: Member must not be null"},
		{"serialization alone", []Violation{a, {Kind: KindSerialization, Constraint: "Expected null"}}, "Expected null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Message(tt.vs); got != tt.want {
				t.Errorf("Message() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestKind(t *testing.T) {
	t.Parallel()
	for k := KindRequired; k <= KindSerialization; k++ {
		want := "ValidationException"
		if k == KindSerialization {
			want = "SerializationException"
		}
		if got := k.Exception(); got != want {
			t.Errorf("%v.Exception() = %q, want %q", k, got, want)
		}
		if strings.HasPrefix(k.String(), "Kind(") {
			t.Errorf("Kind %d has no name", k)
		}
	}
	if got := Kind(0).String(); got != "Kind(0)" {
		t.Errorf("Kind(0).String() = %q", got)
	}
}

func TestJavaFloat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		f    float64
		bits int
		want string
	}{
		{1.5, 32, "1.5"},
		{7, 32, "7.0"},
		{32424, 32, "32424.0"},
		{float64(float32(1.1)), 32, "1.1"},
		{float64(float32(0.7)), 32, "0.7"},
		{0.001, 32, "0.001"},
		{0.0001, 32, "1.0E-4"},
		{1e7, 32, "1.0E7"},
		{12345678, 32, "1.2345678E7"},
		{9999999, 32, "9999999.0"},
		{-2.5e-5, 32, "-2.5E-5"},
		{float64(float32(3.4e38)), 32, "3.4E38"},
		{0, 32, "0.0"},
		{math.Copysign(0, -1), 32, "-0.0"},
		{math.Inf(1), 32, "Infinity"},
		{0.1, 64, "0.1"},
		{1e21, 64, "1.0E21"},
		{123456789, 64, "1.23456789E8"},
	}
	for _, tt := range tests {
		if got := javaFloat(tt.f, tt.bits); got != tt.want {
			t.Errorf("javaFloat(%v, %d) = %q, want %q", tt.f, tt.bits, got, tt.want)
		}
	}
}

func TestBase64Len(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s    string
		n    int
		okay bool
	}{
		{"", 0, true},
		{"QQ==", 1, true},
		{"QQ", 1, true},
		{"QUI=", 2, true},
		{"QUJD", 3, true},
		{"Q", 0, false},
		{"QQ===", 0, false},
		{"Q=Q=", 0, false},
		{"QQ=", 0, false},
		{"a b=", 0, false},
	}
	for _, tt := range tests {
		n, ok := base64Len(tt.s)
		if ok != tt.okay || (ok && n != tt.n) {
			t.Errorf("base64Len(%q) = %d, %v; want %d, %v", tt.s, n, ok, tt.n, tt.okay)
		}
	}
}

// TestPatternsCompile checks every pattern of the model compiles as Go
// regular expressions the way Validate uses them.
func TestPatternsCompile(t *testing.T) {
	t.Parallel()
	c := compiled()
	if len(c.inputs) == 0 {
		t.Fatal("no operation inputs compiled")
	}
	for name, s := range Model().Shapes {
		if s.Pattern == "" {
			continue
		}
		if _, err := Parse([]byte(`{"shapes":{"S":{"type":"string","pattern":` + mustJSON(t, s.Pattern) + `}}}`)); err != nil {
			t.Errorf("shape %s: %v", name, err)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func BenchmarkValidate(b *testing.B) {
	body := decode(b, `{"messages":[{"role":"user","content":[{"text":"What is the weather?"}]},`+
		`{"role":"assistant","content":[{"text":"Let me check."},{"toolUse":{"toolUseId":"tooluse_1","name":"get_weather","input":{"city":"Paris"}}}]},`+
		`{"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_1","content":[{"json":{"temp":21}}]}}]}],`+
		`"system":[{"text":"Be brief."}],"inferenceConfig":{"maxTokens":512,"temperature":0.5},`+
		`"toolConfig":{"tools":[{"toolSpec":{"name":"get_weather","description":"Weather","inputSchema":{"json":{"type":"object"}}}}]}}`)
	compiled()
	b.ReportAllocs()
	for b.Loop() {
		if vs := Validate("Converse", body); vs != nil {
			b.Fatal(vs)
		}
	}
}
