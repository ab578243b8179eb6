package catalog

import "slices"

// Model is one Bedrock text model as the Converse and ConverseStream operations see it: what
// it accepts, what it supports, and the conversation rules that differ from model to model.
//
// Models handed out by a Catalog are shared and must not be modified; copy one before
// changing it.
type Model struct {
	// ID is the foundation-model ID, e.g. "anthropic.claude-3-haiku-20240307-v1:0". It is
	// what follows "foundation-model/" in the model's ARN and what a geography prefix
	// ("us.", "global.") is put in front of to make a cross-Region inference profile ID.
	ID string `json:"id"`
	// Provider is the provider part of the ID ("amazon", "anthropic", "meta", …).
	Provider string `json:"provider"`
	// Name is the model's display name, e.g. "Claude 3 Haiku".
	Name string `json:"name"`
	// Input lists the content the model takes in user messages. Every model takes text;
	// the others are image, document, video and audio. A block of a kind not listed is
	// rejected ("This model doesn't support the image field for user messages. …").
	Input []Modality `json:"input"`
	// S3Sources reports whether image, document and video sources may be an s3Location.
	// When false Bedrock answers "This model doesn't support the s3Uri field. …".
	S3Sources bool `json:"s3Sources"`
	// Supports lists the optional Converse features the model has.
	Supports Features `json:"supports"`
	// MaxOutputTokens is the model's documented output limit. Zero means unknown: no limit
	// is checked.
	MaxOutputTokens int `json:"maxOutputTokens"`
	// MaxTokensLimit, when set, is the inferenceConfig.maxTokens value above which Bedrock
	// rejects a request, where that differs from MaxOutputTokens (Claude Sonnet 4.5 was
	// seen rejecting with "limit of 200000"). Use TokenLimit to read the effective limit.
	MaxTokensLimit int `json:"maxTokensLimit,omitempty"`
	// MaxTokensError says who rejects a maxTokens over the limit, and so which message is
	// sent: Bedrock ("The maximum tokens you requested exceeds the model limit of N. Try
	// again with a maximum tokens value that is lower than N.") or the model ("The model
	// returned the following errors: The maximum tokens you requested exceeds the model
	// limit of N").
	MaxTokensError Level `json:"maxTokensError"`
	// ContextWindow is the model's input context in tokens, zero if unknown.
	ContextWindow int `json:"contextWindow"`
	// OnDemand reports whether the bare foundation-model ID (or its foundation-model ARN)
	// may be invoked directly. When false Bedrock answers with the needs-profile message
	// and only an inference profile works. Bedrock decides this per Region; true here
	// means "in at least one Region".
	OnDemand bool `json:"onDemand"`
	// Profiles lists the geography prefixes of the cross-Region inference profiles that
	// contain the model ("us", "eu", "apac", "jp", "au", "ca", "global", "us-gov"). A
	// profile ID is prefix + "." + ID; any other prefix is an invalid model identifier.
	Profiles []string `json:"profiles"`
	// Conversation holds the conversation rules that differ between models.
	Conversation Rules `json:"conversation"`
	// Inference holds the inferenceConfig rules that differ between models.
	Inference InferenceRules `json:"inference"`
	// Usage says which optional keys the model's answers carry in their usage block.
	Usage UsageKeys `json:"usage"`
	// UpstreamModel, when set, is the model an OpenAI-compatible upstream (serve --upstream,
	// package upstream) answers this model's calls with, unless an --upstream-model pattern
	// other than the default matches. The built-in catalogue sets none: it is for a --models
	// file.
	UpstreamModel string `json:"upstreamModel,omitempty"`
	// Notes says where the less obvious values come from.
	Notes string `json:"notes,omitempty"`
}

// Features lists the optional Converse features a model supports.
type Features struct {
	// System reports whether a system prompt is accepted. When false Bedrock answers "This
	// model doesn't support system messages. …" (Mistral 7B, Mixtral, Titan).
	System bool `json:"system"`
	// ToolUse reports whether toolConfig is accepted ("This model doesn't support tool
	// use." otherwise).
	ToolUse bool `json:"toolUse"`
	// StreamingToolUse reports whether toolConfig is accepted by ConverseStream ("This
	// model doesn't support tool use in streaming mode." otherwise). Implies ToolUse.
	StreamingToolUse bool `json:"streamingToolUse"`
	// ToolChoiceAny reports whether toolConfig.toolChoice.any is accepted.
	ToolChoiceAny bool `json:"toolChoiceAny"`
	// ToolChoiceTool reports whether toolConfig.toolChoice.tool is accepted.
	ToolChoiceTool bool `json:"toolChoiceTool"`
	// Reasoning reports whether the model can return reasoningContent blocks.
	Reasoning bool `json:"reasoning"`
	// Citations reports whether document citations can be enabled.
	Citations bool `json:"citations"`
	// PromptCaching reports whether cachePoint blocks are accepted.
	PromptCaching bool `json:"promptCaching"`
}

// Rules are the conversation rules that differ between models (docs/wire-facts.md §4 and §2.5).
type Rules struct {
	// AssistantFirst reports whether the first message may come from the assistant.
	// Claude Sonnet 4.5 accepts it; Claude 3.5 and Llama 3 answer "A conversation must
	// start with a user message. …".
	AssistantFirst bool `json:"assistantFirst"`
	// LastAssistant says what happens when the last message comes from the assistant.
	LastAssistant LastAssistant `json:"lastAssistant"`
	// BlankText says which message a text block that is empty or only whitespace gets.
	BlankText BlankText `json:"blankText"`
	// MixedToolTurns reports whether text (or other conversation blocks) may share a user
	// turn with toolResult blocks. When false Bedrock answers "messages.N.content:
	// Conversation blocks and tool result blocks cannot be provided in the same turn."
	// (Llama, Mistral; Claude 3 Opus in BerriAI/litellm#6053).
	MixedToolTurns bool `json:"mixedToolTurns"`
	// MixedToolUse reports whether text may share an assistant turn with toolUse blocks.
	// When false Bedrock answers "messages.N.content: Conversation blocks and tool use
	// blocks cannot be provided in the same turn." (Llama, Mistral:
	// quarkiverse/quarkus-langchain4j#1983). Claude answers text then toolUse in one turn
	// (docs/wire-facts.md §2.5, dd-trace-py bedrock_converse.yaml), and takes it back.
	MixedToolUse bool `json:"mixedToolUse"`
}

// InferenceRules are the inferenceConfig rules that differ between models.
type InferenceRules struct {
	// Unsupported lists inferenceConfig members the model rejects with "This model doesn't
	// support the <name> field. Remove <name> and try again.": "temperature", "topP",
	// "stopSequences".
	Unsupported []string `json:"unsupported"`
	// TemperatureXorTopP reports whether temperature and topP may not both be set; the
	// model then answers "The model returned the following errors: `temperature` and
	// `top_p` cannot both be specified for this model. Please use only one." (Claude
	// Sonnet 4.5 and later).
	TemperatureXorTopP bool `json:"temperatureXorTopP"`
}

// UsageKeys says which keys beside inputTokens, outputTokens and totalTokens Bedrock writes in
// a model's usage block today, when the request has no cachePoint (with one, the cache keys
// are always there). The rule is read from the recordings (docs/wire-facts.md §8).
type UsageKeys struct {
	// ServerToolUsage: "serverToolUsage":{} in the usage of Converse and of the stream's
	// metadata event. Every recording since 2025-10 has it, whatever the model; none before.
	ServerToolUsage bool `json:"serverToolUsage"`
	// CacheZeros: cacheReadInputTokens, cacheWriteInputTokens and their …Count duplicates,
	// as zeros, in a Converse answer's usage (not in the stream's), without a cachePoint
	// (Claude 4.5 and 4.6).
	CacheZeros bool `json:"cacheZeros"`
}

// Modality is a kind of content a model takes in.
type Modality string

// The modalities.
const (
	Text     Modality = "text"
	Image    Modality = "image"
	Document Modality = "document"
	Video    Modality = "video"
	Audio    Modality = "audio"
)

// LastAssistant says how a model treats a conversation whose last message comes from the
// assistant.
type LastAssistant string

// The LastAssistant values.
const (
	// LastAssistantAllowed accepts it: the message is a prefill the model continues.
	LastAssistantAllowed LastAssistant = "allowed"
	// LastAssistantNoToolPrefill rejects it only when tools are configured (Claude 3.x):
	// "The model returned the following errors: Your API request included an `assistant`
	// message in the final position, which would pre-fill the `assistant` response. When
	// using tools, pre-filling the `assistant` response is not supported."
	LastAssistantNoToolPrefill LastAssistant = "noToolPrefill"
	// LastAssistantNoPrefill always rejects it (Claude Opus/Sonnet 4.6 and later): "The
	// model returned the following errors: This model does not support assistant message
	// prefill. The conversation must end with a user message."
	LastAssistantNoPrefill LastAssistant = "noPrefill"
	// LastAssistantUserRequired always rejects it with Bedrock's own message (Llama): "The
	// model that you are using requires the last turn in the conversation to be a user
	// message. Add a user message to the conversation and try again."
	LastAssistantUserRequired LastAssistant = "userRequired"
)

// BlankText says which check rejects an empty or whitespace-only text block.
type BlankText string

// The BlankText values.
const (
	// BlankTextBedrock is Bedrock's own check: "The text field in the ContentBlock object
	// at messages.N.content.M is blank. Add text to the text field, and try again."
	BlankTextBedrock BlankText = "bedrock"
	// BlankTextAnthropic is Anthropic's check: "The model returned the following errors:
	// messages: text content blocks must contain non-whitespace text" (or "… must be
	// non-empty" for an empty string).
	BlankTextAnthropic BlankText = "anthropic"
)

// Level says who answers a check: Bedrock itself or the model behind it (whose messages
// start "The model returned the following errors: ").
type Level string

// The Level values.
const (
	LevelBedrock Level = "bedrock"
	LevelModel   Level = "model"
)

// Accepts reports whether the model takes content of kind k.
func (m *Model) Accepts(k Modality) bool {
	return slices.Contains(m.Input, k)
}

// HasProfile reports whether the model is in the cross-Region inference profile with the
// geography prefix p ("us", "global", …).
func (m *Model) HasProfile(p string) bool {
	return slices.Contains(m.Profiles, p)
}

// TokenLimit is the inferenceConfig.maxTokens value above which a request is rejected:
// MaxTokensLimit if set, else MaxOutputTokens. Zero means no limit is checked.
func (m *Model) TokenLimit() int {
	if m.MaxTokensLimit > 0 {
		return m.MaxTokensLimit
	}
	return m.MaxOutputTokens
}

// clone returns a deep copy of m, so that decoding over the copy leaves m alone
// (encoding/json reuses a slice's backing array).
func (m *Model) clone() *Model {
	c := *m
	c.Input = slices.Clone(m.Input)
	c.Profiles = slices.Clone(m.Profiles)
	c.Inference.Unsupported = slices.Clone(m.Inference.Unsupported)
	return &c
}
