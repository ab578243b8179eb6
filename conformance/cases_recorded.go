package conformance

import (
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
)

// recordedCases send the exact requests of real Bedrock recordings (copied, with their
// sources, under internal/cassette/testdata/real-traffic; the file is named in each Doc). Run against a
// cassette of those recordings they check the invariants on real answers; run against the
// emulator they check it answers the same requests the same way. Bodies are the recorded
// JSON; the guardrail's ID is the target's (a cassette of the recording names the
// recording's, 5zwrmdlsra2e:DRAFT).
func recordedCases() []Case {
	anyStop := Expect{}
	textStop := Expect{StopReasons: textStops}
	invalid := Expect{Error: &WantError{Type: "ValidationException", Message: "The provided model identifier is invalid."}}
	rejected := func(message string) Expect {
		return Expect{Error: &WantError{Type: "ValidationException", Message: message}}
	}
	return []Case{
		{
			Name: "recorded/invalid-model",
			Doc:  "An unknown model ID through Converse. Recorded: Arize-ai/openinference should-handle-api-error-scenarios.json.",
			Tags: []string{tagRecorded},
			Steps: []Step{
				{Stream: false, Request: Request{Model: "invalid-model-id", Input: mustInput(`{"inferenceConfig":{"maxTokens":50},"messages":[{"content":[{"text":"This should fail"}],"role":"user"}]}`)}, Expect: invalid},
			},
		},
		{
			Name: "recorded/invalid-model-stream",
			Doc:  "An unknown model ID through ConverseStream: a JSON error before the stream. Recorded: Arize-ai/openinference should-handle-streaming-api-errors-gracefully.json.",
			Tags: []string{tagRecorded, tagStream},
			Steps: []Step{
				{Stream: true, Request: Request{Model: "invalid-streaming-model-id", Input: mustInput(`{"messages":[{"content":[{"text":"This streaming request should fail"}],"role":"user"}]}`)}, Expect: invalid},
			},
		},
		{
			Name: "recorded/does-not-exist",
			Doc:  "An unknown model ID, through Converse and ConverseStream. Recorded: open-telemetry/opentelemetry-python-contrib test_converse_stream_with_invalid_model.yaml; open-telemetry/opentelemetry-python-contrib test_converse_with_invalid_model.yaml.",
			Tags: []string{tagRecorded, tagStream},
			Steps: []Step{
				{Stream: false, Request: Request{Model: "does-not-exist", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"Say this is a test"}]}]}`)}, Expect: invalid},
				{Stream: true, Request: Request{Model: "does-not-exist", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"Say this is a test"}]}]}`)}, Expect: invalid},
			},
		},
		{
			Name: "recorded/unknown-profile",
			Doc:  "An inference-profile ID of no model, with an empty system list and inferenceConfig. Recorded: pydantic/pydantic-ai test_bedrock_error.yaml; pydantic/pydantic-ai test_bedrock_streaming_error.yaml.",
			Tags: []string{tagRecorded, tagStream},
			Steps: []Step{
				{Stream: false, Request: Request{Model: "us.does-not-exist-model-v1:0", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"hello"}]}],"system":[],"inferenceConfig":{}}`)}, Expect: invalid},
				{Stream: true, Request: Request{Model: "us.does-not-exist-model-v1:0", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"hello"}]}],"system":[],"inferenceConfig":{}}`)}, Expect: invalid},
			},
		},
		{
			Name: "recorded/titan-lite",
			Doc:  "Titan Text Lite with maxTokens 10, a stop sequence, temperature and topP (stopped by max_tokens). Recorded: open-telemetry/opentelemetry-js-contrib bedrock-converse-adds-genai-conventions.json; open-telemetry/opentelemetry-python-contrib test_converse_stream_with_content.yaml.",
			Tags: []string{tagRecorded, tagStream},
			Steps: []Step{
				{Stream: false, Request: Request{Model: "amazon.titan-text-lite-v1", Input: mustInput(`{"inferenceConfig":{"maxTokens":10,"stopSequences":["|"],"temperature":0.8,"topP":1},"messages":[{"content":[{"text":"Say this is a test"}],"role":"user"}]}`)}, Expect: Expect{StopReasons: append(textStops, types.StopReasonStopSequence)}},
				{Stream: true, Request: Request{Model: "amazon.titan-text-lite-v1", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"Say this is a test"}]}],"inferenceConfig":{"maxTokens":10,"temperature":0.8,"topP":1,"stopSequences":["|"]}}`)}, Expect: Expect{StopReasons: append(textStops, types.StopReasonStopSequence)}},
			},
		},
		{
			Name: "recorded/system-multi-turn",
			Doc:  "Claude 3.5 Sonnet: a system prompt and three turns. Recorded: Arize-ai/openinference should-handle-system-prompt-with-multi-turn-conversation.json.",
			Tags: []string{tagRecorded},
			Steps: []Step{
				{Stream: false, Request: Request{Model: "anthropic.claude-3-5-sonnet-20240620-v1:0", Input: mustInput(`{"inferenceConfig":{"maxTokens":100,"temperature":0.1},"messages":[{"content":[{"text":"Tell me about yourself."}],"role":"user"},{"content":[{"text":"I'm Claude, an AI assistant who loves to help and tell jokes!"}],"role":"assistant"},{"content":[{"text":"Great! Tell me a joke then."}],"role":"user"}],"system":[{"text":"You are a helpful assistant that tells jokes."}]}`)}, Expect: textStop},
			},
		},
		{
			Name: "recorded/nova-stream",
			Doc:  "Nova Micro (inference profile) streams an answer to a system prompt and one turn. Recorded: pydantic/pydantic-ai test_bedrock_model_stream.yaml.",
			Tags: []string{tagRecorded, tagStream},
			Steps: []Step{
				{Stream: true, Request: Request{Model: "us.amazon.nova-micro-v1:0", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"What is the capital of France?"}]}],"system":[{"text":"You are a helpful chatbot."}],"inferenceConfig":{"temperature":0.0}}`)}, Expect: textStop},
			},
		},
		{
			Name: "recorded/llama-stream",
			Doc:  "Llama 3.2 1B streams; additionalModelRequestFields is an empty object. Recorded: traceloop/openllmetry test_meta_converse_stream.yaml.",
			Tags: []string{tagRecorded, tagStream},
			Steps: []Step{
				{Stream: true, Request: Request{Model: "meta.llama3-2-1b-instruct-v1:0", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"Tell me a joke about opentelemetry"}]}],"system":[{"text":"You are an app that knows about everything."}],"inferenceConfig":{"temperature":0.5},"additionalModelRequestFields":{}}`)}, Expect: textStop},
			},
		},
		{
			Name: "recorded/gpt-oss-stream",
			Doc:  "gpt-oss-120b streams reasoning and an empty text delta. Recorded: pydantic/pydantic-ai test_bedrock_model_stream_empty_text_delta.yaml.",
			Tags: []string{tagRecorded, tagStream},
			Steps: []Step{
				{Stream: true, Request: Request{Model: "openai.gpt-oss-120b-1:0", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"Hi"}]}],"system":[],"inferenceConfig":{}}`)}, Expect: anyStop},
			},
		},
		{
			Name: "recorded/sonnet46-multi-turn",
			Doc:  "Claude Sonnet 4.6: three turns, an empty inferenceConfig (2026 usage shape). Recorded: crewAIInc/crewAI test_bedrock_async_conversation.yaml.",
			Tags: []string{tagRecorded},
			Steps: []Step{
				{Stream: false, Request: Request{Model: "us.anthropic.claude-sonnet-4-6", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"My name is Alice."}]},{"role":"assistant","content":[{"text":"Hello Alice! Nice to meet you."}]},{"role":"user","content":[{"text":"What is my name?"}]}],"inferenceConfig":{}}`)}, Expect: textStop},
			},
		},
		{
			Name: "recorded/assistant-first",
			Doc:  "Claude Sonnet 4.5 accepts a conversation that starts with the assistant. Recorded: pydantic/pydantic-ai test_bedrock_anthropic_message_history_starting_with_response.yaml.",
			Tags: []string{tagRecorded},
			Steps: []Step{
				{Stream: false, Request: Request{Model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0", Input: mustInput(`{"messages":[{"role":"assistant","content":[{"text":"Hello there!"}]},{"role":"user","content":[{"text":"Now say goodbye."}]}],"system":[],"inferenceConfig":{}}`)}, Expect: textStop},
			},
		},
		{
			Name: "recorded/application-inference-profile",
			Doc:  "An application-inference-profile ARN, URL-encoded. Recorded: DataDog/dd-trace-py bedrock_converse_inference_profile.yaml.",
			Tags: []string{tagRecorded},
			Steps: []Step{
				{Stream: false, Request: Request{Model: "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/1arbu5hu2sjr", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"Explain distributed tracing in one sentence."}]}],"inferenceConfig":{"maxTokens":100,"temperature":0.0}}`)}, Expect: textStop},
			},
		},
		{
			Name: "recorded/claude3-sonnet-tool",
			Doc:  "Claude 3 Sonnet with a system prompt and a tool it may call (text and toolUse in one answer). Recorded: DataDog/dd-trace-py bedrock_converse.yaml.",
			Tags: []string{tagRecorded},
			Steps: []Step{
				{Stream: false, Request: Request{Model: "anthropic.claude-3-sonnet-20240229-v1:0", Input: mustInput(`{"system":[{"text":"You are an expert swe that is to use the tool fetch_concept"}],"messages":[{"role":"user","content":[{"text":"Explain the concept of distributed tracing in a simple way"}]}],"inferenceConfig":{"temperature":0.7,"topP":0.9,"maxTokens":1000,"stopSequences":[]},"toolConfig":{"tools":[{"toolSpec":{"name":"fetch_concept","description":"Fetch an expert explanation for a concept, especially relevant for technical concepts like distributed tracing","inputSchema":{"json":{"type":"object","properties":{"concept":{"type":"string","description":"The concept to explain"}},"required":["concept"]}}}}]}}`)}, Expect: anyStop},
			},
		},
		{
			Name: "recorded/claude3-haiku-stream-tool",
			Doc:  "Claude 3 Haiku streams a tool call that is its whole answer (contentBlockStart at index 0). Recorded: Arize-ai/openinference TestConverseStream.test_invoke_tool_message.yaml.",
			Tags: []string{tagRecorded, tagStream},
			Steps: []Step{
				{Stream: true, Request: Request{Model: "anthropic.claude-3-haiku-20240307-v1:0", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"What is the most popular song on WZPZ?"}]}],"toolConfig":{"tools":[{"toolSpec":{"name":"top_song","description":"Get the most popular song played on a radio station.","inputSchema":{"json":{"type":"object","properties":{"sign":{"type":"string","description":"The call sign for the radio station"}},"required":["sign"]}}}}]}}`)}, Expect: anyStop},
			},
		},
		{
			Name: "recorded/claude3-sonnet-stream-tool",
			Doc:  "Claude 3 Sonnet streams text, then a tool call whose input comes in fragments. Recorded: traceloop/openllmetry test_anthropic_converse_stream_with_tool_use.yaml.",
			Tags: []string{tagRecorded, tagStream},
			Steps: []Step{
				{Stream: true, Request: Request{Model: "anthropic.claude-3-sonnet-20240229-v1:0", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"What is the weather in Barcelona?"}]}],"toolConfig":{"tools":[{"toolSpec":{"name":"get_weather","description":"Get the current weather for a location","inputSchema":{"json":{"type":"object","properties":{"location":{"type":"string","description":"The city name"}},"required":["location"]}}}}]},"inferenceConfig":{"maxTokens":300,"temperature":0.5}}`)}, Expect: anyStop},
			},
		},
		{
			Name: "recorded/nova-tool",
			Doc:  "Nova Micro calls a tool, through Converse and ConverseStream. Recorded: open-telemetry/opentelemetry-python-contrib test_converse_stream_with_content_tool_call.yaml; open-telemetry/opentelemetry-python-contrib test_converse_tool_call_with_content.yaml.",
			Tags: []string{tagRecorded, tagStream},
			Steps: []Step{
				{Stream: false, Request: Request{Model: "amazon.nova-micro-v1:0", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"What is the weather in Seattle and San Francisco today?"}]}],"toolConfig":{"tools":[{"toolSpec":{"name":"get_current_weather","description":"Get the current weather in a given location.","inputSchema":{"json":{"type":"object","properties":{"location":{"type":"string","description":"The name of the city"}},"required":["location"]}}}}]}}`)}, Expect: anyStop},
				{Stream: true, Request: Request{Model: "amazon.nova-micro-v1:0", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"What is the weather in Seattle and San Francisco today?"}]}],"toolConfig":{"tools":[{"toolSpec":{"name":"get_current_weather","description":"Get the current weather in a given location.","inputSchema":{"json":{"type":"object","properties":{"location":{"type":"string","description":"The name of the city"}},"required":["location"]}}}}]}}`)}, Expect: anyStop},
			},
		},
		{
			Name: "recorded/nova-two-tools-stream",
			Doc:  "Nova Micro streams with two tools whose schemas forbid other members. Recorded: pydantic/pydantic-ai test_bedrock_model_iter_stream.yaml.",
			Tags: []string{tagRecorded, tagStream},
			Steps: []Step{
				{Stream: true, Request: Request{Model: "us.amazon.nova-micro-v1:0", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"What is the temperature of the capital of France?"}]}],"system":[{"text":"You are a helpful chatbot."}],"inferenceConfig":{"topP":0.5},"toolConfig":{"tools":[{"toolSpec":{"name":"get_capital","description":"Get the capital of a country.","inputSchema":{"json":{"properties":{"country":{"description":"The country name.","title":"Country","type":"string"}},"required":["country"],"type":"object","additionalProperties":false}}}},{"toolSpec":{"name":"get_temperature","description":"Get the temperature in a city.","inputSchema":{"json":{"properties":{"city":{"description":"The city name.","title":"City","type":"string"}},"required":["city"],"type":"object","additionalProperties":false}}}}]}}`)}, Expect: anyStop},
			},
		},
		{
			Name: "recorded/nova-code-interpreter-stream",
			Doc:  "Nova 2 Lite with a tool and the nova_code_interpreter system tool, toolChoice any: server tool use and its result stream. Recorded: pydantic/pydantic-ai test_bedrock_model_code_execution_tool_stream.yaml.",
			Tags: []string{tagRecorded, tagStream},
			Steps: []Step{
				{Stream: true, Request: Request{Model: "us.amazon.nova-2-lite-v1:0", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"What is 1234 * 5678?"}]}],"system":[{"text":"You are a helpful chatbot."}],"inferenceConfig":{},"toolConfig":{"tools":[{"toolSpec":{"name":"final_result","inputSchema":{"json":{"properties":{"result":{"type":"number"}},"required":["result"],"title":"Response","type":"object"}},"description":"The final response which ends this conversation"}},{"systemTool":{"name":"nova_code_interpreter"}}],"toolChoice":{"any":{}}}}`)}, Expect: anyStop},
			},
		},
		{
			Name: "recorded/sonnet46-tool",
			Doc:  "Claude Sonnet 4.6 calls a tool (toolUse carries \"type\") with a stop sequence set. Recorded: crewAIInc/crewAI TestBedrockNativeToolCalling.test_bedrock_agent_kickoff_with_tools_mocked.yaml.",
			Tags: []string{tagRecorded},
			Steps: []Step{
				{Stream: false, Request: Request{Model: "us.anthropic.claude-sonnet-4-6", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"\nCurrent Task: Calculate 15 * 8\n\nThis is the expected criteria for your final answer: Result\nyou MUST return the actual complete content as the final answer, not a summary."}]}],"inferenceConfig":{"stopSequences":["\nObservation:"]},"system":[{"text":"You are Math Assistant. You calculate.\nYour personal goal is: Calculate math"}],"toolConfig":{"tools":[{"toolSpec":{"name":"calculator","description":"Perform mathematical calculations. Use this for any math operations.","inputSchema":{"json":{"properties":{"expression":{"description":"Mathematical expression to evaluate","title":"Expression","type":"string"}},"required":["expression"],"type":"object","additionalProperties":false}}}}]}}`)}, Expect: anyStop},
			},
		},
		{
			Name:    "recorded/guardrail",
			Doc:     "Titan Text Express with a guardrail and trace: two user turns in a row were accepted (2025-08), the guardrail intervened. Recorded: traceloop/openllmetry test_guardrail_converse.yaml; traceloop/openllmetry test_guardrail_converse_stream.yaml.",
			Tags:    []string{tagRecorded, tagStream},
			Pending: "the emulator to accept consecutive user turns on models that do (Titan Text Express did in 2025-08)",
			Steps: []Step{
				{Stream: false, Request: Request{Model: "amazon.titan-text-express-v1", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"what is the capital of Italy?"}]},{"role":"user","content":[{"text":"what is the capital of Japan?"}]}],"guardrailConfig":{"guardrailIdentifier":"{guardrail}","trace":"enabled"}}`)}, Expect: Expect{StopReasons: guardrailStops, Check: guardrailTrace}},
				{Stream: true, Request: Request{Model: "amazon.titan-text-express-v1", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"what is the capital of Italy?"}]},{"role":"user","content":[{"text":"what is the capital of Japan?"}]}],"guardrailConfig":{"guardrailIdentifier":"{guardrail}","trace":"enabled"}}`)}, Expect: Expect{StopReasons: guardrailStops, Check: guardrailTrace}},
			},
		},
		{
			Name: "recorded/video-s3",
			Doc:  "A video from S3 in a tool result, on Claude Sonnet 4.5. Recorded: pydantic/pydantic-ai test_multimodal_tool_return_matrix[direct-uploaded_file-video-bedrock_claude].yaml.",
			Tags: []string{tagRecorded},
			Steps: []Step{
				{Stream: false, Request: Request{Model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"Use the get_file tool now to retrieve a video file, then describe what you received."}]},{"role":"assistant","content":[{"text":"I'll retrieve the file for you now."},{"toolUse":{"toolUseId":"tooluse_1DXOdhDwtJHfyGzegF1GWH","name":"get_file","input":{}}}]},{"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_1DXOdhDwtJHfyGzegF1GWH","content":[{"video":{"format":"mp4","source":{"s3Location":{"uri":"s3://pydantic-ai-test-files/test-files/small_video.mp4"}}}}],"status":"success"}}]}],"system":[],"inferenceConfig":{},"toolConfig":{"tools":[{"toolSpec":{"name":"get_file","inputSchema":{"json":{"additionalProperties":false,"properties":{},"type":"object"}}}}],"toolChoice":{"auto":{}}}}`)}, Expect: rejected("This model doesn't support the video content block that you provided. Update the content block and try again.")},
			},
		},
		{
			Name: "recorded/image-s3",
			Doc:  "An image from S3 in a tool result, on Claude Sonnet 4.5. Recorded: pydantic/pydantic-ai test_multimodal_tool_return_matrix[direct-uploaded_file-image-bedrock_claude].yaml.",
			Tags: []string{tagRecorded},
			Steps: []Step{
				{Stream: false, Request: Request{Model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"Use the get_file tool now to retrieve a image file, then describe what you received."}]},{"role":"assistant","content":[{"text":"I'll retrieve the file for you now."},{"toolUse":{"toolUseId":"tooluse_uiSZBrnqkDXebgTnW0ybmm","name":"get_file","input":{}}}]},{"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_uiSZBrnqkDXebgTnW0ybmm","content":[{"image":{"format":"jpeg","source":{"s3Location":{"uri":"s3://pydantic-ai-test-files/test-files/kiwi.jpg"}}}}],"status":"success"}}]}],"system":[],"inferenceConfig":{},"toolConfig":{"tools":[{"toolSpec":{"name":"get_file","inputSchema":{"json":{"additionalProperties":false,"properties":{},"type":"object"}}}}],"toolChoice":{"auto":{}}}}`)}, Expect: rejected("This model doesn't support the s3Uri field. Remove s3Uri and try again.")},
			},
		},
		{
			Name: "recorded/haiku45-reasoning",
			Doc:  "Claude Haiku 4.5 with additionalModelRequestFields.reasoning_config: a reasoning block with text and a signature, then the text, through Converse and ConverseStream. Recorded: crmne/ruby_llm chat_with_extended_thinking_bedrock_claude-haiku-4-5_returns_thinking_when_available.yml; crmne/ruby_llm chat_with_extended_thinking_bedrock_claude-haiku-4-5_streams_thinking_content_when_available.yml.",
			Tags: []string{tagRecorded, tagStream},
			Steps: []Step{
				{Stream: false, Request: Request{Model: "us.anthropic.claude-haiku-4-5-20251001-v1:0", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"If a magic mirror shows your future self, but only if you ask a question it cannot answer truthfully, what question do you ask to see your future, and what would the mirror reveal about the answer it gives?"}]}],"inferenceConfig":{},"additionalModelRequestFields":{"reasoning_config":{"type":"enabled","budget_tokens":1024}}}`)}, Expect: Expect{StopReasons: textStops, Check: reasoningFirst(true)}},
				{Stream: true, Request: Request{Model: "us.anthropic.claude-haiku-4-5-20251001-v1:0", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"If a magic mirror shows your future self, but only if you ask a question it cannot answer truthfully, what question do you ask to see your future, and what would the mirror reveal about the answer it gives?"}]}],"inferenceConfig":{},"additionalModelRequestFields":{"reasoning_config":{"type":"enabled","budget_tokens":1024}}}`)}, Expect: Expect{StopReasons: textStops, Check: reasoningFirst(true)}},
			},
		},
		{
			Name: "recorded/nova2-reasoning",
			Doc:  "Nova 2 Lite with additionalModelRequestFields.reasoningConfig: a reasoning block of Bedrock's \"[REDACTED].\" without a signature, then the text. Recorded: crmne/ruby_llm chat_bedrock_nova_2_reasoning_returns_reasoning_content_blocks.yml.",
			Tags: []string{tagRecorded},
			Steps: []Step{
				{Stream: false, Request: Request{Model: "us.amazon.nova-2-lite-v1:0", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"What is 15 * 23? Answer with just the number."}]}],"inferenceConfig":{},"additionalModelRequestFields":{"reasoningConfig":{"type":"enabled","maxReasoningEffort":"low"}}}`)}, Expect: Expect{StopReasons: textStops, Check: reasoningFirst(false)}},
			},
		},
		{
			Name: "recorded/haiku45-citations",
			Doc:  "Claude Haiku 4.5 given a text document with citations enabled answers citationsContent (a citation delta in a stream). Recorded: crmne/ruby_llm chat_citations_with_bedrock_claude-haiku-4-5_cites_text_documents_in_responses.yml; crmne/ruby_llm chat_citations_with_bedrock_claude-haiku-4-5_streams_citations.yml.",
			Tags: []string{tagRecorded, tagStream},
			Steps: []Step{
				{Stream: false, Request: Request{Model: "us.anthropic.claude-haiku-4-5-20251001-v1:0", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"Who created Ruby and when? Use the document."},{"document":{"format":"txt","name":"facts","source":{"text":"The Ruby programming language was created by Yukihiro Matsumoto in 1993. Ruby was designed to make programmers happy and productive. Ruby on Rails is a popular web framework built with Ruby. RubyLLM is a Ruby library for working with large language models.\n"},"citations":{"enabled":true}}}]}],"inferenceConfig":{}}`)}, Expect: Expect{StopReasons: textStops, Check: cites}},
				{Stream: true, Request: Request{Model: "us.anthropic.claude-haiku-4-5-20251001-v1:0", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"Who created Ruby? Use the document."},{"document":{"format":"txt","name":"facts","source":{"text":"The Ruby programming language was created by Yukihiro Matsumoto in 1993. Ruby was designed to make programmers happy and productive. Ruby on Rails is a popular web framework built with Ruby. RubyLLM is a Ruby library for working with large language models.\n"},"citations":{"enabled":true}}}]}],"inferenceConfig":{}}`)}, Expect: Expect{StopReasons: textStops, Check: cites}},
			},
		},
		{
			Name: "recorded/haiku45-structured-output",
			Doc:  "Claude Haiku 4.5 with outputConfig json_schema answers a text of JSON with the schema's required members. Recorded: crmne/ruby_llm chat_with_schema_with_bedrock_claude-haiku-4-5_accepts_a_json_schema_and_returns_structured_output.yml.",
			Tags: []string{tagRecorded},
			Steps: []Step{
				{Stream: false, Request: Request{Model: "us.anthropic.claude-haiku-4-5-20251001-v1:0", Input: mustInput(`{"messages":[{"role":"user","content":[{"text":"Generate a person named John who is 30 years old"}]}],"inferenceConfig":{},"outputConfig":{"textFormat":{"type":"json_schema","structure":{"jsonSchema":{"schema":"{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"age\":{\"type\":\"integer\"}},\"required\":[\"name\",\"age\"],\"additionalProperties\":false}","name":"response"}}}}}`)}, Expect: Expect{StopReasons: textStops, Check: jsonWith("name", "age")}},
			},
		},
	}
}

// reasoningFirst checks that the answer starts with a reasoning block with text, then a text
// block; signed says whether the reasoning carries a signature (Claude) or not (Nova 2).
func reasoningFirst(signed bool) func(*Answer) error {
	return func(a *Answer) error {
		if len(a.Blocks) < 2 || a.Blocks[0].Type != BlockReasoning || a.Blocks[0].Text == "" || a.Blocks[1].Type != BlockText {
			return fmt.Errorf("blocks %v, want reasoning with text, then text", blockTypes(a.Blocks))
		}
		sig := ""
		if a.Output != nil && len(a.Message.Content) > 0 {
			if rc, ok := a.Message.Content[0].(*types.ContentBlockMemberReasoningContent); ok {
				if rt, ok := rc.Value.(*types.ReasoningContentBlockMemberReasoningText); ok {
					sig = aws.ToString(rt.Value.Signature)
				}
			}
		}
		for _, ev := range a.Events {
			if d, ok := ev.(*types.ConverseStreamOutputMemberContentBlockDelta); ok {
				if rc, ok := d.Value.Delta.(*types.ContentBlockDeltaMemberReasoningContent); ok {
					if s, ok := rc.Value.(*types.ReasoningContentBlockDeltaMemberSignature); ok {
						sig += s.Value
					}
				}
			}
		}
		if (sig != "") != signed {
			return fmt.Errorf("reasoning signature %q, want one: %v", sig, signed)
		}
		return nil
	}
}

// cites checks that a Converse answer holds a citationsContent block, or a stream a citation
// delta.
func cites(a *Answer) error {
	if a.Output != nil {
		for _, b := range a.Message.Content {
			if c, ok := b.(*types.ContentBlockMemberCitationsContent); ok && len(c.Value.Citations) > 0 {
				return nil
			}
		}
	}
	for _, ev := range a.Events {
		if d, ok := ev.(*types.ConverseStreamOutputMemberContentBlockDelta); ok {
			if _, ok := d.Value.Delta.(*types.ContentBlockDeltaMemberCitation); ok {
				return nil
			}
		}
	}
	return fmt.Errorf("no citation in blocks %v", blockTypes(a.Blocks))
}

// jsonWith checks that the answer's one text block is a JSON object with the members named.
func jsonWith(members ...string) func(*Answer) error {
	return func(a *Answer) error {
		if len(a.Blocks) != 1 || a.Blocks[0].Type != BlockText {
			return fmt.Errorf("blocks %v, want one text block", blockTypes(a.Blocks))
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal([]byte(a.Blocks[0].Text), &obj); err != nil {
			return fmt.Errorf("text %q is not a JSON object: %v", a.Blocks[0].Text, err)
		}
		for _, m := range members {
			if _, ok := obj[m]; !ok {
				return fmt.Errorf("text %q has no member %q", a.Blocks[0].Text, m)
			}
		}
		return nil
	}
}

func blockTypes(blocks []Block) []string {
	var out []string
	for _, b := range blocks {
		out = append(out, b.Type)
	}
	return out
}
