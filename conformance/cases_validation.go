package conformance

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
)

// validationCases are the checks Bedrock makes before a model runs, each with the exact
// message real Bedrock sends (docs/wire-facts.md §4 and §7 give the
// sources; the Doc of each case repeats it). Cases whose message could not be found are
// tagged "unverified": they hold the emulator to its own closest guess, and a run against
// real Bedrock tells whether the guess is right.
func validationCases() []Case {
	hi := UserText("Hello")
	// Fixed model IDs: these rules belong to particular models (internal/catalog).
	const (
		novaMicro   = "us.amazon.nova-micro-v1:0"
		novaLite    = "us.amazon.nova-lite-v1:0"
		claude3     = "us.anthropic.claude-3-haiku-20240307-v1:0"
		llama31     = "meta.llama3-1-8b-instruct-v1:0"
		mistral7b   = "mistral.mistral-7b-instruct-v0:2"
		mistralL2   = "mistral.mistral-large-2407-v1:0"
		commandR    = "cohere.command-r-v1:0"
		deepseekR1  = "us.deepseek.r1-v1:0"
		sonnet45    = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
		sonnet46    = "us.anthropic.claude-sonnet-4-6"
		llama32V    = "us.meta.llama3-2-11b-instruct-v1:0"
		claude37    = "us.anthropic.claude-3-7-sonnet-20250219-v1:0"
		toolID      = "tooluse_conformance0000001"
		otherToolID = "tooluse_conformance0000002"
	)
	weatherTools := tools(nil, weatherTool)
	callWeather := assistant(toolUse(toolID, "get_weather", map[string]any{"city": "Paris"}))
	v := func(name, doc, model string, in bedrockruntime.ConverseInput, message string, tags ...string) Case {
		return Case{Name: "validation/" + name, Doc: doc, Tags: append([]string{tagValidation}, tags...), Steps: rejects(model, in, message)}
	}
	// converseOnly keeps a case's Converse step: on a model without streaming tool use,
	// ConverseStream rejects any toolConfig with that message first.
	converseOnly := func(c Case) Case { c.Steps = c.Steps[:1]; return c }

	return []Case{
		// Conversation structure.
		v("no-messages", "A request without messages (pydantic/pydantic-ai#4495, elastic/kibana#246393).",
			ModelText, bedrockruntime.ConverseInput{Messages: []types.Message{}},
			"A conversation must start with a user message. Try again with a conversation that starts with a user message."),
		v("empty-content", "A message whose content is empty (vercel/ai amazon-bedrock-empty-message-validation-error.json, recorded 2026-08-05).",
			ModelText, messages(hi, assistant(), UserText("Again")),
			"The content field in the Message object at messages.1 is empty. Add a ContentBlock object to the content field and try again."),
		v("first-message-assistant", "A conversation that starts with the assistant, on a model that needs the user first (langgenius/dify#12340).",
			claude3, messages(AssistantText("Hello"), hi),
			"A conversation must start with a user message. Try again with a conversation that starts with a user message.", tagCatalog),
		v("roles-alternate", "Two user turns in a row (langchain-ai/langchain-aws#130, MadcowD/ell#369, cline/cline#431).",
			claude3, messages(hi, UserText("Are you there?")),
			"A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again."),
		v("roles-alternate-assistant", "Two assistant turns in a row.",
			claude3, messages(hi, AssistantText("Hi."), AssistantText("How can I help?"), UserText("Tell me a joke.")),
			"A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again."),
		v("blank-text", "A text block of white space, checked by Bedrock (aws-samples/bedrock-engineer#8, continuedev/continue#9767).",
			novaMicro, messages(UserText("   ")),
			"The text field in the ContentBlock object at messages.0.content.0 is blank. Add text to the text field, and try again."),
		v("blank-text-anthropic", "A text block of white space on Claude, checked by the model (NousResearch/hermes-agent#63983).",
			claude3, messages(UserText("   ")),
			"The model returned the following errors: messages: text content blocks must contain non-whitespace text", tagCatalog),
		v("empty-text-anthropic", "An empty text block on Claude (epam/ai-dial-adapter-bedrock integration tests).",
			claude3, messages(UserText("")),
			"The model returned the following errors: messages: text content blocks must be non-empty", tagCatalog),
		v("user-reasoning", "reasoningContent in a user message (vercel/ai issue-7034-error.json).",
			claude37, messages(user(text("Hello"), &types.ContentBlockMemberReasoningContent{Value: &types.ReasoningContentBlockMemberReasoningText{
				Value: types.ReasoningTextBlock{Text: aws.String("thinking"), Signature: aws.String("sig")}}})),
			"User messages cannot contain reasoning content. Please remove the reasoning content and try again."),

		// What a model takes.
		v("system-unsupported", "A system prompt on Mistral 7B Instruct (567-labs/instructor#1753).",
			mistral7b, bedrockruntime.ConverseInput{Messages: []types.Message{hi}, System: system("Be brief.")},
			"This model doesn't support system messages. Try again without a system message or use a model that supports system messages.", tagCatalog),
		v("image-unsupported", "An image on a text-only model (vercel/ai amazon-bedrock-validation-error-no-type.json).",
			novaMicro, messages(user(text("What is this?"), img(types.ImageFormatPng, pngBytes()))),
			"This model doesn't support the image field for user messages. Remove image and try again.", tagCatalog),
		v("document-unsupported", "A document on a text-only model; the message is modelled on the image one (not found).",
			novaMicro, messages(user(text("What is this?"), doc("Capitals", types.DocumentFormatPdf, pdfBytes()))),
			"This model doesn't support the document field for user messages. Remove document and try again.", tagCatalog, tagUnverified),
		v("video-unsupported", "A video on Claude (pydantic-ai test_multimodal_tool_return_matrix[direct-uploaded_file-video-bedrock_claude].yaml).",
			claude3, messages(user(text("What is this?"), &types.ContentBlockMemberVideo{Value: types.VideoBlock{Format: types.VideoFormatMp4, Source: &types.VideoSourceMemberBytes{Value: mp4Bytes}}})),
			"This model doesn't support the video content block that you provided. Update the content block and try again.", tagCatalog),
		v("s3-unsupported", "An image from S3 on Claude (pydantic-ai test_multimodal_tool_return_matrix[direct-uploaded_file-image-bedrock_claude].yaml).",
			claude3, messages(user(text("What is this?"), &types.ContentBlockMemberImage{Value: types.ImageBlock{Format: types.ImageFormatPng,
				Source: &types.ImageSourceMemberS3Location{Value: types.S3Location{Uri: aws.String("s3://conformance-bucket/square.png")}}}})),
			"This model doesn't support the s3Uri field. Remove s3Uri and try again.", tagCatalog),
		v("document-without-text", "A document without a text block in the same turn (archestra-ai/archestra#4220).",
			novaLite, messages(user(doc("Capitals", types.DocumentFormatPdf, pdfBytes()))),
			"A text block must be included when using documents."),
		v("document-name", "A document name with a character Bedrock does not allow (vercel/ai amazon-bedrock-invalid-document-filenames.json, recorded 2026-09-04).",
			novaLite, messages(user(text("Summarize."), doc("capitals.pdf", types.DocumentFormatPdf, pdfBytes()))),
			"The document file name can only contain alphanumeric characters, whitespace characters, hyphens, parentheses, and square brackets. The name can't contain more than one consecutive whitespace character. Check that the file name conforms to these restrictions and retry your request."),
		v("document-type", "A \"pdf\" document that is plain text (aws-samples/bedrock-chat#572).",
			novaLite, messages(user(text("Summarize."), doc("Capitals", types.DocumentFormatPdf, []byte("The capital of Italy is Rome.\n")))),
			"The detected filetype is PLAIN_TEXT, but the provided filetype was PDF."),
		v("image-type-anthropic", "PNG bytes declared as JPEG, on Claude (aws-samples/amazon-bedrock-client-for-mac#130, wire capture).",
			claude3, messages(user(img(types.ImageFormatJpeg, pngBytes()), text("What is this?"))),
			"The model returned the following errors: messages.0.content.0.image.source.bytes: The image was specified using the image/jpeg media type, but the image appears to be a image/png image", tagCatalog),
		v("image-type", "PNG bytes declared as JPEG, on Llama 3.2 Vision (boto/boto3#4415).",
			llama32V, messages(user(text("What is this?"), img(types.ImageFormatJpeg, pngBytes()))),
			"The model returned the following errors: The provided image does not match the specified image format.", tagCatalog),

		// Tools.
		v("tool-blocks-without-tool-config", "toolUse and toolResult blocks in a request without toolConfig (vxcontrol/pentagi#196, patriceckhart/zot#18).",
			novaMicro, messages(UserText("What is the weather in Paris?"), callWeather, user(toolResult(toolID, map[string]any{"tempC": 21}))),
			"The toolConfig field must be defined when using toolUse and toolResult content blocks."),
		v("too-many-tool-results", "More toolResult blocks than the previous turn has toolUse blocks (Just-Curieous/Curie#16, pydantic/pydantic-ai#2327).",
			novaMicro, messagesWith(weatherTools, UserText("What is the weather in Paris?"), callWeather,
				user(toolResult(toolID, map[string]any{"tempC": 21}), toolResult(otherToolID, map[string]any{"tempC": 22}))),
			"The number of toolResult blocks at messages.2.content exceeds the number of toolUse blocks of previous turn."),
		v("missing-tool-results", "A toolUse left without its toolResult (zeroclaw-labs/zeroclaw#1476).",
			novaMicro, messagesWith(weatherTools, UserText("What is the weather in Paris and Rome?"),
				assistant(toolUse(toolID, "get_weather", map[string]any{"city": "Paris"}), toolUse(otherToolID, "get_weather", map[string]any{"city": "Rome"})),
				user(toolResult(toolID, map[string]any{"tempC": 21}))),
			"Expected toolResult blocks at messages.2.content for the following Ids: "+otherToolID),
		v("duplicate-tool-use-ids", "Two toolUse blocks with one ID (vercel/ai amazon-bedrock-mistral-duplicate-tool-call-ids-error.json).",
			novaMicro, messagesWith(weatherTools, UserText("What is the weather in Paris and Rome?"),
				assistant(toolUse("tooluseAc", "get_weather", map[string]any{"city": "Paris"}), toolUse("tooluseAc", "get_weather", map[string]any{"city": "Rome"})),
				user(toolResult("tooluseAc", map[string]any{"tempC": 21}))),
			"The toolUse blocks at messages.1.content contain duplicate Ids: tooluseAc"),
		converseOnly(v("mixed-tool-result-turn", "Text and a toolResult in one turn, on Mistral (browser-use/browser-use#710).",
			mistralL2, messagesWith(weatherTools, UserText("What is the weather in Paris?"), callWeather,
				user(toolResult(toolID, map[string]any{"tempC": 21}), text("And tomorrow?"))),
			"messages.2.content: Conversation blocks and tool result blocks cannot be provided in the same turn.", tagCatalog)),
		converseOnly(v("mixed-tool-use-turn", "Text and a toolUse in one assistant turn, on Mistral (quarkiverse/quarkus-langchain4j#1983).",
			mistralL2, messagesWith(weatherTools, UserText("What is the weather in Paris?"),
				assistant(text("Let me check."), toolUse(toolID, "get_weather", map[string]any{"city": "Paris"})),
				user(toolResult(toolID, map[string]any{"tempC": 21}))),
			"messages.1.content: Conversation blocks and tool use blocks cannot be provided in the same turn.", tagCatalog)),
		v("tool-use-unsupported", "toolConfig on DeepSeek-R1 (langchain-ai/langchain-aws#447).",
			deepseekR1, messagesWith(weatherTools, hi),
			"This model doesn't support tool use.", tagCatalog),
		Case{Name: "validation/stream-tool-use-unsupported", Tags: []string{tagValidation, tagCatalog, tagStream},
			Doc: "toolConfig through ConverseStream on a model with tool use but not in streaming mode (earendil-works/pi#3739, danny-avila/LibreChat#6351); Converse takes it.",
			Steps: []Step{
				{Stream: true, Request: Request{Model: llama31, Input: messagesWith(weatherTools, UserText("What is the weather in Paris?"))},
					Expect: Expect{Error: &WantError{Type: "ValidationException", Message: "This model doesn't support tool use in streaming mode."}}},
			}},
		v("tool-choice-any-unsupported", "toolChoice any on a model without it (strands-agents/harness-sdk#1241).",
			commandR, messagesWith(tools(choiceAny, weatherTool), hi),
			"This model doesn't support the toolConfig.toolChoice.any field. Remove toolConfig.toolChoice.any and try again.", tagCatalog),
		converseOnly(v("tool-choice-tool-unsupported", "toolChoice tool on a model without it (maximhq/bifrost#3196, Llama 4 and 3.x; docs/wire-facts.md §7.3).",
			mistralL2, messagesWith(tools(choiceTool("get_weather"), weatherTool), hi),
			"This model doesn't support the toolConfig.toolChoice.tool field. Remove toolConfig.toolChoice.tool and try again.", tagCatalog)),
		v("tool-choice-unknown-tool", "toolChoice tool naming a tool that is not configured; Anthropic's own words with the model prefix (not found through Bedrock).",
			ModelText, messagesWith(tools(choiceTool("no_such_tool"), weatherTool), hi),
			"The model returned the following errors: Tool 'no_such_tool' not found in provided tools", tagUnverified),
		v("tool-result-json-not-object", "A toolResult json that is not an object (aws/aws-sdk-js-v3#7330, sigoden/aichat#1550).",
			novaMicro, messagesWith(weatherTools, UserText("What is the weather in Paris?"), callWeather,
				user(&types.ContentBlockMemberToolResult{Value: types.ToolResultBlock{ToolUseId: aws.String(toolID),
					Content: []types.ToolResultContentBlock{&types.ToolResultContentBlockMemberJson{Value: document.NewLazyDocument([]any{21, 22})}}}})),
			"The format of the value at messages.2.content.0.toolResult.content.0.json is invalid. Provide a json object for the field and try again."),
		v("input-schema-not-object", "A tool input schema that is not an object (aws/aws-sdk-net#3377).",
			novaMicro, messagesWith(tools(nil, &types.ToolMemberToolSpec{Value: types.ToolSpecification{
				Name: aws.String("get_weather"), InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument("object")},
			}}), hi),
			"The format of the value at toolConfig.tools.0.toolSpec.inputSchema.json is invalid. Provide a json object for the field and try again."),
		v("additional-fields-not-object", "additionalModelRequestFields that is not an object; the message is inferred from the toolResult json one.",
			novaMicro, bedrockruntime.ConverseInput{Messages: []types.Message{hi}, AdditionalModelRequestFields: document.NewLazyDocument("top_k")},
			"The format of the value at additionalModelRequestFields is invalid. Provide a json object for the field and try again.", tagUnverified),

		// The last turn.
		v("last-assistant-llama", "A final assistant message on Llama (i-am-bee/beeai-framework#753).",
			llama31, messages(hi, AssistantText("Hi")),
			"The model that you are using requires the last turn in the conversation to be a user message. Add a user message to the conversation and try again.", tagCatalog),
		v("last-assistant-claude3-tools", "A final assistant message with tools configured, on Claude 3 (run-llama/llama_index#17616, langchain-ai/langchain-aws#124).",
			claude3, messagesWith(weatherTools, hi, AssistantText("Let me")),
			"The model returned the following errors: Your API request included an `assistant` message in the final position, which would pre-fill the `assistant` response. When using tools, pre-filling the `assistant` response is not supported.", tagCatalog),
		v("last-assistant-claude46", "A final assistant message on Claude Sonnet 4.6, which takes no prefill (NousResearch/hermes-agent#101401, anomalyco/opencode#29760).",
			sonnet46, messages(hi, AssistantText("Hi")),
			"The model returned the following errors: This model does not support assistant message prefill. The conversation must end with a user message.", tagCatalog),

		// Inference parameters against the model.
		v("max-tokens-over-limit", "maxTokens above Nova's output limit, checked by Bedrock (docs/wire-facts.md §7.4).",
			novaMicro, bedrockruntime.ConverseInput{Messages: []types.Message{hi}, InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(10001)}},
			"The maximum tokens you requested exceeds the model limit of 10000. Try again with a maximum tokens value that is lower than 10000.", tagCatalog),
		v("max-tokens-over-limit-model", "maxTokens above Claude Sonnet 4.5's limit, checked by the model (aws-solutions-library-samples/accelerated-intelligent-document-processing-on-aws#204).",
			sonnet45, bedrockruntime.ConverseInput{Messages: []types.Message{hi}, InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(200001)}},
			"The model returned the following errors: The maximum tokens you requested exceeds the model limit of 200000", tagCatalog),
		v("temperature-and-top-p", "temperature and topP together on Claude Sonnet 4.5 (internal/catalog notes).",
			sonnet45, bedrockruntime.ConverseInput{Messages: []types.Message{hi}, InferenceConfig: &types.InferenceConfiguration{Temperature: aws.Float32(0.5), TopP: aws.Float32(0.9)}},
			"The model returned the following errors: `temperature` and `top_p` cannot both be specified for this model. Please use only one.", tagCatalog),

		// The API model's constraints (internal/spec).
		v("max-tokens-zero", "maxTokens 0 (microsoft/semantic-kernel#9750; API model: min 1).",
			ModelText, bedrockruntime.ConverseInput{Messages: []types.Message{hi}, InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(0)}},
			"1 validation error detected: Value '0' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1", tagSpec),
		v("temperature-range", "temperature 1.5 (stdapi-ai/stdapi.ai#224, verified live on Nova Micro; API model: max 1).",
			ModelText, bedrockruntime.ConverseInput{Messages: []types.Message{hi}, InferenceConfig: &types.InferenceConfiguration{Temperature: aws.Float32(1.5)}},
			"1 validation error detected: Value '1.5' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1", tagSpec),
		v("top-p-range", "topP 1.5; the form is inferred from the temperature message (API model: max 1).",
			ModelText, bedrockruntime.ConverseInput{Messages: []types.Message{hi}, InferenceConfig: &types.InferenceConfiguration{TopP: aws.Float32(1.5)}},
			"1 validation error detected: Value '1.5' at 'inferenceConfig.topP' failed to satisfy constraint: Member must have value less than or equal to 1", tagSpec, tagUnverified),
		v("tool-name-pattern", "A tool name with a dot (aws-samples/remote-swe-agents#457, elastic/kibana#206487, docs/wire-facts.md §7.3; API model: [a-zA-Z0-9_-]+).",
			ModelText, messagesWith(tools(nil, toolSpec("my.tool", "A tool.", `{"type":"object"}`)), hi),
			"1 validation error detected: Value 'my.tool' at 'toolConfig.tools.1.member.toolSpec.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+", tagSpec),
		v("tool-name-length", "A tool name of 65 characters (docs/wire-facts.md §7.3; API model: max 64).",
			ModelText, messagesWith(tools(nil, toolSpec(strings.Repeat("t", 65), "A tool.", `{"type":"object"}`)), hi),
			"1 validation error detected: Value '"+strings.Repeat("t", 65)+"' at 'toolConfig.tools.1.member.toolSpec.name' failed to satisfy constraint: Member must have length less than or equal to 64", tagSpec),
		v("tool-use-name-pattern", "A toolUse name with a dot in the history (vercel/ai bedrock-invalid-tool-name-validation-error.json); the value is left out for this member.",
			ModelText, messagesWith(weatherTools, UserText("What is the weather in Paris?"),
				assistant(toolUse(toolID, "get.weather", map[string]any{"city": "Paris"})), user(toolResult(toolID, map[string]any{"tempC": 21}))),
			"1 validation error detected: Value at 'messages.2.member.content.1.member.toolUse.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+", tagSpec),
		v("document-name-length", "A document name of 201 characters (vercel/ai amazon-bedrock-invalid-document-filenames.json; API model: max 200).",
			novaLite, messages(user(text("Summarize."), doc(strings.Repeat("d", 201), types.DocumentFormatPdf, pdfBytes()))),
			"1 validation error detected: Value at 'messages.1.member.content.2.member.document.name' failed to satisfy constraint: Member must have length less than or equal to 200", tagSpec),
	}
}
