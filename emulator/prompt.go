package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/bedrock-emulator/bedrock-emulator/internal/catalog"
)

// A Prompt is an Amazon Bedrock Prompt management prompt, which a Converse or
// ConverseStream request uses by giving its ARN as modelId
// ("arn:aws:bedrock:us-east-1:123456789012:prompt/PROMPT12AB", or ":1" and on for a
// published version) and values for its variables in promptVariables.
//
// A prompt is a TEXT prompt (Text, the template of one user message) or a CHAT prompt
// (Messages and System, whose text blocks are templates). Templates name variables as
// {{name}}. The prompt's messages come before the request's own, and its system prompt,
// inference configuration, tool configuration and additional model request fields are the
// request's: a request may not set those itself.
//
// Call Check before using a Prompt built in Go; LoadPrompts and ParsePrompts check what they
// return.
type Prompt struct {
	// PromptID is the prompt's ID: 10 letters or digits.
	PromptID string `json:"promptId"`
	// Name is informational.
	Name string `json:"name,omitempty"`
	// Versions lists the published versions ("1", "2", …); the ARN without a version
	// names the draft. Every version has the same content.
	Versions []string `json:"versions,omitempty"`
	// ModelID is the model that runs the prompt, in any form Converse accepts.
	ModelID string `json:"modelId"`
	// Text is the template of a TEXT prompt.
	Text string `json:"text,omitempty"`
	// Messages and System make a CHAT prompt, in Converse's shapes.
	Messages []Message            `json:"messages,omitempty"`
	System   []SystemContentBlock `json:"system,omitempty"`
	// InferenceConfig, ToolConfig and AdditionalModelRequestFields are the prompt's
	// settings, in Converse's shapes.
	InferenceConfig              *InferenceConfig `json:"inferenceConfig,omitempty"`
	ToolConfig                   *ToolConfig      `json:"toolConfig,omitempty"`
	AdditionalModelRequestFields json.RawMessage  `json:"additionalModelRequestFields,omitempty"`
}

var (
	promptIDPattern      = regexp.MustCompile(`^[0-9a-zA-Z]{10}$`)
	promptVersionPattern = regexp.MustCompile(`^[0-9]{1,5}$`)
	promptVariable       = regexp.MustCompile(`\{\{\s*([^{}\s]+)\s*\}\}`)
)

func (p *Prompt) key() string { return p.PromptID }

// maxPromptChars is how long a prompt's template may be: 200,000 characters, the limit of a
// prompt's text in Prompt management (AWS::Bedrock::Prompt TextPromptTemplateConfiguration,
// Text, Maximum 200000:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-bedrock-prompt-textprompttemplateconfiguration.html).
// The emulator holds a CHAT prompt's texts, together, to the same limit.
const maxPromptChars = 200_000

// templateChars is how many characters the prompt's templates hold, together.
func (p *Prompt) templateChars() int {
	n := utf8.RuneCountInString(p.Text)
	for _, m := range p.Messages {
		for _, b := range m.Content {
			if b.Text != nil {
				n += utf8.RuneCountInString(*b.Text)
			}
		}
	}
	for _, b := range p.System {
		if b.Text != nil {
			n += utf8.RuneCountInString(*b.Text)
		}
	}
	return n
}

// Check reports what is wrong with p.
func (p *Prompt) Check() error {
	if p == nil {
		return errors.New("a prompt is empty")
	}
	if !promptIDPattern.MatchString(p.PromptID) {
		return fmt.Errorf("promptId %q: want 10 letters or digits", p.PromptID)
	}
	for _, v := range p.Versions {
		if !promptVersionPattern.MatchString(v) {
			return fmt.Errorf("prompt %s: version %q: want a number of up to 5 digits", p.PromptID, v)
		}
	}
	if p.ModelID == "" {
		return fmt.Errorf("prompt %s: modelId is required", p.PromptID)
	}
	if (p.Text == "") == (len(p.Messages) == 0) {
		return fmt.Errorf("prompt %s: want text (a TEXT prompt) or messages (a CHAT prompt), not both or neither", p.PromptID)
	}
	if p.Text != "" && len(p.System) > 0 {
		return fmt.Errorf("prompt %s: a TEXT prompt has no system prompt; use messages and system", p.PromptID)
	}
	for i, m := range p.Messages {
		if m.Role != RoleUser && m.Role != RoleAssistant {
			return fmt.Errorf("prompt %s: message %d: role %q: want user or assistant", p.PromptID, i+1, m.Role)
		}
		if len(m.Content) == 0 {
			return fmt.Errorf("prompt %s: message %d has no content", p.PromptID, i+1)
		}
	}
	if n := p.templateChars(); n > maxPromptChars {
		return fmt.Errorf("prompt %s: its templates are %d characters; Prompt management takes at most %d", p.PromptID, n, maxPromptChars)
	}
	if raw := p.AdditionalModelRequestFields; raw != nil && !json.Valid(raw) {
		return fmt.Errorf("prompt %s: additionalModelRequestFields is not JSON", p.PromptID)
	}
	return nil
}

// ParsePrompts reads prompt definitions, JSON or YAML: a list, or an object whose "prompts"
// member holds one. Unknown fields are errors, and each definition is checked.
func ParsePrompts(data []byte) ([]Prompt, error) {
	ps, err := decodeDefinitions[*Prompt](data, "prompts")
	return derefAll(ps), err
}

// LoadPrompts reads a file of prompt definitions (see ParsePrompts).
func LoadPrompts(path string) ([]Prompt, error) {
	ps, err := loadDefinitions[*Prompt](path, "prompts")
	return derefAll(ps), err
}

// WithPrompts adds prompts to Options.Prompts.
func WithPrompts(ps ...Prompt) func(*Options) {
	return func(o *Options) { o.Prompts = append(o.Prompts, ps...) }
}

// Messages for a prompt ARN as modelId.
const (
	// unverified: Bedrock's guide says only that a request using a prompt "can't include"
	// these fields; the message is modelled on "This model doesn't support the X field.
	// Remove X and try again." (docs/wire-facts.md §4).
	msgPromptField = "A prompt from Prompt management doesn't support the %s field in the request. Remove %s and try again."
	// unverified: no capture of Bedrock's answer to an unknown prompt or version was found.
	msgPromptNotFound = "The prompt identifier or version provided in the request does not exist."
	// unverified: no capture of Bedrock's answer to a missing prompt variable was found.
	msgPromptVariables = "The prompt variables %s have no values. Add them to promptVariables and try again."
	// The emulator's own: no limit on a rendered prompt is documented; the emulator holds it
	// to the size of a request body (Options.MaxBodyBytes).
	msgPromptTooLong = "bedrock-emulator: prompt %s filled in with promptVariables is over %d bytes, the limit of a request body. Shorten the variables' values and try again."
)

// prompts is the link that resolves a Converse call's model ID: a prompt ARN gives the call
// the request the prompt makes, and the prompt's model (usePrompt). What it cannot resolve
// it records in Call.Err, as validation does.
type prompts struct{ h *handler }

func (l prompts) Respond(ctx context.Context, call *Call, next Next) (*Reply, error) {
	if call.Err == nil && call.op == converse {
		res, err := l.h.models.Resolve(call.ModelID)
		switch {
		case err != nil:
			call.Err = modelError(err)
		case res.Kind == catalog.KindPrompt:
			res, call.Err = l.h.usePrompt(call.Request, res)
		}
		if call.Err == nil {
			call.Model = res.Model
		}
	}
	return next(ctx, call)
}

// usePrompt turns a Converse request whose modelId is a prompt ARN into the request the
// prompt makes, and resolves the prompt's model.
func (h *handler) usePrompt(req *ConverseRequest, res catalog.Resolution) (catalog.Resolution, *Error) {
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"system", req.System != nil},
		{"inferenceConfig", req.InferenceConfig != nil},
		{"toolConfig", req.ToolConfig != nil},
		{"additionalModelRequestFields", req.AdditionalModelRequestFields != nil},
	} {
		if f.set {
			return res, validationError(msgPromptField, f.name, f.name)
		}
	}
	p, ok := h.prompts.get(res.Resource)
	if !ok || res.Version != "" && !slices.Contains(p.Versions, res.Version) {
		return res, &Error{Type: "ResourceNotFoundException", Status: http.StatusNotFound, Message: msgPromptNotFound}
	}
	msgs, system, err := p.render(req.PromptVariables, h.opts.MaxBodyBytes)
	if err != nil {
		return res, validationError("%s", err.Error())
	}
	req.Messages = append(msgs, req.Messages...)
	req.System = system
	req.InferenceConfig, req.ToolConfig = p.InferenceConfig, p.ToolConfig
	req.AdditionalModelRequestFields = p.AdditionalModelRequestFields
	model, err := h.models.Resolve(p.ModelID)
	if err != nil {
		return res, modelError(err)
	}
	return model, nil
}

// render fills in the prompt's templates with vars; what it renders may be at most limit
// bytes. The messages and system blocks are new values: the prompt itself is shared and
// left alone.
func (p *Prompt) render(vars map[string]PromptVariableValues, limit int64) ([]Message, []SystemContentBlock, error) {
	r := renderer{vars: vars, missing: map[string]bool{}, left: limit}
	var msgs []Message
	if p.Text != "" {
		msgs = []Message{{Role: RoleUser, Content: []ContentBlock{{Text: ptr(r.fill(p.Text))}}}}
	}
	for _, m := range p.Messages {
		content := slices.Clone(m.Content)
		for i, b := range content {
			if b.Text != nil {
				content[i].Text = ptr(r.fill(*b.Text))
			}
		}
		msgs = append(msgs, Message{Role: m.Role, Content: content})
	}
	system := slices.Clone(p.System)
	for i, b := range system {
		if b.Text != nil {
			system[i].Text = ptr(r.fill(*b.Text))
		}
	}
	switch {
	case len(r.missing) > 0:
		names := make([]string, 0, len(r.missing))
		for n := range r.missing {
			names = append(names, n)
		}
		sort.Strings(names)
		return nil, nil, fmt.Errorf(msgPromptVariables, strings.Join(names, ", "))
	case r.left < 0:
		return nil, nil, fmt.Errorf(msgPromptTooLong, p.PromptID, limit)
	}
	return msgs, system, nil
}

// renderer fills in templates, counting what it renders against a budget: a template
// that names a variable many times multiplies its value (issue 13, item 2), so each
// template's size is added up before it is built, and none is built past the budget.
type renderer struct {
	vars    map[string]PromptVariableValues
	missing map[string]bool
	left    int64 // bytes left of the budget; negative once it is passed
}

// fill is template s with its variables' values, or "" once a variable is missing or the
// budget is passed (the prompt is then refused).
func (r *renderer) fill(s string) string {
	found := promptVariable.FindAllStringSubmatchIndex(s, -1)
	size := int64(len(s))
	for _, m := range found {
		name := s[m[2]:m[3]]
		if v, ok := r.vars[name]; ok && v.Text != nil {
			size += int64(len(*v.Text) - (m[1] - m[0]))
		} else {
			r.missing[name] = true
		}
	}
	r.left -= size
	if r.left < 0 || len(r.missing) > 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(int(size))
	at := 0
	for _, m := range found {
		b.WriteString(s[at:m[0]])
		b.WriteString(*r.vars[s[m[2]:m[3]]].Text)
		at = m[1]
	}
	b.WriteString(s[at:])
	return b.String()
}

func ptr[T any](v T) *T { return &v }
