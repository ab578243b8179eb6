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
	msgs, system, err := p.render(req.PromptVariables)
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

// render fills in the prompt's templates with vars. The messages and system blocks are new
// values: the prompt itself is shared and left alone.
func (p *Prompt) render(vars map[string]PromptVariableValues) ([]Message, []SystemContentBlock, error) {
	missing := map[string]bool{}
	fill := func(s string) string {
		return promptVariable.ReplaceAllStringFunc(s, func(m string) string {
			name := promptVariable.FindStringSubmatch(m)[1]
			v, ok := vars[name]
			if !ok || v.Text == nil {
				missing[name] = true
				return m
			}
			return *v.Text
		})
	}
	var msgs []Message
	if p.Text != "" {
		msgs = []Message{{Role: RoleUser, Content: []ContentBlock{{Text: ptr(fill(p.Text))}}}}
	}
	for _, m := range p.Messages {
		content := slices.Clone(m.Content)
		for i, b := range content {
			if b.Text != nil {
				content[i].Text = ptr(fill(*b.Text))
			}
		}
		msgs = append(msgs, Message{Role: m.Role, Content: content})
	}
	system := slices.Clone(p.System)
	for i, b := range system {
		if b.Text != nil {
			system[i].Text = ptr(fill(*b.Text))
		}
	}
	if len(missing) > 0 {
		names := make([]string, 0, len(missing))
		for n := range missing {
			names = append(names, n)
		}
		sort.Strings(names)
		return nil, nil, fmt.Errorf(msgPromptVariables, strings.Join(names, ", "))
	}
	return msgs, system, nil
}

func ptr[T any](v T) *T { return &v }
