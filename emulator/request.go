package emulator

import "encoding/json"

// The request model of Converse and ConverseStream, as the service's API model defines it
// (botocore bedrock-runtime 2023-09-30; internal/spec holds the checked-in extract). Unions
// are structs with one pointer per member; exactly one is set once a request has passed
// validation. Document-typed members stay raw JSON so their member order is kept. Blobs are
// base64 in JSON and decode to []byte.

// ConverseRequest is the body of a Converse or ConverseStream request. ModelID comes from
// the path, already URL-decoded.
type ConverseRequest struct {
	ModelID                           string                          `json:"-"`
	Messages                          []Message                       `json:"messages,omitempty"`
	System                            []SystemContentBlock            `json:"system,omitempty"`
	InferenceConfig                   *InferenceConfig                `json:"inferenceConfig,omitempty"`
	ToolConfig                        *ToolConfig                     `json:"toolConfig,omitempty"`
	GuardrailConfig                   *GuardrailConfig                `json:"guardrailConfig,omitempty"`
	AdditionalModelRequestFields      json.RawMessage                 `json:"additionalModelRequestFields,omitempty"`
	PromptVariables                   map[string]PromptVariableValues `json:"promptVariables,omitempty"`
	AdditionalModelResponseFieldPaths []string                        `json:"additionalModelResponseFieldPaths,omitempty"`
	RequestMetadata                   map[string]string               `json:"requestMetadata,omitempty"`
	PerformanceConfig                 *PerformanceConfig              `json:"performanceConfig,omitempty"`
	ServiceTier                       *ServiceTier                    `json:"serviceTier,omitempty"`
	OutputConfig                      *OutputConfig                   `json:"outputConfig,omitempty"`
}

// Message is one turn of a conversation.
type Message struct {
	Role    string         `json:"role"`
	Content []ContentBlock `json:"content"`
}

// Roles of a Message.
const (
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// ContentBlock is the ContentBlock union.
type ContentBlock struct {
	Text             *string                `json:"text,omitempty"`
	Image            *MediaBlock            `json:"image,omitempty"`
	Document         *DocumentBlock         `json:"document,omitempty"`
	Video            *MediaBlock            `json:"video,omitempty"`
	Audio            *MediaBlock            `json:"audio,omitempty"`
	ToolUse          *ToolUseBlock          `json:"toolUse,omitempty"`
	ToolResult       *ToolResultBlock       `json:"toolResult,omitempty"`
	GuardContent     *GuardContentBlock     `json:"guardContent,omitempty"`
	CachePoint       *CachePointBlock       `json:"cachePoint,omitempty"`
	ReasoningContent *ReasoningContentBlock `json:"reasoningContent,omitempty"`
	CitationsContent json.RawMessage        `json:"citationsContent,omitempty"`
	SearchResult     *SearchResultBlock     `json:"searchResult,omitempty"`
}

// SystemContentBlock is the SystemContentBlock union.
type SystemContentBlock struct {
	Text         *string            `json:"text,omitempty"`
	GuardContent *GuardContentBlock `json:"guardContent,omitempty"`
	CachePoint   *CachePointBlock   `json:"cachePoint,omitempty"`
}

// MediaBlock is an image, video or audio block (ImageBlock, VideoBlock, AudioBlock): its
// format and its source, bytes or an S3 location.
type MediaBlock struct {
	Format string      `json:"format"`
	Source MediaSource `json:"source"`
}

// MediaSource is the ImageSource, VideoSource and AudioSource union.
type MediaSource struct {
	Bytes      []byte      `json:"bytes,omitempty"`
	S3Location *S3Location `json:"s3Location,omitempty"`
}

// S3Location names an object in Amazon S3.
type S3Location struct {
	URI         string `json:"uri"`
	BucketOwner string `json:"bucketOwner,omitempty"`
}

// DocumentBlock is a document given to the model.
type DocumentBlock struct {
	Format    string          `json:"format,omitempty"`
	Name      string          `json:"name"`
	Source    DocumentSource  `json:"source"`
	Context   *string         `json:"context,omitempty"`
	Citations *CitationConfig `json:"citations,omitempty"`
}

// DocumentSource is the DocumentSource union.
type DocumentSource struct {
	Bytes      []byte          `json:"bytes,omitempty"`
	S3Location *S3Location     `json:"s3Location,omitempty"`
	Text       *string         `json:"text,omitempty"`
	Content    json.RawMessage `json:"content,omitempty"`
}

// CitationConfig turns citations on for a document.
type CitationConfig struct {
	Enabled bool `json:"enabled"`
}

// ToolUseBlock is a tool call made by the model in an earlier turn.
type ToolUseBlock struct {
	ToolUseID string          `json:"toolUseId"`
	Name      string          `json:"name"`
	Input     json.RawMessage `json:"input"`
	Type      string          `json:"type,omitempty"`
}

// ToolResultBlock answers a ToolUseBlock.
type ToolResultBlock struct {
	ToolUseID string                   `json:"toolUseId"`
	Content   []ToolResultContentBlock `json:"content"`
	Status    string                   `json:"status,omitempty"`
	Type      string                   `json:"type,omitempty"`
}

// ToolResultContentBlock is the ToolResultContentBlock union.
type ToolResultContentBlock struct {
	JSON         json.RawMessage    `json:"json,omitempty"`
	Text         *string            `json:"text,omitempty"`
	Image        *MediaBlock        `json:"image,omitempty"`
	Document     *DocumentBlock     `json:"document,omitempty"`
	Video        *MediaBlock        `json:"video,omitempty"`
	SearchResult *SearchResultBlock `json:"searchResult,omitempty"`
}

// GuardContentBlock is the GuardrailConverseContentBlock union: content a guardrail checks.
type GuardContentBlock struct {
	Text  *GuardText      `json:"text,omitempty"`
	Image json.RawMessage `json:"image,omitempty"`
}

// GuardText is text for a guardrail, with optional qualifiers.
type GuardText struct {
	Text       string   `json:"text"`
	Qualifiers []string `json:"qualifiers,omitempty"`
}

// CachePointBlock marks a prompt-cache checkpoint.
type CachePointBlock struct {
	Type string `json:"type"`
	TTL  string `json:"ttl,omitempty"`
}

// ReasoningContentBlock is the ReasoningContentBlock union: reasoning text (with its
// signature) or redacted reasoning.
type ReasoningContentBlock struct {
	ReasoningText   *ReasoningText `json:"reasoningText,omitempty"`
	RedactedContent []byte         `json:"redactedContent,omitempty"`
}

// ReasoningText is a model's reasoning and the signature that vouches for it.
type ReasoningText struct {
	Text      string `json:"text"`
	Signature string `json:"signature,omitempty"`
}

// SearchResultBlock is a search result given to the model.
type SearchResultBlock struct {
	Source    string          `json:"source"`
	Title     string          `json:"title"`
	Content   json.RawMessage `json:"content"`
	Citations *CitationConfig `json:"citations,omitempty"`
}

// InferenceConfig holds the inference parameters common to all models.
type InferenceConfig struct {
	MaxTokens     *int     `json:"maxTokens,omitempty"`
	Temperature   *float64 `json:"temperature,omitempty"`
	TopP          *float64 `json:"topP,omitempty"`
	StopSequences []string `json:"stopSequences,omitempty"`
}

// ToolConfig lists the tools the model may call and how it must choose.
type ToolConfig struct {
	Tools      []Tool      `json:"tools"`
	ToolChoice *ToolChoice `json:"toolChoice,omitempty"`
}

// Tool is the Tool union.
type Tool struct {
	ToolSpec   *ToolSpec        `json:"toolSpec,omitempty"`
	SystemTool *SystemTool      `json:"systemTool,omitempty"`
	CachePoint *CachePointBlock `json:"cachePoint,omitempty"`
}

// ToolSpec describes a tool: its name and the JSON schema of its input.
type ToolSpec struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	InputSchema ToolInputSchema `json:"inputSchema"`
	Strict      *bool           `json:"strict,omitempty"`
}

// ToolInputSchema is the ToolInputSchema union.
type ToolInputSchema struct {
	JSON json.RawMessage `json:"json,omitempty"`
}

// SystemTool is a tool the service provides.
type SystemTool struct {
	Name string `json:"name"`
}

// ToolChoice is the ToolChoice union.
type ToolChoice struct {
	Auto *struct{}        `json:"auto,omitempty"`
	Any  *struct{}        `json:"any,omitempty"`
	Tool *SpecificToolRef `json:"tool,omitempty"`
}

// SpecificToolRef names the tool the model must call.
type SpecificToolRef struct {
	Name string `json:"name"`
}

// GuardrailConfig names a guardrail to apply.
type GuardrailConfig struct {
	GuardrailIdentifier  string `json:"guardrailIdentifier,omitempty"`
	GuardrailVersion     string `json:"guardrailVersion,omitempty"`
	Trace                string `json:"trace,omitempty"`
	StreamProcessingMode string `json:"streamProcessingMode,omitempty"`
}

// PromptVariableValues is the PromptVariableValues union.
type PromptVariableValues struct {
	Text *string `json:"text,omitempty"`
}

// PerformanceConfig asks for latency-optimized inference.
type PerformanceConfig struct {
	Latency string `json:"latency,omitempty"`
}

// ServiceTier names the service tier of a request.
type ServiceTier struct {
	Type string `json:"type"`
}

// OutputConfig asks for structured output.
type OutputConfig struct {
	TextFormat json.RawMessage `json:"textFormat,omitempty"`
}
