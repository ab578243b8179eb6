package emulator

import (
	"encoding/json"
	"errors"

	"github.com/bedrock-emulator/bedrock-emulator/internal/catalog"
)

// CountTokens counts a request's input tokens as the emulator counts a Converse or
// InvokeModel request's (tokens.go), so that the count equals the inputTokens the same
// request reports when it is sent (before any prompt caching). Bedrock counts for Anthropic
// Claude models only, named by their foundation model ID.

// Bedrock's answers to CountTokens that it cannot count.
const (
	// The message Bedrock sends for a model that cannot count, cross-Region inference
	// profiles included (maximhq/bifrost#2169, for us.anthropic.claude-sonnet-4-6; the
	// live probe in Boise-State-Development/agentcore-public-stack#430 found profile IDs
	// rejected and the same models' foundation model IDs counted).
	msgNoCountTokens = "The provided model doesn't support counting tokens."
	// The CountTokens limit, whatever the model's context window (boto/botocore#3707,
	// quoting "ValidationException: prompt is too long: X tokens > 200000 maximum").
	msgCountTooLong = "prompt is too long: %d tokens > %d maximum"
	countTokensMax  = 200000
	// An Anthropic tool type CountTokens does not take, such as a server tool
	// (pydantic/pydantic-ai tests/models/cassettes/test_anthropic_bedrock_count_tokens/
	// test_anthropic_bedrock_count_tokens_rejects_server_tools.yaml: Claude Sonnet 4,
	// web_search_20250305). The expected tags are those of that answer.
	msgCountToolType = "tools.%d: Input tag '%s' found using 'type' does not match any of the expected tags: 'bash_20250124', 'custom', 'text_editor_20250124', 'text_editor_20250429', 'text_editor_20250728'"
)

// countTools are the Anthropic tool types CountTokens takes (msgCountToolType); a tool with
// no type is a custom one.
var countTools = map[string]bool{"bash_20250124": true, "custom": true, "text_editor_20250124": true,
	"text_editor_20250429": true, "text_editor_20250728": true}

// countableTools checks the tool types of an Anthropic Messages body given to CountTokens
// (decodeNative has checked the rest of it).
func countableTools(body []byte) *Error {
	var native struct {
		Tools []struct {
			Type *string `json:"type"`
		} `json:"tools"`
	}
	if json.Unmarshal(body, &native) != nil {
		return nil
	}
	for i, t := range native.Tools {
		if t.Type != nil && !countTools[*t.Type] {
			return validationError(msgCountToolType, i, *t.Type)
		}
	}
	return nil
}

type countTokensRequest struct {
	Input struct {
		Converse    *ConverseRequest `json:"converse"`
		InvokeModel *struct {
			Body []byte `json:"body"`
		} `json:"invokeModel"`
	} `json:"input"`
}

// countTokens serves CountTokens.
func (h *handler) countTokens(x *exchange) (answer, *Error) {
	body := x.body
	modelID, e := x.model()
	if e != nil {
		return answer{}, e
	}
	if e := validateShape(OpCountTokens, body); e != nil {
		return answer{}, e
	}
	var in countTokensRequest
	if err := json.Unmarshal(body, &in); err != nil {
		return answer{}, serializationError(err.Error())
	}
	res, err := h.models.Resolve(modelID)
	var needsProfile *catalog.NeedsProfileError
	switch {
	case errors.As(err, &needsProfile):
		// A model that runs through inference profiles only is still counted by its
		// foundation model ID (pydantic-ai's test_bedrock_inference_profile_count_tokens.yaml:
		// anthropic.claude-sonnet-4-20250514-v1:0, 200).
		res = catalog.Resolution{Kind: catalog.KindFoundationModel, Model: needsProfile.Model}
	case err != nil:
		return answer{}, modelError(err)
	}
	if res.Kind != catalog.KindFoundationModel || res.Model.Provider != "anthropic" {
		return answer{}, validationError(msgNoCountTokens)
	}
	var req *ConverseRequest
	switch {
	case in.Input.Converse != nil:
		req = in.Input.Converse
		req.ModelID = modelID
		if e := validateConversation(OpConverse, req, res.Model); e != nil {
			return answer{}, e
		}
	default:
		if _, req, e = decodeNative(res.Model, modelID, in.Input.InvokeModel.Body); e != nil {
			return answer{}, e
		}
		if e := countableTools(in.Input.InvokeModel.Body); e != nil {
			return answer{}, e
		}
	}
	n, _ := inputTokens(req)
	if n > countTokensMax {
		return answer{}, validationError(msgCountTooLong, n, countTokensMax)
	}
	return answer{body: encodeJSON(struct {
		InputTokens int `json:"inputTokens"`
	}{n})}, nil
}
