package conformance

import (
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
)

// seedModels are the ten models of the aws-samples Converse notebook (seeds/002), run one
// shot with the same prompt and inference parameters.
var seedModels = []string{
	"amazon.titan-text-express-v1",
	"amazon.titan-text-lite-v1",
	"anthropic.claude-3-5-sonnet-20240620-v1:0",
	"anthropic.claude-3-haiku-20240307-v1:0",
	"cohere.command-r-plus-v1:0",
	"cohere.command-r-v1:0",
	"meta.llama3-1-70b-instruct-v1:0",
	"meta.llama3-1-8b-instruct-v1:0",
	"mistral.mistral-large-2407-v1:0",
	"mistral.mixtral-8x7b-instruct-v0:1",
}

// flowCases are the flows of the seed documents and the everyday uses of Converse and
// ConverseStream: conversations, system prompts, media, streaming, stop sequences,
// maxTokens, guardrails, prompt caching, model-specific request fields.
func flowCases() []Case {
	seedConfig := &types.InferenceConfiguration{MaxTokens: aws.Int32(2000), Temperature: aws.Float32(0)}
	sonnet3 := "anthropic.claude-3-sonnet-20240229-v1:0"
	cases := []Case{
		{
			Name: "seed/walkthrough",
			Doc: "The getting-started walkthrough (seeds/001, seeds/003) against Claude 3 Sonnet: a basic call, " +
				"the reply appended and an image turn added, then a summary request with a system prompt; " +
				"stopReason and usage read from the last answer.",
			Tags: []string{tagSeed},
			Steps: []Step{
				{Request: Request{Model: sonnet3, Input: bedrockruntime.ConverseInput{
					Messages: []types.Message{user(text("How are you today?"))}, InferenceConfig: seedConfig,
				}}, Expect: Expect{StopReasons: textStops}},
				{Continue: true, Request: Request{Model: sonnet3, Input: bedrockruntime.ConverseInput{
					Messages:        []types.Message{user(text("Image 1:"), img(types.ImageFormatWebp, webpBytes), text("Please describe the image."))},
					InferenceConfig: seedConfig,
				}}, Expect: Expect{StopReasons: textStops}},
				{Continue: true, Request: Request{Model: sonnet3, Input: bedrockruntime.ConverseInput{
					Messages:        []types.Message{user(text("Can you please summarize our conversation so far?"))},
					System:          system("Please respond to all requests in the style of a pirate."),
					InferenceConfig: seedConfig,
				}}, Expect: Expect{StopReasons: textStops}},
			},
		},
		{
			Name: "seed/playlist",
			Doc: "The notebook's conversation with model-specific parameters (seeds/002): Claude 3.5 Sonnet, a system " +
				"prompt, temperature 0.5 and additionalModelRequestFields {\"top_k\": 200}, two user turns with the reply between.",
			Tags: []string{tagSeed},
			Steps: func() []Step {
				in := bedrockruntime.ConverseInput{
					System:                       system("You are an app that creates playlists for a radio station that plays rock and pop music. Only return song names and the artist."),
					InferenceConfig:              &types.InferenceConfiguration{Temperature: aws.Float32(0.5)},
					AdditionalModelRequestFields: document.NewLazyDocument(map[string]any{"top_k": 200}),
				}
				first, second := in, in
				first.Messages = []types.Message{user(text("Create a list of 3 pop songs."))}
				second.Messages = []types.Message{user(text("Make sure the songs are by artists from the United Kingdom."))}
				m := "anthropic.claude-3-5-sonnet-20240620-v1:0"
				return []Step{
					{Request: Request{Model: m, Input: first}, Expect: Expect{StopReasons: textStops}},
					{Continue: true, Request: Request{Model: m, Input: second}, Expect: Expect{StopReasons: textStops}},
				}
			}(),
		},
		{
			Name:  "seed/image",
			Doc:   "The notebook's image conversation (seeds/002): Claude 3.5 Sonnet describes a JPEG.",
			Tags:  []string{tagSeed},
			Steps: converse("anthropic.claude-3-5-sonnet-20240620-v1:0", messages(user(text("What's in this image?"), img(types.ImageFormatJpeg, jpegBytes()))), Expect{StopReasons: textStops}),
		},
		{
			Name:  "seed/document",
			Doc:   "The notebook's document conversation (seeds/002): Llama 3.1 8B reads a PDF named MyDocument.",
			Tags:  []string{tagSeed},
			Steps: converse("meta.llama3-1-8b-instruct-v1:0", messages(user(text("What's in this document?"), doc("MyDocument", types.DocumentFormatPdf, pdfBytes()))), Expect{StopReasons: textStops}),
		},
		{
			Name: "converse/basic",
			Doc:  "One user turn: an assistant message, a stop reason, usage that adds up, metrics, and Bedrock's wire form.",
			Steps: converse(ModelText, bedrockruntime.ConverseInput{
				Messages:        []types.Message{UserText("What is the capital of Italy? Answer in one word.")},
				InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(50), Temperature: aws.Float32(0), TopP: aws.Float32(0.9)},
			}, Expect{StopReasons: textStops}),
		},
		{
			Name:  "converse/multi-turn",
			Doc:   "A conversation that alternates user and assistant turns and ends with the user (seeds/000).",
			Steps: converse(ModelText, messages(UserText("My name is Ada."), AssistantText("Nice to meet you, Ada."), UserText("What is my name?")), Expect{StopReasons: textStops}),
		},
		{
			Name: "converse/continued",
			Doc:  "A conversation continued with the model's own reply, as the seed walkthrough builds it.",
			Steps: []Step{
				{Request: Request{Model: ModelText, Input: messages(UserText("Name a colour."))}, Expect: Expect{StopReasons: textStops}},
				{Continue: true, Request: Request{Model: ModelText, Input: messages(UserText("Name another one."))}, Expect: Expect{StopReasons: textStops}},
			},
		},
		{
			Name: "converse/system-prompt",
			Doc:  "A system prompt outside the conversation (seeds/000, seeds/003).",
			Steps: converse(ModelText, bedrockruntime.ConverseInput{
				Messages: []types.Message{UserText("How are you?")},
				System:   system("Please respond to all requests in the style of a pirate."),
			}, Expect{StopReasons: textStops}),
		},
		{
			Name:  "converse/image",
			Doc:   "An image (PNG) with a question, on a model that takes images.",
			Steps: converse(ModelMultimodal, messages(user(text("What colour is the square?"), img(types.ImageFormatPng, pngBytes()))), Expect{StopReasons: textStops}),
		},
		{
			Name:  "converse/document",
			Doc:   "A PDF document with a question, on a model that takes documents.",
			Steps: converse(ModelMultimodal, messages(user(text("What does the document say?"), doc("Capitals", types.DocumentFormatPdf, pdfBytes()))), Expect{StopReasons: textStops}),
		},
		{
			Name:  "converse/unicode",
			Doc:   "Non-ASCII and HTML characters in the conversation: the answer is raw UTF-8 with <, > and & unescaped (docs/wire-facts.md §2.5 item 3).",
			Steps: both(ModelText, messages(UserText("Répète: Grüße <b>&</b> — 30°C ☀")), Expect{StopReasons: textStops}),
		},
		{
			Name: "converse/request-metadata",
			Doc:  "requestMetadata is accepted and does not change the answer's shape.",
			Steps: converse(ModelText, bedrockruntime.ConverseInput{
				Messages:        []types.Message{UserText("Say hello.")},
				RequestMetadata: map[string]string{"suite": "conformance"},
			}, Expect{StopReasons: textStops}),
		},
		{
			Name:  "converse/prefill",
			Doc:   "A final assistant message is a prefill the model continues, on models that allow it (Nova).",
			Tags:  []string{tagCatalog},
			Steps: converse("us.amazon.nova-micro-v1:0", messages(UserText("List three fruits."), AssistantText("Here are three fruits:")), Expect{StopReasons: textStops}),
		},
		{
			Name:  "converse/assistant-first",
			Doc:   "Claude Sonnet 4.5 accepts a conversation that starts with an assistant message (pydantic-ai test_bedrock_anthropic_message_history_starting_with_response.yaml).",
			Tags:  []string{tagCatalog},
			Steps: converse("us.anthropic.claude-sonnet-4-5-20250929-v1:0", messages(AssistantText("Hello, how can I help?"), UserText("Say hi.")), Expect{StopReasons: textStops}),
		},
		{
			Name:  "converse/prompt-cache",
			Doc:   "A cachePoint after the system prompt is accepted; usage still adds up, cache counts included.",
			Steps: converse(ModelText, bedrockruntime.ConverseInput{Messages: []types.Message{UserText("Say hello.")}, System: append(system("You are terse."), &types.SystemContentBlockMemberCachePoint{Value: types.CachePointBlock{Type: types.CachePointTypeDefault}})}, Expect{StopReasons: textStops}),
		},
		{
			Name:  "stream/basic",
			Tags:  []string{tagStream},
			Doc:   "ConverseStream: headers, frames, and events in Bedrock's order (docs/wire-facts.md §3); the same request's Converse answer on the emulator.",
			Steps: both(ModelText, messages(UserText("Name three colours.")), Expect{StopReasons: textStops}),
		},
		{
			Name: "stream/system-multi-turn",
			Tags: []string{tagStream},
			Doc:  "A streamed answer to a conversation with a system prompt.",
			Steps: both(ModelText, bedrockruntime.ConverseInput{
				Messages: []types.Message{UserText("My name is Ada."), AssistantText("Nice to meet you, Ada."), UserText("What is my name?")},
				System:   system("Answer briefly."),
			}, Expect{StopReasons: textStops}),
		},
		{
			Name:  "stream/image",
			Tags:  []string{tagStream},
			Doc:   "A streamed answer about an image.",
			Steps: both(ModelMultimodal, messages(user(text("What colour is the square?"), img(types.ImageFormatPng, pngBytes()))), Expect{StopReasons: textStops}),
		},
		{
			Name: "stop-sequence",
			Doc: "A stop sequence ends the text before it; Bedrock never returns the sequence itself. The model may finish " +
				"before reaching it (end_turn).",
			Tags: []string{tagStream},
			Steps: both(ModelText, bedrockruntime.ConverseInput{
				Messages:        []types.Message{UserText("Repeat exactly, with nothing else: one two STOP three")},
				InferenceConfig: &types.InferenceConfiguration{StopSequences: []string{"STOP"}, Temperature: aws.Float32(0)},
			}, Expect{StopReasons: []types.StopReason{types.StopReasonStopSequence, types.StopReasonEndTurn}, TextOmits: []string{"STOP"}}),
		},
		{
			Name: "max-tokens",
			Doc:  "maxTokens 5 on a request for a long text: stopReason max_tokens and at most 5 output tokens.",
			Tags: []string{tagStream},
			Steps: both(ModelText, bedrockruntime.ConverseInput{
				Messages:        []types.Message{UserText("Write a long story about a lighthouse keeper and his cat.")},
				InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(5)},
			}, Expect{StopReasons: []types.StopReason{types.StopReasonMaxTokens}, MaxOutputTokens: 5}),
		},
		{
			Name: "guardrail/converse",
			Doc: "A guardrail with trace enabled and guarded content: the model answers, or the guardrail intervenes " +
				"(guardrail_intervened) and the answer carries its trace (openllmetry test_guardrail_converse.yaml).",
			Steps: converse(ModelText, guardrailInput(), Expect{StopReasons: guardrailStops, Check: guardrailTrace}),
		},
		{
			Name:  "guardrail/stream",
			Doc:   "The same through ConverseStream: the trace comes in the metadata event (openllmetry test_guardrail_converse_stream.yaml).",
			Tags:  []string{tagStream},
			Steps: stream(ModelText, guardrailInput(), Expect{StopReasons: guardrailStops, Check: guardrailTrace}),
		},
		{
			Name: "model-fields/anthropic-top-k",
			Doc:  "Claude takes top_k in additionalModelRequestFields (seeds/002).",
			Steps: converse(ModelAnthropic, bedrockruntime.ConverseInput{
				Messages:                     []types.Message{UserText("Say hello.")},
				AdditionalModelRequestFields: document.NewLazyDocument(map[string]any{"top_k": 200}),
			}, Expect{StopReasons: textStops}),
		},
		{
			Name: "model-fields/nova-top-k",
			Doc:  "Nova takes topK under inferenceConfig in additionalModelRequestFields (Amazon Nova user guide, \"Using the Converse API\").",
			Steps: converse("us.amazon.nova-micro-v1:0", bedrockruntime.ConverseInput{
				Messages:                     []types.Message{UserText("Say hello.")},
				AdditionalModelRequestFields: document.NewLazyDocument(map[string]any{"inferenceConfig": map[string]any{"topK": 20}}),
			}, Expect{StopReasons: textStops}),
		},
		{
			Name:    "model-fields/anthropic-unknown",
			Doc:     "Claude rejects a member it does not know in additionalModelRequestFields (https://github.com/BerriAI/litellm/issues/13825, Claude Sonnet 4 inference profile).",
			Pending: pendingFields,
			Steps: rejects("us.anthropic.claude-sonnet-4-20250514-v1:0", bedrockruntime.ConverseInput{
				Messages:                     []types.Message{UserText("Say hello.")},
				AdditionalModelRequestFields: document.NewLazyDocument(map[string]any{"guardrails": map[string]any{"enabled": true}}),
			}, "The model returned the following errors: guardrails: Extra inputs are not permitted"),
		},
		{
			Name: "model-fields/nova-unknown",
			Doc: "Nova rejects a member it does not know in additionalModelRequestFields (https://github.com/UKGovernmentBEIS/inspect_ai/issues/3939; " +
				"the \"The model returned the following errors: \" prefix is inferred from pydantic-ai's Nova recording).",
			Tags:    []string{tagUnverified},
			Pending: pendingFields,
			Steps: rejects("us.amazon.nova-micro-v1:0", bedrockruntime.ConverseInput{
				Messages:                     []types.Message{UserText("Say hello.")},
				AdditionalModelRequestFields: document.NewLazyDocument(map[string]any{"top_k": 5}),
			}, "The model returned the following errors: Malformed input request: #: extraneous key [top_k] is not permitted, please reformat your input and try again."),
		},
	}
	for _, m := range seedModels {
		cases = append(cases, Case{
			Name: "seed/one-shot/" + m,
			Doc:  "The notebook's one-shot call (seeds/002), with Converse then ConverseStream: temperature 0, maxTokens 2000, topP 0.9.",
			Tags: []string{tagSeed, tagStream},
			Steps: both(m, bedrockruntime.ConverseInput{
				Messages:        []types.Message{UserText("What is the capital of Italy?")},
				InferenceConfig: &types.InferenceConfiguration{Temperature: aws.Float32(0), MaxTokens: aws.Int32(2000), TopP: aws.Float32(0.9)},
			}, Expect{StopReasons: textStops}),
		})
	}
	return cases
}

var guardrailStops = []types.StopReason{types.StopReasonEndTurn, types.StopReasonMaxTokens, types.StopReasonGuardrailIntervened}

func guardrailInput() bedrockruntime.ConverseInput {
	return bedrockruntime.ConverseInput{
		Messages: []types.Message{user(
			&types.ContentBlockMemberGuardContent{Value: &types.GuardrailConverseContentBlockMemberText{Value: types.GuardrailConverseTextBlock{Text: aws.String("What is the capital of Italy?")}}},
			text("Answer in one sentence."),
		)},
		GuardrailConfig: &types.GuardrailConfiguration{
			GuardrailIdentifier: aws.String(GuardrailPlaceholder),
			Trace:               types.GuardrailTraceEnabled,
		},
	}
}

// guardrailTrace: a guardrail that intervened with trace enabled says so in the trace.
func guardrailTrace(a *Answer) error {
	if a.StopReason == types.StopReasonGuardrailIntervened && (a.Trace == nil || a.Trace.Guardrail == nil) {
		return errors.New("stopReason guardrail_intervened with trace enabled, but the answer has no guardrail trace")
	}
	return nil
}
