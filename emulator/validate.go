package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/bedrock-emulator/bedrock-emulator/internal/catalog"
	"github.com/bedrock-emulator/bedrock-emulator/internal/spec"
)

// validateShape checks a request body against the operation's input shape in the API model
// (internal/spec), as the service's request layer does before Bedrock sees the request:
// a body that does not deserialize is a SerializationException, constraint failures one
// ValidationException listing them all.
func validateShape(op string, body []byte) *Error { return decodeShape(op, body, nil) }

// decodeShape is validateShape that also decodes a body that passes into v (a pointer to
// the operation's request struct, or nil for none) from the same parse (spec.DecodeBody);
// a body encoding/json cannot decode into v is a SerializationException with its error.
func decodeShape(op string, body []byte, v any) *Error {
	if !utf8.Valid(body) {
		return serializationError(utf8Error(body))
	}
	var vs []spec.Violation
	var err error
	if v == nil {
		vs = spec.ValidateBody(op, body)
	} else {
		vs, err = spec.DecodeBody(op, body, v)
	}
	switch {
	case len(vs) > 0 && vs[0].Kind == spec.KindSerialization:
		return serializationError(vs[0].Constraint)
	case len(vs) > 0:
		return validationError("%s", spec.Message(vs))
	case err != nil:
		return serializationError(err.Error())
	}
	return nil
}

// Bedrock's own checks of a conversation, after the API model's constraints have passed.
// Messages are quoted verbatim from real Bedrock answers; docs/wire-facts.md §4 gives the source of
// each, and the tests cite it again. Indices in these messages are 0-based
// ("messages.0.content"), unlike the 1-based constraint paths of the API model validator.
//
// Which rule applies differs by model and changed over time; those differences are catalogue
// properties (internal/catalog), not global rules.

// Verbatim Bedrock messages (docs/wire-facts.md §4).
const (
	msgStartWithUser   = "A conversation must start with a user message. Try again with a conversation that starts with a user message."
	msgAlternate       = "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again."
	msgEmptyContent    = "The content field in the Message object at messages.%d is empty. Add a ContentBlock object to the content field and try again."
	msgBlankText       = "The text field in the ContentBlock object at messages.%d.content.%d is blank. Add text to the text field, and try again."
	msgAnthropicBlank  = "The model returned the following errors: messages: text content blocks must contain non-whitespace text"
	msgAnthropicEmpty  = "The model returned the following errors: messages: text content blocks must be non-empty"
	msgNoSystem        = "This model doesn't support system messages. Try again without a system message or use a model that supports system messages."
	msgNoImage         = "This model doesn't support the image field for user messages. Remove image and try again."
	msgNoVideo         = "This model doesn't support the video content block that you provided. Update the content block and try again."
	msgNoS3            = "This model doesn't support the s3Uri field. Remove s3Uri and try again."
	msgNoToolUse       = "This model doesn't support tool use."
	msgNoStreamTools   = "This model doesn't support tool use in streaming mode."
	msgNoToolChoiceAny = "This model doesn't support the toolConfig.toolChoice.any field. Remove toolConfig.toolChoice.any and try again."
	msgNeedToolConfig  = "The toolConfig field must be defined when using toolUse and toolResult content blocks."
	msgTooManyResults  = "The number of toolResult blocks at messages.%d.content exceeds the number of toolUse blocks of previous turn."
	msgMissingResults  = "Expected toolResult blocks at messages.%d.content for the following Ids: %s"
	msgDuplicateIDs    = "The toolUse blocks at messages.%d.content contain duplicate Ids: %s"
	msgMixedResult     = "messages.%d.content: Conversation blocks and tool result blocks cannot be provided in the same turn."
	msgMixedUse        = "messages.%d.content: Conversation blocks and tool use blocks cannot be provided in the same turn."
	msgUserReasoning   = "User messages cannot contain reasoning content. Please remove the reasoning content and try again."
	msgLlamaLastUser   = "The model that you are using requires the last turn in the conversation to be a user message. Add a user message to the conversation and try again."
	msgPrefillTools    = "The model returned the following errors: Your API request included an `assistant` message in the final position, which would pre-fill the `assistant` response. When using tools, pre-filling the `assistant` response is not supported."
	msgNoPrefill       = "The model returned the following errors: This model does not support assistant message prefill. The conversation must end with a user message."
	msgMaxTokens       = "The maximum tokens you requested exceeds the model limit of %d. Try again with a maximum tokens value that is lower than %d."
	msgMaxTokensModel  = "The model returned the following errors: The maximum tokens you requested exceeds the model limit of %d"
	msgDocumentName    = "The document file name can only contain alphanumeric characters, whitespace characters, hyphens, parentheses, and square brackets. The name can't contain more than one consecutive whitespace character. Check that the file name conforms to these restrictions and retry your request."
	msgDocumentText    = "A text block must be included when using documents."
	msgUnsupportedParm = "This model doesn't support the %s field. Remove %s and try again."
)

// Messages found after docs/wire-facts.md §4 was written; docs/wire-facts.md §7.5 and the comments
// below give the sources.
const (
	// pydantic/pydantic-ai#4495, elastic/kibana#246393: an empty messages list.
	msgNoMessages = msgStartWithUser
	// maximhq/bifrost#3196 (Llama 4 and 3.x; docs/wire-facts.md §7.3): toolChoice.tool on a model without it.
	msgNoToolChoiceTool = "This model doesn't support the toolConfig.toolChoice.tool field. Remove toolConfig.toolChoice.tool and try again."
	// aws/aws-sdk-js-v3#7330, aws/aws-sdk-net#3377: a document value that is not an object.
	msgJSONObject = "The format of the value at %s is invalid. Provide a json object for the field and try again."
	// aws-samples/amazon-bedrock-client-for-mac#130 (wire capture): Claude, image bytes of
	// another type than the declared format.
	msgAnthropicImageType = "The model returned the following errors: messages.%d.content.%d.image.source.bytes: The image was specified using the image/%s media type, but the image appears to be a image/%s image"
	// boto/boto3#4415: Llama 3.2, likewise.
	msgImageFormat = "The model returned the following errors: The provided image does not match the specified image format."
	// BerriAI/litellm#15070 (via the catalogue's notes): Claude 4.5 and later take one of
	// temperature and topP.
	msgTemperatureXorTopP = "The model returned the following errors: `temperature` and `top_p` cannot both be specified for this model. Please use only one."
	// aws-samples/bedrock-chat#572: a "pdf" that is plain text (Bedrock-level).
	msgDocumentType = "The detected filetype is %s, but the provided filetype was %s."
)

// Closest messages in Bedrock's style where no real one was found.
const (
	// unverified: modelled on msgNoImage.
	msgNoDocument = "This model doesn't support the document field for user messages. Remove document and try again."
	// unverified: modelled on msgNoVideo.
	msgNoAudio = "This model doesn't support the audio content block that you provided. Update the content block and try again."
	// unverified: Anthropic's own API says "Tool '<name>' not found in provided tools"; the
	// Converse form is assumed to carry the usual model prefix.
	msgUnknownToolChoice = "The model returned the following errors: Tool '%s' not found in provided tools"
)

// validateConversation applies Bedrock's conversation rules and the model's capabilities.
func validateConversation(op string, req *ConverseRequest, m *catalog.Model) *Error {
	if e := validateDocumentValues(req); e != nil {
		return e
	}
	msgs := req.Messages
	if len(msgs) == 0 {
		return validationError(msgNoMessages)
	}
	for i, msg := range msgs {
		if len(msg.Content) == 0 {
			return validationError(msgEmptyContent, i)
		}
	}
	if msgs[0].Role != RoleUser && !m.Conversation.AssistantFirst {
		return validationError(msgStartWithUser)
	}
	for i := 1; i < len(msgs); i++ {
		if msgs[i].Role == msgs[i-1].Role {
			return validationError(msgAlternate)
		}
	}
	tools := req.ToolConfig != nil && len(req.ToolConfig.Tools) > 0
	if msgs[len(msgs)-1].Role == RoleAssistant {
		switch m.Conversation.LastAssistant {
		case catalog.LastAssistantUserRequired:
			return validationError(msgLlamaLastUser)
		case catalog.LastAssistantNoPrefill:
			return validationError(msgNoPrefill)
		case catalog.LastAssistantNoToolPrefill:
			if tools {
				return validationError(msgPrefillTools)
			}
		}
	}
	if len(req.System) > 0 && !m.Supports.System {
		return validationError(msgNoSystem)
	}
	if e := validateBlocks(msgs, m); e != nil {
		return e
	}
	if e := validateTools(op, req, m); e != nil {
		return e
	}
	return validateInference(req, m)
}

// validateDocumentValues checks that document-typed members that must be JSON objects are.
// Bedrock checks toolResult json and tool input schemas (sources at msgJSONObject); that it
// checks toolUse input and additionalModelRequestFields the same way is an inference.
func validateDocumentValues(req *ConverseRequest) *Error {
	notObject := func(raw json.RawMessage) bool {
		t := bytes.TrimLeft(raw, " \t\r\n")
		return len(t) == 0 || t[0] != '{'
	}
	if req.AdditionalModelRequestFields != nil && notObject(req.AdditionalModelRequestFields) {
		return validationError(msgJSONObject, "additionalModelRequestFields")
	}
	if tc := req.ToolConfig; tc != nil {
		for i, t := range tc.Tools {
			if t.ToolSpec != nil && notObject(t.ToolSpec.InputSchema.JSON) {
				return validationError(msgJSONObject, fmt.Sprintf("toolConfig.tools.%d.toolSpec.inputSchema.json", i))
			}
		}
	}
	for i, m := range req.Messages {
		for j, b := range m.Content {
			switch {
			case b.ToolUse != nil && notObject(b.ToolUse.Input):
				return validationError(msgJSONObject, fmt.Sprintf("messages.%d.content.%d.toolUse.input", i, j))
			case b.ToolResult != nil:
				for k, c := range b.ToolResult.Content {
					if c.JSON != nil && notObject(c.JSON) {
						return validationError(msgJSONObject, fmt.Sprintf("messages.%d.content.%d.toolResult.content.%d.json", i, j, k))
					}
				}
			}
		}
	}
	return nil
}

// validateBlocks checks each content block: blank text, media the model can take, media
// bytes against their format, document names.
func validateBlocks(msgs []Message, m *catalog.Model) *Error {
	for i, msg := range msgs {
		hasDocument, hasText := false, false
		for j, b := range msg.Content {
			switch {
			case b.Text != nil:
				hasText = true
				if strings.TrimSpace(*b.Text) == "" {
					return blankText(m, i, j, *b.Text)
				}
			case b.Image != nil:
				if !m.Accepts(catalog.Image) {
					return validationError(msgNoImage)
				}
				if e := checkImage(b.Image, m, i, j); e != nil {
					return e
				}
			case b.Document != nil:
				hasDocument = true
				if !m.Accepts(catalog.Document) {
					return validationError(msgNoDocument)
				}
				if e := checkDocument(b.Document, m, i, j); e != nil {
					return e
				}
			case b.Video != nil:
				if !m.Accepts(catalog.Video) {
					return validationError(msgNoVideo)
				}
				if b.Video.Source.S3Location != nil && !m.S3Sources {
					return validationError(msgNoS3)
				}
			case b.Audio != nil:
				if !m.Accepts(catalog.Audio) {
					return validationError(msgNoAudio)
				}
			case b.ReasoningContent != nil:
				if msg.Role == RoleUser {
					return validationError(msgUserReasoning)
				}
			case b.ToolResult != nil:
				for _, c := range b.ToolResult.Content {
					switch {
					case c.Image != nil && !m.Accepts(catalog.Image):
						return validationError(msgNoImage)
					case c.Document != nil && !m.Accepts(catalog.Document):
						return validationError(msgNoDocument)
					case c.Video != nil && !m.Accepts(catalog.Video):
						return validationError(msgNoVideo)
					case c.Image != nil && c.Image.Source.S3Location != nil && !m.S3Sources:
						return validationError(msgNoS3)
					}
				}
			}
		}
		if hasDocument && !hasText && msg.Role == RoleUser {
			return validationError(msgDocumentText)
		}
	}
	return nil
}

func blankText(m *catalog.Model, i, j int, text string) *Error {
	if m.Conversation.BlankText == catalog.BlankTextAnthropic {
		if text == "" {
			return validationError(msgAnthropicEmpty)
		}
		return validationError(msgAnthropicBlank)
	}
	return validationError(msgBlankText, i, j)
}

func checkImage(img *MediaBlock, m *catalog.Model, i, j int) *Error {
	if img.Source.S3Location != nil {
		if !m.S3Sources {
			return validationError(msgNoS3)
		}
		return nil
	}
	if nova(m) {
		return nil // the model checks the bytes, after Bedrock's checks (validateModelInput)
	}
	actual := imageType(img.Source.Bytes)
	if actual == img.Format {
		return nil
	}
	if m.Provider == "anthropic" && actual != "" {
		return validationError(msgAnthropicImageType, i, j, img.Format, actual)
	}
	return validationError(msgImageFormat)
}

// documentName is what Bedrock allows in a document name: alphanumerics, white space,
// hyphens, parentheses and square brackets, with no two white-space characters in a row.
var documentName = regexp.MustCompile(`^[\p{L}\p{N}\s\-()\[\]]*$`)

func checkDocument(d *DocumentBlock, m *catalog.Model, i, j int) *Error {
	if !documentName.MatchString(d.Name) || hasDoubleSpace(d.Name) {
		return validationError(msgDocumentName)
	}
	if d.Source.S3Location != nil && !m.S3Sources {
		return validationError(msgNoS3)
	}
	if detected := documentMismatch(d.Format, d.Source.Bytes); detected != "" {
		return validationError(msgDocumentType, detected, strings.ToUpper(d.Format))
	}
	return nil
}

func hasDoubleSpace(s string) bool {
	prev := false
	for _, r := range s {
		space := r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v'
		if space && prev {
			return true
		}
		prev = space
	}
	return false
}

// imageType names the image format whose signature b starts with, or "".
func imageType(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "jpeg"
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return "gif"
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return "webp"
	}
	return ""
}

// documentMismatch returns the file type Bedrock would detect in b when it is not the
// declared binary format, or "" when b fits (or its type cannot be told). Text formats
// (csv, html, txt, md) take any bytes.
func documentMismatch(format string, b []byte) string {
	var fits bool
	switch format {
	case "pdf":
		fits = bytes.HasPrefix(b, []byte("%PDF-"))
	case "docx", "xlsx":
		fits = bytes.HasPrefix(b, []byte("PK\x03\x04"))
	case "doc", "xls":
		fits = bytes.HasPrefix(b, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	default:
		return ""
	}
	switch {
	case fits || len(b) == 0:
		return ""
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return "PDF"
	case utf8.Valid(b) && bytes.IndexByte(b, 0) < 0:
		return "PLAIN_TEXT"
	}
	return ""
}

// validateTools checks tool blocks against toolConfig and each toolResult turn against the
// toolUse blocks of the assistant turn before it.
func validateTools(op string, req *ConverseRequest, m *catalog.Model) *Error {
	tc := req.ToolConfig
	usesToolBlocks := false
	for _, msg := range req.Messages {
		for _, b := range msg.Content {
			if b.ToolUse != nil || b.ToolResult != nil {
				usesToolBlocks = true
			}
		}
	}
	if usesToolBlocks && tc == nil {
		return validationError(msgNeedToolConfig)
	}
	if tc != nil {
		if !m.Supports.ToolUse {
			return validationError(msgNoToolUse)
		}
		if op == OpConverseStream && !m.Supports.StreamingToolUse {
			return validationError(msgNoStreamTools)
		}
		if ch := tc.ToolChoice; ch != nil {
			if ch.Any != nil && !m.Supports.ToolChoiceAny {
				return validationError(msgNoToolChoiceAny)
			}
			if ch.Tool != nil {
				if !m.Supports.ToolChoiceTool {
					return validationError(msgNoToolChoiceTool)
				}
				if !hasTool(tc, ch.Tool.Name) {
					return validationError(msgUnknownToolChoice, ch.Tool.Name)
				}
			}
		}
	}
	var prevUses []string
	for i, msg := range req.Messages {
		var uses, results []string
		conversation := 0
		for _, b := range msg.Content {
			switch {
			case b.ToolUse != nil:
				uses = append(uses, b.ToolUse.ToolUseID)
			case b.ToolResult != nil:
				results = append(results, b.ToolResult.ToolUseID)
			case b.Text != nil, b.Image != nil, b.Document != nil, b.Video != nil, b.Audio != nil:
				conversation++
			}
		}
		if conversation > 0 && len(results) > 0 && !m.Conversation.MixedToolTurns {
			return validationError(msgMixedResult, i)
		}
		if conversation > 0 && len(uses) > 0 && !m.Conversation.MixedToolUse {
			return validationError(msgMixedUse, i)
		}
		if dup := firstDuplicate(uses); dup != "" {
			return validationError(msgDuplicateIDs, i, dup)
		}
		if msg.Role == RoleUser && (len(prevUses) > 0 || len(results) > 0) {
			if len(results) > len(prevUses) {
				return validationError(msgTooManyResults, i)
			}
			if missing := without(prevUses, results); len(missing) > 0 {
				return validationError(msgMissingResults, i, strings.Join(missing, ", "))
			}
		}
		prevUses = nil
		if msg.Role == RoleAssistant {
			prevUses = uses
		}
	}
	return nil
}

func hasTool(tc *ToolConfig, name string) bool {
	for _, t := range tc.Tools {
		if t.ToolSpec != nil && t.ToolSpec.Name == name {
			return true
		}
	}
	return false
}

func firstDuplicate(ids []string) string {
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if seen[id] {
			return id
		}
		seen[id] = true
	}
	return ""
}

// without returns the ids in want that got lacks, in want's order.
func without(want, got []string) []string {
	have := make(map[string]bool, len(got))
	for _, id := range got {
		have[id] = true
	}
	var out []string
	for _, id := range want {
		if !have[id] {
			out = append(out, id)
		}
	}
	return out
}

// validateInference checks inferenceConfig against the model: maxTokens within its output
// limit, and no sampling parameter it does not take.
func validateInference(req *ConverseRequest, m *catalog.Model) *Error {
	ic := req.InferenceConfig
	if ic == nil {
		return nil
	}
	if limit := m.TokenLimit(); ic.MaxTokens != nil && limit > 0 && *ic.MaxTokens > limit {
		if m.MaxTokensError == catalog.LevelModel {
			return validationError(msgMaxTokensModel, limit)
		}
		return validationError(msgMaxTokens, limit, limit)
	}
	if m.Inference.TemperatureXorTopP && ic.Temperature != nil && ic.TopP != nil {
		return validationError(msgTemperatureXorTopP)
	}
	for _, p := range m.Inference.Unsupported {
		set := false
		switch p {
		case "temperature":
			set = ic.Temperature != nil
		case "topP":
			set = ic.TopP != nil
		case "stopSequences":
			set = len(ic.StopSequences) > 0
		}
		if set {
			return validationError(msgUnsupportedParm, p, p)
		}
	}
	return nil
}

// Amazon Nova's own validation messages, which ConverseStream sends inside the stream
// (modelStreamError; docs/wire-facts.md §7.10).
const (
	// agentjido/req_llm test/support/fixtures/amazon_bedrock/amazon_nova_lite_v1_0/
	// converse_stream_validation_exception.json (Nova Lite, ConverseStream, png declared,
	// ASCII text sent).
	msgNovaMIME = "The model returned the following errors: The detected file MIME type %s does not match the expected type %s. Reformat your input and try again."
	// pydantic/pydantic-ai tests/models/cassettes/test_multimodal_tool_returns/
	// test_multimodal_tool_return_matrix[direct-uploaded_file-video-bedrock_nova].yaml (Nova 2
	// Lite, Converse, a video s3Location in a toolResult).
	msgNovaToolResult = "The model returned the following errors: Malformed input request: #/messages/%d/content/%d: extraneous key [toolResult] is not permitted, please reformat your input and try again."
	// crmne/ruby_llm spec/fixtures/vcr_cassettes/chat_real_error_scenarios_bedrock_amazon_nova-2-lite-v1_0_handles_context_length_exceeded_errors.yml
	// (Nova 2 Lite, Converse, ten messages of a million characters each).
	msgNovaInputTokens = "The model returned the following errors: Input Tokens Exceeded: Number of input tokens exceeds maximum length. Please update the input to try again."
)

// nova reports whether m is an Amazon Nova model.
func nova(m *catalog.Model) bool { return strings.HasPrefix(m.ID, "amazon.nova") }

// validateModelInput applies the checks the model itself makes once Bedrock's own have
// passed, in the order its native request is built: its schema, its media, its context
// window. They are Nova's: a video in a toolResult (Nova's native schema has none: seen on
// Nova 2 Lite and assumed for the Nova models before it), image bytes of another type than
// the declared format (detected as mimeType does), and input over the catalogue's context
// window. No other model's message for input over its context window was found, so others
// are not checked.
func validateModelInput(req *ConverseRequest, m *catalog.Model) *Error {
	if !nova(m) {
		return nil
	}
	for i, msg := range req.Messages {
		for j, b := range msg.Content {
			if b.ToolResult == nil {
				continue
			}
			for _, c := range b.ToolResult.Content {
				if c.Video != nil {
					return modelStreamError(msgNovaToolResult, i, j)
				}
			}
		}
	}
	for _, msg := range req.Messages {
		for _, b := range msg.Content {
			if img := b.Image; img != nil && img.Source.S3Location == nil && len(img.Source.Bytes) > 0 {
				if got, want := mimeType(img.Source.Bytes), "image/"+img.Format; got != want {
					return modelStreamError(msgNovaMIME, got, want)
				}
			}
		}
	}
	if n, _ := inputTokens(req); m.ContextWindow > 0 && n > m.ContextWindow {
		return modelStreamError(msgNovaInputTokens)
	}
	return nil
}

// mimeType is the media type of b as Bedrock detects it, by content: net/http's sniffing
// (the WHATWG algorithm) without parameters. It gives image/png, image/jpeg, image/gif and
// image/webp for those signatures, text/plain for text (what Bedrock names ASCII text sent
// as a png) and application/octet-stream for what it cannot tell.
func mimeType(b []byte) string {
	t, _, _ := strings.Cut(http.DetectContentType(b), ";")
	return t
}
