package conformance

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
)

// Case is one named, declarative check: a request, or a conversation of several, and what
// must hold of each answer. What a Case asserts must hold for any correct answer of Amazon
// Bedrock (shape, roles, stop reason, event order, usage arithmetic, tool-use validity, error
// type, status and message), never the model's exact words, so that the same Case runs
// against the emulator, an endpoint, real Bedrock and a cassette of a real run.
type Case struct {
	// Name identifies the case: slash-separated words, e.g. "tools/forced-any". It is the
	// subtest name under go test and the first column of reports.
	Name string
	// Doc says what the case checks and where the expected behaviour comes from.
	Doc string
	// Tags group cases ("seed", "stream", "tools", "validation", "spec", "catalog",
	// "recorded", "unverified", …) for selection and reports.
	Tags []string
	// Pending, when set, says why the emulator is known to fail this case for now (a
	// feature not on main yet). On targets that are not real Bedrock a failure is then
	// reported as "pending" rather than "fail"; on real Bedrock and its cassettes the case
	// counts in full.
	Pending string
	// Steps are the calls, in order. A step fails the case at the first broken invariant;
	// later steps that continue its conversation are not sent.
	Steps []Step
}

// Step is one Converse or ConverseStream call, or another operation's (Call), and what
// must hold of its answer.
type Step struct {
	// Stream sends the request with ConverseStream instead of Converse.
	Stream bool
	// Call, when set, sends another operation instead, built from Request (see Call). Its
	// answer is held to Expect.Error, Expect.Raw or, when it succeeds, to the wire form of
	// any answer and Expect.Check; the invariants of a Converse answer do not apply.
	Call *Call
	// Request is what is sent.
	Request Request
	// Continue puts the previous step's messages and its assistant reply in front of this
	// step's messages, so a conversation goes on turn by turn.
	Continue bool
	// Follow, when set, builds messages from the previous step's answer to add after the
	// continued conversation and before Request.Input.Messages: for instance the tool
	// results for the toolUse blocks the model sent (see AnswerTools).
	Follow func(prev *Answer) ([]types.Message, error)
	// Expect is what must hold of the answer.
	Expect Expect
}

// Request is one call, in the AWS SDK for Go v2's own types.
type Request struct {
	// Model names the model: a role in the target's Models ("text", "multimodal",
	// "anthropic"), resolved per target, or a model ID or ARN used as it is. "{region}" and
	// "{account}" in it are replaced with the target's.
	Model string
	// Input is the request body; its ModelId is ignored (Model sets it). For a stream step
	// the same fields are sent with ConverseStream. A GuardrailConfig whose identifier is
	// GuardrailPlaceholder names the target's guardrail, at the target's version unless it
	// sets one.
	Input bedrockruntime.ConverseInput
	// Options change the SDK client for this call only, e.g. Unsigned or a middleware that
	// alters the request on the wire.
	Options []func(*bedrockruntime.Options)
}

// Expect is what must hold of one answer. Whatever is set here comes on top of the
// invariants every answer is checked against (see Check).
type Expect struct {
	// Error, when set, is the modeled error the call must fail with; nil means the call
	// must succeed.
	Error *WantError
	// Raw, when set, replaces all other checks with an exact comparison of the HTTP status
	// and body: for answers outside the Converse model, such as Coral's
	// UnknownOperationException envelope.
	Raw *WantRaw
	// StopReasons lists the stop reasons the answer may have; empty allows any.
	StopReasons []types.StopReason
	// ToolUse requires the answer to call a tool: one of these names, or any tool
	// when the list holds only "".
	ToolUse []string
	// TextOmits lists strings no text block may contain (a stop sequence).
	TextOmits []string
	// MaxOutputTokens, when positive, bounds usage.outputTokens.
	MaxOutputTokens int
	// SameAs, when positive, is the 1-based number of an earlier step of this case sent
	// the same request. On a deterministic target (the emulator) this answer's content,
	// stop reason and usage must equal that step's: a stream's deltas concatenate to the
	// Converse text. Targets that generate text are not held to it.
	SameAs int
	// Check, when set, is one more invariant; it returns an error saying what is wrong.
	Check func(*Answer) error
}

// WantError is the modeled error a call must fail with.
type WantError struct {
	// Type is the exception's shape name, e.g. "ValidationException".
	Type string
	// Message is the exact message.
	Message string
	// Status is the HTTP status; 0 means the one the API model gives Type.
	Status int
	// Namespace is the Coral namespace of x-amzn-ErrorType; "" means "com.amazon.bedrock".
	Namespace string
	// BodyKey is the body's message member; "" means "message". Bedrock's authorizer
	// writes "Message".
	BodyKey string
}

// WantRaw is an HTTP answer compared byte for byte.
type WantRaw struct {
	Status int
	Body   string
}

// GuardrailPlaceholder, as the GuardrailIdentifier of a request, stands for the target's
// guardrail (Target.Guardrail).
const GuardrailPlaceholder = "{guardrail}"

// Model roles: the models cases name by what they need rather than by ID, so that each
// target can use its own (the cheapest available, for real Bedrock). DefaultModels gives
// their defaults.
const (
	// ModelText is an inexpensive text model with tool use and system prompts.
	ModelText = "text"
	// ModelMultimodal takes images and documents as well as tools.
	ModelMultimodal = "multimodal"
	// ModelAnthropic is a Claude model, for Anthropic's request fields and rules.
	ModelAnthropic = "anthropic"
	// ModelPrompt is the ARN of a Prompt management prompt whose one user message is
	// PromptText. Real Bedrock's default names a prompt no account has, so the cases
	// that use it are skipped there unless the role names one (-roles prompt=ARN; the
	// command's --roles).
	ModelPrompt = "prompt"
)

// PromptText is the template of the ModelPrompt prompt: a TEXT prompt with one variable.
const PromptText = "What is the capital of {{topic}}? Answer in one sentence."

// DefaultModels are the model IDs the roles stand for unless a target says otherwise: the
// cheapest models that have what each role needs, as US cross-Region inference profiles,
// which every US Region can invoke, and the emulator targets' prompt.
func DefaultModels() map[string]string {
	return map[string]string{
		ModelText:       "us.amazon.nova-micro-v1:0",
		ModelMultimodal: "us.amazon.nova-lite-v1:0",
		ModelAnthropic:  "us.anthropic.claude-3-haiku-20240307-v1:0",
		ModelPrompt:     "arn:aws:bedrock:{region}:{account}:prompt/CONFPROMPT",
	}
}

// Validate reports what makes c unusable: no name, no steps, a step with no model, a
// SameAs or Continue with nothing before it.
func (c *Case) Validate() error {
	if c.Name == "" {
		return errors.New("case has no name")
	}
	if len(c.Steps) == 0 {
		return fmt.Errorf("case %s has no steps", c.Name)
	}
	for i, s := range c.Steps {
		switch {
		case s.Request.Model == "":
			return fmt.Errorf("case %s step %d names no model", c.Name, i+1)
		case (s.Continue || s.Follow != nil) && i == 0:
			return fmt.Errorf("case %s step 1 continues a conversation that has not started", c.Name)
		case s.Expect.SameAs < 0 || s.Expect.SameAs > i:
			return fmt.Errorf("case %s step %d: SameAs %d is not an earlier step", c.Name, i+1, s.Expect.SameAs)
		case s.Expect.Error != nil && s.Expect.Raw != nil:
			return fmt.Errorf("case %s step %d expects both an error and a raw answer", c.Name, i+1)
		case s.Call != nil && (s.Stream || s.Continue || s.Follow != nil || s.Expect.SameAs > 0 || s.Call.Do == nil):
			return fmt.Errorf("case %s step %d: a Call step has a Do and no Stream, Continue, Follow or SameAs", c.Name, i+1)
		}
	}
	return nil
}

// HasTag reports whether c carries tag.
func (c *Case) HasTag(tag string) bool {
	for _, t := range c.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

// UserText is a user message of one text block.
func UserText(s string) types.Message {
	return types.Message{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: s}}}
}

// AssistantText is an assistant message of one text block.
func AssistantText(s string) types.Message {
	return types.Message{Role: types.ConversationRoleAssistant, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: s}}}
}

// AnswerTools returns a Step.Follow that answers every toolUse block of the previous
// answer with a toolResult of the given status ("" leaves it unset) holding result as
// JSON, in one user message. It fails when the previous answer called no tool.
func AnswerTools(status types.ToolResultStatus, result any) func(*Answer) ([]types.Message, error) {
	return func(prev *Answer) ([]types.Message, error) {
		var blocks []types.ContentBlock
		for _, b := range prev.Blocks {
			if b.Type != BlockToolUse {
				continue
			}
			id := b.ToolUseID
			blocks = append(blocks, &types.ContentBlockMemberToolResult{Value: types.ToolResultBlock{
				ToolUseId: &id,
				Status:    status,
				Content:   []types.ToolResultContentBlock{&types.ToolResultContentBlockMemberJson{Value: document.NewLazyDocument(result)}},
			}})
		}
		if len(blocks) == 0 {
			return nil, errors.New("the previous answer called no tool")
		}
		return []types.Message{{Role: types.ConversationRoleUser, Content: blocks}}, nil
	}
}

// jsonDoc is a document value written as JSON text. It panics on invalid JSON, which only
// a broken case can hold.
func jsonDoc(s string) document.Interface {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		panic("conformance: invalid JSON in a case: " + err.Error())
	}
	return document.NewLazyDocument(v)
}

// Select returns the cases whose name matches the regular expression pattern ("" matches
// all), in their order.
func Select(cases []Case, pattern string) ([]Case, error) {
	if pattern == "" {
		return cases, nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("case pattern: %w", err)
	}
	var out []Case
	for _, c := range cases {
		if re.MatchString(c.Name) {
			out = append(out, c)
		}
	}
	return out, nil
}
