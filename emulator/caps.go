package emulator

import "github.com/bedrock-emulator/bedrock-emulator/internal/catalog"

// modelCaps is what the conversation rules need to know of a model, read from its
// catalogue entry.
type modelCaps struct {
	system, images, documents, video, audio, s3 bool
	toolUse, streamToolUse                      bool
	toolChoiceAny, toolChoiceTool               bool
	// assistantFirst: the conversation may start with an assistant message.
	assistantFirst bool
	// lastAssistant says what a final assistant message (prefill) gets.
	lastAssistant string
	// anthropicText: blank text and image checks answer in Anthropic's words.
	anthropicText bool
	// mixedToolTurns: text and tool blocks may share a turn.
	mixedToolTurns      bool
	maxOutputTokens     int
	modelLevelMaxTokens bool
	unsupportedParams   []string
}

// What a final assistant message gets.
const (
	lastAssistantAllowed        = ""
	lastAssistantUserRequired   = "user-required"
	lastAssistantNoPrefill      = "no-prefill"
	lastAssistantNoToolsPrefill = "no-prefill-with-tools"
)

func capsOf(m *catalog.Model) modelCaps {
	return modelCaps{system: true, images: true, documents: true, toolUse: true, streamToolUse: true, toolChoiceAny: true, toolChoiceTool: true, mixedToolTurns: true, maxOutputTokens: 4096}
}
