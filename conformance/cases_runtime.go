package conformance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-emulator/bedrock-emulator/internal/api"
)

// runtimeCases are what Converse users touch besides Converse itself: guardrails that
// cannot be found, prompts from Prompt management, InvokeModel and
// InvokeModelWithResponseStream with each family's native body, CountTokens and
// ApplyGuardrail.
func runtimeCases() []Case {
	cases := []Case{
		{
			Name: "guardrail/unknown-version",
			Doc: "A version the guardrail does not have is refused as an unknown guardrail is, with one message for both " +
				"(a live test of version 999 and of a bad ID; docs/wire-facts.md §7.6, no citable source).",
			Steps: rejects(ModelText, guardrailAt(GuardrailPlaceholder, "99"), msgGuardrailNotFound),
		},
		{
			Name: "guardrail/invalid-identifier",
			Doc:  `An identifier that cannot name a guardrail, "1" (openclaw/openclaw#58588).`,
			Steps: rejects(ModelText, guardrailAt("1", "1"),
				"The provided guardrail identifier is invalid."),
		},
		{
			Name: "invoke/guardrail-unknown-version",
			Doc: "InvokeModel names its guardrail in headers; an unknown version gets the message Converse gets " +
				"(the same live test, made with InvokeModel).",
			Steps: []Step{{
				Request: Request{Model: ModelAnthropic, Input: bedrockruntime.ConverseInput{GuardrailConfig: &types.GuardrailConfiguration{
					GuardrailIdentifier: aws.String(GuardrailPlaceholder), GuardrailVersion: aws.String("99"),
				}}},
				Call:   invokeCall(anthropicBody("Is this version there?")),
				Expect: Expect{Error: &WantError{Type: "ValidationException", Message: msgGuardrailNotFound}},
			}},
		},
		{
			Name: "invoke/guardrail",
			Doc: "InvokeModel with a guardrail and its trace: the native body says what the guardrail did in " +
				"\"amazon-bedrock-guardrailAction\" (openllmetry test_guardrail_invoke.yaml).",
			Steps: []Step{{
				Request: Request{Model: ModelAnthropic, Input: bedrockruntime.ConverseInput{GuardrailConfig: &types.GuardrailConfiguration{
					GuardrailIdentifier: aws.String(GuardrailPlaceholder), Trace: types.GuardrailTraceEnabled,
				}}},
				Call: invokeCall(anthropicBody("What is the capital of Italy?")),
				Expect: Expect{Check: func(a *Answer) error {
					body, err := nativeBody(a)
					if err != nil {
						return err
					}
					if act := body["amazon-bedrock-guardrailAction"]; act != "NONE" && act != "INTERVENED" {
						return fmt.Errorf("amazon-bedrock-guardrailAction %v, want NONE or INTERVENED", act)
					}
					return nil
				}},
			}},
		},
		{
			Name: "invoke/malformed-llama",
			Doc: "A body the model's schema refuses: Bedrock lists what is missing and what is extraneous " +
				"(continuedev/continue#1260).",
			Steps: []Step{{
				Request: Request{Model: "meta.llama3-8b-instruct-v1:0"},
				Call:    invokeCall(func(int32) string { return `{"max_tokens":10}` }),
				Expect: Expect{Error: &WantError{Type: "ValidationException",
					Message: "Malformed input request: #: required key [prompt] not found#: extraneous key [max_tokens] is not permitted, please reformat your input and try again."}},
			}},
		},
		{
			Name: "invoke/malformed-anthropic",
			Doc:  "Claude's schema refuses a body without max_tokens (run-llama/llama_index#21420).",
			Steps: []Step{{
				Request: Request{Model: ModelAnthropic},
				Call:    invokeCall(func(int32) string { return `{"anthropic_version":"bedrock-2023-05-31","messages":[]}` }),
				Expect: Expect{Error: &WantError{Type: "ValidationException",
					Message: `Malformed input request: #: subject must not be valid against schema {"required":["messages"]}#: required key [max_tokens] not found, please reformat your input and try again.`}},
			}},
		},
		{
			Name: "count-tokens/converse",
			Doc: "CountTokens of a Converse request to a Claude model named by its foundation model ID, which it counts " +
				"though the model runs through inference profiles only (pydantic-ai test_bedrock_inference_profile_count_tokens.yaml).",
			Steps: []Step{{Request: Request{Model: countModel}, Call: countCall(false), Expect: Expect{Check: counted}}},
		},
		{
			Name:  "count-tokens/invoke-model",
			Doc:   "CountTokens of an InvokeModel body (Anthropic Messages) for the same model.",
			Steps: []Step{{Request: Request{Model: countModel}, Call: countCall(true), Expect: Expect{Check: counted}}},
		},
		{
			Name: "count-tokens/inference-profile",
			Doc: "CountTokens refuses an inference profile (maximhq/bifrost#2169; Boise-State-Development/agentcore-public-stack#430 " +
				"found profiles refused and their foundation models counted).",
			Steps: []Step{{Request: Request{Model: "us." + countModel}, Call: countCall(false),
				Expect: Expect{Error: &WantError{Type: "ValidationException", Message: "The provided model doesn't support counting tokens."}}}},
		},
		{
			Name:  "count-tokens/unknown-model",
			Doc:   "CountTokens of a model that does not exist (pydantic-ai test_bedrock_count_tokens_error.yaml).",
			Steps: []Step{{Request: Request{Model: "does-not-exist-model-v1:0"}, Call: countCall(false), Expect: Expect{Error: &WantError{Type: "ValidationException", Message: "The provided model identifier is invalid."}}}},
		},
		{
			Name: "apply-guardrail/input",
			Doc: "ApplyGuardrail to a user's text: NONE with no outputs, or GUARDRAIL_INTERVENED with what replaces the " +
				"text; usage always (Arize-ai/openinference test_apply_success_guardrails.yaml, test_apply_guardrails.yaml).",
			Steps: []Step{applyGuardrailStep(types.GuardrailContentSourceInput, "What is the capital of Italy?", nil)},
		},
		{
			Name:  "apply-guardrail/output",
			Doc:   "The same for a model's text (source OUTPUT).",
			Steps: []Step{applyGuardrailStep(types.GuardrailContentSourceOutput, "The capital of Italy is Rome.", nil)},
		},
		{
			Name: "apply-guardrail/unknown-version",
			Doc:  "ApplyGuardrail with a version the guardrail does not have: the message Converse and InvokeModel get.",
			Tags: []string{tagUnverified},
			Steps: []Step{applyGuardrailStep(types.GuardrailContentSourceInput, "Is this version there?",
				&WantError{Type: "ValidationException", Message: msgGuardrailNotFound})},
		},
	}
	topic := map[string]types.PromptVariableValues{"topic": &types.PromptVariableValuesMemberText{Value: "Italy"}}
	cases = append(cases,
		Case{
			Name: "prompt/converse",
			Doc: "A Prompt management prompt's ARN as the model, its variable given in promptVariables, no messages: " +
				"the prompt's message is the conversation (Bedrock user guide, \"Use a prompt from Prompt management\").",
			Tags:  []string{tagStream},
			Steps: both(ModelPrompt, bedrockruntime.ConverseInput{PromptVariables: topic}, Expect{StopReasons: textStops}),
		},
		Case{
			Name: "prompt/with-system",
			Doc: "A request that uses a prompt cannot add a system prompt (the same guide: the request \"can't include\" " +
				"system, inferenceConfig, toolConfig or additionalModelRequestFields; the message is unverified).",
			Tags: []string{tagUnverified},
			Steps: rejects(ModelPrompt, bedrockruntime.ConverseInput{PromptVariables: topic, System: system("Be brief.")},
				"A prompt from Prompt management doesn't support the system field in the request. Remove system and try again."),
		},
		Case{
			Name: "prompt/with-inference-config",
			Doc:  "Nor its own inference configuration (as prompt/with-system).",
			Tags: []string{tagUnverified},
			Steps: rejects(ModelPrompt, bedrockruntime.ConverseInput{PromptVariables: topic, InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(50)}},
				"A prompt from Prompt management doesn't support the inferenceConfig field in the request. Remove inferenceConfig and try again."),
		},
	)
	for _, f := range nativeFamilies() {
		cases = append(cases, Case{
			Name: "invoke/" + f.name,
			Doc: "InvokeModel with " + f.doc + "'s native body: the answer in its shape, the token counts in " +
				"X-Amzn-Bedrock-Input-Token-Count and -Output-Token-Count (equal to the body's own), " +
				"X-Amzn-Bedrock-Invocation-Latency (" + f.source + ").",
			Tags:  f.tags,
			Steps: []Step{{Request: Request{Model: f.model}, Call: invokeCall(f.body), Expect: Expect{Check: f.checkInvoke}}},
		}, Case{
			Name: "invoke-stream/" + f.name,
			Doc: "InvokeModelWithResponseStream with the same body: chunk events of the family's own JSON, the last " +
				"carrying amazon-bedrock-invocationMetrics (" + f.source + ").",
			Tags:  append([]string{tagStream}, f.tags...),
			Steps: []Step{{Request: Request{Model: f.model}, Call: invokeStreamCall(f.body), Expect: Expect{Check: f.checkStream}}},
		})
	}
	return cases
}

// msgGuardrailNotFound answers a guardrail ID or version that does not exist.
const msgGuardrailNotFound = "The guardrail identifier or version provided in the request does not exist."

// countModel counts tokens on real Bedrock (pydantic-ai's recording).
const countModel = "anthropic.claude-sonnet-4-20250514-v1:0"

// guardrailAt is a Converse request with the guardrail id at version.
func guardrailAt(id, version string) bedrockruntime.ConverseInput {
	return bedrockruntime.ConverseInput{
		Messages: []types.Message{UserText("What is the capital of Italy?")},
		GuardrailConfig: &types.GuardrailConfiguration{
			GuardrailIdentifier: aws.String(id), GuardrailVersion: aws.String(version),
		},
	}
}

// maxTokensOf is the request's maxTokens (the target's cap), or 200.
func maxTokensOf(in *bedrockruntime.ConverseInput) int32 {
	if ic := in.InferenceConfig; ic != nil && ic.MaxTokens != nil {
		return *ic.MaxTokens
	}
	return 200
}

// guardrailHeaders are InvokeModel's guardrail members from the request's guardrailConfig.
func guardrailHeaders(in *bedrockruntime.ConverseInput) (id, version *string, trace types.Trace) {
	if g := in.GuardrailConfig; g != nil {
		id, version = g.GuardrailIdentifier, g.GuardrailVersion
		if g.Trace == types.GuardrailTraceEnabled {
			trace = types.TraceEnabled
		}
	}
	return id, version, trace
}

// invokeCall is an InvokeModel call of the body that body makes for a maxTokens, with the
// request's guardrail in its headers.
func invokeCall(body func(maxTokens int32) string) *Call {
	return &Call{Operation: api.InvokeModel, Native: true, Do: func(ctx context.Context, c *bedrockruntime.Client, in *bedrockruntime.ConverseInput, opts ...func(*bedrockruntime.Options)) (any, error) {
		id, version, trace := guardrailHeaders(in)
		return c.InvokeModel(ctx, &bedrockruntime.InvokeModelInput{
			ModelId: in.ModelId, Body: []byte(body(maxTokensOf(in))), ContentType: aws.String("application/json"),
			Accept: aws.String("application/json"), GuardrailIdentifier: id, GuardrailVersion: version, Trace: trace,
		}, opts...)
	}}
}

// invokeStreamCall is the same with InvokeModelWithResponseStream; Do returns Chunks.
func invokeStreamCall(body func(maxTokens int32) string) *Call {
	return &Call{Operation: api.InvokeModelWithResponseStream, Native: true, Do: func(ctx context.Context, c *bedrockruntime.Client, in *bedrockruntime.ConverseInput, opts ...func(*bedrockruntime.Options)) (any, error) {
		id, version, trace := guardrailHeaders(in)
		out, err := c.InvokeModelWithResponseStream(ctx, &bedrockruntime.InvokeModelWithResponseStreamInput{
			ModelId: in.ModelId, Body: []byte(body(maxTokensOf(in))), ContentType: aws.String("application/json"),
			Accept: aws.String("application/json"), GuardrailIdentifier: id, GuardrailVersion: version, Trace: trace,
		}, opts...)
		if err != nil {
			return nil, err
		}
		return ReadChunks(out)
	}}
}

// countCall is a CountTokens call of one user message, Converse-shaped or as an Anthropic
// InvokeModel body.
func countCall(invoke bool) *Call {
	return &Call{Operation: api.CountTokens, Do: func(ctx context.Context, c *bedrockruntime.Client, in *bedrockruntime.ConverseInput, opts ...func(*bedrockruntime.Options)) (any, error) {
		const question = "What is the capital of Italy?"
		var input types.CountTokensInput = &types.CountTokensInputMemberConverse{Value: types.ConverseTokensRequest{
			Messages: []types.Message{UserText(question)},
		}}
		if invoke {
			input = &types.CountTokensInputMemberInvokeModel{Value: types.InvokeModelTokensRequest{Body: []byte(anthropicBody(question)(maxTokensOf(in)))}}
		}
		return c.CountTokens(ctx, &bedrockruntime.CountTokensInput{ModelId: in.ModelId, Input: input}, opts...)
	}}
}

// counted: CountTokens counted at least one token.
func counted(a *Answer) error {
	out, err := result[*bedrockruntime.CountTokensOutput](a)
	if err != nil {
		return err
	}
	if n := aws.ToInt32(out.InputTokens); n < 1 {
		return fmt.Errorf("inputTokens %d, want at least 1", n)
	}
	return nil
}

// applyGuardrailStep applies the target's guardrail to text as source; want is the error it
// must fail with (nil: it must succeed) under a version that does not exist.
func applyGuardrailStep(source types.GuardrailContentSource, text string, want *WantError) Step {
	g := &types.GuardrailConfiguration{GuardrailIdentifier: aws.String(GuardrailPlaceholder)}
	x := Expect{Check: appliedGuardrail}
	if want != nil {
		g.GuardrailVersion = aws.String("99")
		x = Expect{Error: want}
	}
	return Step{
		// ApplyGuardrail names no model; the model only has to resolve on every target.
		Request: Request{Model: ModelText, Input: bedrockruntime.ConverseInput{GuardrailConfig: g}},
		Call: &Call{Operation: api.ApplyGuardrail, Do: func(ctx context.Context, c *bedrockruntime.Client, in *bedrockruntime.ConverseInput, opts ...func(*bedrockruntime.Options)) (any, error) {
			return c.ApplyGuardrail(ctx, &bedrockruntime.ApplyGuardrailInput{
				GuardrailIdentifier: in.GuardrailConfig.GuardrailIdentifier,
				GuardrailVersion:    in.GuardrailConfig.GuardrailVersion,
				Source:              source,
				Content:             []types.GuardrailContentBlock{&types.GuardrailContentBlockMemberText{Value: types.GuardrailTextBlock{Text: aws.String(text)}}},
			}, opts...)
		}},
		Expect: x,
	}
}

// appliedGuardrail: ApplyGuardrail's action is one of the API model's; NONE comes with no
// outputs; usage is always there.
func appliedGuardrail(a *Answer) error {
	out, err := result[*bedrockruntime.ApplyGuardrailOutput](a)
	if err != nil {
		return err
	}
	switch {
	case !slices.Contains(types.GuardrailAction("").Values(), out.Action):
		return fmt.Errorf("action %q is not one of the API model's values", out.Action)
	case out.Action == types.GuardrailActionNone && len(out.Outputs) > 0:
		return fmt.Errorf("action NONE with %d outputs, want none", len(out.Outputs))
	case out.Usage == nil:
		return errors.New("no usage")
	}
	return nil
}

// nativeFamily is one provider's InvokeModel format as the cases check it.
type nativeFamily struct {
	name, model, doc, source string
	tags                     []string
	body                     func(maxTokens int32) string
	// members are the paths (dot-separated, numbers index lists) a body must have.
	members []string
	// inputTokens and outputTokens are the paths of the body's token counts, "" when it has
	// none; they must equal the token-count headers.
	inputTokens, outputTokens string
	// first is a path the first stream chunk must have, "" for none.
	first string
}

const italy = "What is the capital of Italy? Answer in one sentence."

func anthropicBody(text string) func(int32) string {
	return func(n int32) string {
		return `{"anthropic_version":"bedrock-2023-05-31","max_tokens":` + strconv.Itoa(int(n)) +
			`,"messages":[{"role":"user","content":[{"type":"text","text":` + quote(text) + `}]}]}`
	}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// nativeFamilies are the families whose InvokeModel formats the emulator speaks, each
// with a model real Bedrock serves on demand (or through the role's inference profile).
func nativeFamilies() []nativeFamily {
	n := func(v int32) string { return strconv.Itoa(int(v)) }
	return []nativeFamily{
		{
			name: "anthropic", model: ModelAnthropic, doc: "Anthropic Claude's Messages",
			source:  "opentelemetry-python-contrib and openllmetry recordings",
			body:    anthropicBody(italy),
			members: []string{"id", "type", "role", "model", "content", "stop_reason", "usage"},
			// input_tokens leaves out the cached tokens, as the header does.
			inputTokens: "usage.input_tokens", outputTokens: "usage.output_tokens",
			first: "message",
		},
		{
			name: "nova", model: ModelText, doc: "Amazon Nova's messages-v1",
			source: "openllmetry test_nova_completion.yaml, Arize-ai/openinference recordings",
			body: func(v int32) string {
				return `{"schemaVersion":"messages-v1","messages":[{"role":"user","content":[{"text":"` + italy + `"}]}],"inferenceConfig":{"max_new_tokens":` + n(v) + `}}`
			},
			members:     []string{"output.message.role", "output.message.content", "stopReason", "usage"},
			inputTokens: "usage.inputTokens", outputTokens: "usage.outputTokens",
			first: "messageStart",
		},
		{
			name: "titan", model: "amazon.titan-text-express-v1", doc: "Amazon Titan Text",
			source: "openllmetry test_titan_completion.yaml and test_titan_invoke_stream.yaml",
			body: func(v int32) string {
				return `{"inputText":"` + italy + `","textGenerationConfig":{"maxTokenCount":` + n(v) + `}}`
			},
			members:     []string{"inputTextTokenCount", "results.0.outputText", "results.0.tokenCount", "results.0.completionReason"},
			inputTokens: "inputTextTokenCount", outputTokens: "results.0.tokenCount",
			first: "outputText",
		},
		{
			name: "llama", model: "meta.llama3-8b-instruct-v1:0", doc: "Meta Llama",
			source: "opentelemetry-python-contrib and openllmetry recordings",
			body: func(v int32) string {
				return `{"prompt":"<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n` + italy +
					`<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n","max_gen_len":` + n(v) + `}`
			},
			members:     []string{"generation", "prompt_token_count", "generation_token_count", "stop_reason"},
			inputTokens: "prompt_token_count", outputTokens: "generation_token_count",
			first: "generation",
		},
		{
			name: "mistral", model: "mistral.mistral-7b-instruct-v0:2", doc: "Mistral's text completion",
			source:  "opentelemetry-python-contrib recordings; Mistral's chunks unverified",
			tags:    []string{tagUnverified},
			body:    func(v int32) string { return `{"prompt":"<s>[INST] ` + italy + ` [/INST]","max_tokens":` + n(v) + `}` },
			members: []string{"outputs.0.text", "outputs.0.stop_reason"},
			first:   "outputs.0.text",
		},
		{
			name: "cohere", model: "cohere.command-r-v1:0", doc: "Cohere Command R",
			source:  "opentelemetry-python-contrib recordings; Command R's chunks unverified",
			tags:    []string{tagUnverified},
			body:    func(v int32) string { return `{"message":"` + italy + `","max_tokens":` + n(v) + `}` },
			members: []string{"text", "generation_id", "finish_reason"},
			first:   "event_type",
		},
	}
}

// checkInvoke checks an InvokeModel answer of the family.
func (f nativeFamily) checkInvoke(a *Answer) error {
	body, err := nativeBody(a)
	if err != nil {
		return err
	}
	if err := hasMembers(body, f.members); err != nil {
		return err
	}
	for _, c := range []struct{ header, path string }{
		{"X-Amzn-Bedrock-Input-Token-Count", f.inputTokens},
		{"X-Amzn-Bedrock-Output-Token-Count", f.outputTokens},
		{"X-Amzn-Bedrock-Invocation-Latency", ""},
	} {
		h := a.Header.Get(c.header)
		v, err := strconv.Atoi(h)
		if err != nil || v < 0 {
			return fmt.Errorf("%s %q, want a count", c.header, h)
		}
		if c.path == "" {
			continue
		}
		if got, ok := member(body, c.path).(float64); !ok || int(got) != v {
			return fmt.Errorf("%s is %v in the body, %d in %s", c.path, member(body, c.path), v, c.header)
		}
	}
	return nil
}

// checkStream checks an InvokeModelWithResponseStream answer of the family.
func (f nativeFamily) checkStream(a *Answer) error {
	chunks, err := result[Chunks](a)
	if err != nil {
		return err
	}
	if len(chunks) == 0 {
		return errors.New("the stream has no chunks")
	}
	var last map[string]any
	for i, raw := range chunks {
		if err := json.Unmarshal(raw, &last); err != nil {
			return fmt.Errorf("chunk %d is not a JSON object: %.200s", i, raw)
		}
		if i == 0 && f.first != "" && member(last, f.first) == nil {
			return fmt.Errorf("the first chunk %.200s has no %s", raw, f.first)
		}
	}
	if err := hasMembers(last, []string{"amazon-bedrock-invocationMetrics.inputTokenCount", "amazon-bedrock-invocationMetrics.outputTokenCount",
		"amazon-bedrock-invocationMetrics.invocationLatency", "amazon-bedrock-invocationMetrics.firstByteLatency"}); err != nil {
		return fmt.Errorf("the last chunk: %w", err)
	}
	return nil
}

// nativeBody decodes an InvokeModel answer's body.
func nativeBody(a *Answer) (map[string]any, error) {
	out, err := result[*bedrockruntime.InvokeModelOutput](a)
	if err != nil {
		return nil, err
	}
	var body map[string]any
	if err := json.Unmarshal(out.Body, &body); err != nil {
		return nil, fmt.Errorf("body is not a JSON object: %.200s", out.Body)
	}
	return body, nil
}

// member walks a decoded JSON value along a dot-separated path; nil when it is not there.
func member(v any, path string) any {
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func hasMembers(v any, paths []string) error {
	for _, p := range paths {
		if member(v, p) == nil {
			return fmt.Errorf("no %s", p)
		}
	}
	return nil
}
