"""Guardrails, ApplyGuardrail, prompts, CountTokens, InvokeModel (every family, streamed too),
reasoning, citations and structured output asked for, a Nova model's in-stream
validationException and the unsupported operations through boto3, against an emulator serving
testdata/guardrails.yaml and testdata/prompts.yaml.

Usage: python3 boto3_runtime.py URL. Exits non-zero, with the failing check, when a flow does
not behave as against Bedrock. Run by TestBoto3Runtime (runtime_boto3_test.go).
"""
import json

import boto3kit
from boto3kit import check
from botocore.exceptions import ClientError, EventStreamError

client = boto3kit.client()
GUARD = "5zwrmdlsra2e"
BLOCKED_IN = "Sorry, the model cannot answer this question."
BLOCKED_OUT = "Sorry, the model cannot answer this question (output)."


def error_of(call):
    try:
        call()
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"]["Message"]
    return None, None


def user(text):
    return [{"role": "user", "content": [{"text": text}]}]


# Guardrails in Converse: masked input, a blocked topic, the trace in Bedrock's shape.
r = client.converse(modelId="amazon.titan-text-express-v1", messages=user("what is the capital of Italy?"),
                    guardrailConfig={"guardrailIdentifier": GUARD, "guardrailVersion": "DRAFT", "trace": "enabled"})
check(r["stopReason"] == "guardrail_intervened", f"masked: stopReason {r['stopReason']}")
check("{ADDRESS}" in r["output"]["message"]["content"][0]["text"], "masked: the model saw {ADDRESS}")
g = r["trace"]["guardrail"]
pii = g["inputAssessment"][GUARD]["sensitiveInformationPolicy"]["piiEntities"][0]
check(pii == {"action": "ANONYMIZED", "detected": True, "match": "Italy", "type": "ADDRESS"}, f"masked: {pii}")
check(g["actionReason"] == "Guardrail masked.\nNo action.", f"actionReason {g['actionReason']!r}")

r = client.converse(modelId="amazon.nova-micro-v1:0", messages=user("Give me stock suggestions"),
                    guardrailConfig={"guardrailIdentifier": GUARD, "guardrailVersion": "1", "trace": "enabled_full"})
check(r["output"]["message"]["content"][0]["text"] == BLOCKED_IN, "blocked input message")
topics = r["trace"]["guardrail"]["inputAssessment"][GUARD]["topicPolicy"]["topics"]
check(topics == [{"action": "BLOCKED", "detected": True, "name": "InvestmentObjectives", "type": "DENY"}], f"topics {topics}")
check("outputAssessments" not in r["trace"]["guardrail"], "no output assessment after a blocked input")

code, msg = error_of(lambda: client.converse(modelId="amazon.nova-micro-v1:0", messages=user("hi"),
                                             guardrailConfig={"guardrailIdentifier": GUARD, "guardrailVersion": "42"}))
check((code, msg) == ("ValidationException", "The guardrail identifier or version provided in the request does not exist."), f"{code} {msg}")

# ConverseStream: one delta for the guarded text, the trace in the metadata event.
events = list(client.converse_stream(modelId="amazon.titan-text-express-v1", messages=user("Tell me about Japan"),
                                     guardrailConfig={"guardrailIdentifier": GUARD, "guardrailVersion": "DRAFT",
                                                      "trace": "enabled", "streamProcessingMode": "sync"})["stream"])
deltas = [e["contentBlockDelta"]["delta"]["text"] for e in events if "contentBlockDelta" in e]
check(len(deltas) == 1 and "{ADDRESS}" in deltas[0], f"sync deltas {deltas}")
check("trace" in events[-1]["metadata"], "trace in metadata")

# ApplyGuardrail.
r = client.apply_guardrail(guardrailIdentifier=GUARD, guardrailVersion="1", source="INPUT", outputScope="FULL",
                           content=[{"text": {"text": "Give stock suggestions. Mail abc@pqrt.com"}}])
check(r["action"] == "GUARDRAIL_INTERVENED" and r["outputs"] == [{"text": BLOCKED_IN}], f"apply: {r['action']} {r['outputs']}")
check(len(r["assessments"][0]["contentPolicy"]["filters"]) == 2, "apply FULL lists every filter")
r = client.apply_guardrail(guardrailIdentifier=GUARD, guardrailVersion="DRAFT", source="OUTPUT",
                           content=[{"text": {"text": "Rome is lovely"}}])
check(r["outputs"] == [{"text": "{ADDRESS} is lovely"}] and r["actionReason"] == "Guardrail masked.", f"apply mask: {r}")

# Prompt management.
arn = "arn:aws:bedrock:us-east-1:123456789012:prompt/PROMPT12AB:1"
r = client.converse(modelId=arn, promptVariables={"topic": {"text": "Oslo"}, "style": {"text": "a sonnet"}})
check("Tell me about Oslo in the style of a sonnet." in r["output"]["message"]["content"][0]["text"], "prompt rendered")
code, msg = error_of(lambda: client.converse(modelId=arn, promptVariables={"topic": {"text": "x"}, "style": {"text": "y"}},
                                             inferenceConfig={"maxTokens": 10}))
check(code == "ValidationException" and "inferenceConfig" in msg, f"prompt restriction: {code} {msg}")

# CountTokens, consistent with the usage Converse and InvokeModel report.
messages = user("What is the weather in Paris, and what should I wear there?")
usage = client.converse(modelId="anthropic.claude-3-haiku-20240307-v1:0", messages=messages)["usage"]
n = client.count_tokens(modelId="anthropic.claude-3-haiku-20240307-v1:0", input={"converse": {"messages": messages}})["inputTokens"]
check(n == usage["inputTokens"], f"CountTokens {n} != Converse inputTokens {usage['inputTokens']}")
body = json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 50, "messages": [{"role": "user", "content": "Count me"}]})
r = client.invoke_model(modelId="anthropic.claude-3-haiku-20240307-v1:0", body=body)
header = r["ResponseMetadata"]["HTTPHeaders"]["x-amzn-bedrock-input-token-count"]
n = client.count_tokens(modelId="anthropic.claude-3-haiku-20240307-v1:0", input={"invokeModel": {"body": body}})["inputTokens"]
check(str(n) == header, f"CountTokens {n} != InvokeModel input token header {header}")
code, _ = error_of(lambda: client.count_tokens(modelId="us.anthropic.claude-3-haiku-20240307-v1:0", input={"converse": {"messages": messages}}))
check(code == "ValidationException", "CountTokens refuses an inference profile")

# InvokeModel and InvokeModelWithResponseStream for every family.
families = [
    ("anthropic.claude-3-haiku-20240307-v1:0",
     {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 200, "messages": [{"role": "user", "content": "Hello"}]},
     lambda b: b["content"][0]["text"],
     lambda c: c.get("delta", {}).get("text", "") if c["type"] == "content_block_delta" else ""),
    ("amazon.nova-micro-v1:0",
     {"schemaVersion": "messages-v1", "messages": [{"role": "user", "content": [{"text": "Hello"}]}]},
     lambda b: b["output"]["message"]["content"][0]["text"],
     lambda c: c.get("contentBlockDelta", {}).get("delta", {}).get("text", "")),
    ("amazon.titan-text-express-v1", {"inputText": "Hello"},
     lambda b: b["results"][0]["outputText"], lambda c: c["outputText"]),
    ("meta.llama3-8b-instruct-v1:0", {"prompt": "Hello", "max_gen_len": 200},
     lambda b: b["generation"], lambda c: c["generation"]),
    ("mistral.mistral-7b-instruct-v0:2", {"prompt": "<s>[INST] Hello [/INST]"},
     lambda b: b["outputs"][0]["text"], lambda c: c["outputs"][0]["text"]),
    ("mistral.mistral-large-2407-v1:0", {"messages": [{"role": "user", "content": "Hello"}]},
     lambda b: b["choices"][0]["message"]["content"], lambda c: c["choices"][0]["message"]["content"]),
    ("cohere.command-r-v1:0", {"message": "Hello"},
     lambda b: b["text"], lambda c: c.get("text", "") if c["event_type"] == "text-generation" else ""),
]
for model, body, text_of, delta_of in families:
    r = client.invoke_model(modelId=model, body=json.dumps(body), contentType="application/json", accept="application/json")
    text = text_of(json.loads(r["body"].read()))
    check(text.endswith("You said: Hello"), f"{model}: text {text!r}")
    check(r["contentType"] == "application/json", f"{model}: contentType {r['contentType']}")
    headers = r["ResponseMetadata"]["HTTPHeaders"]
    check("x-amzn-bedrock-output-token-count" in headers, f"{model}: usage headers {headers}")
    s = client.invoke_model_with_response_stream(modelId=model, body=json.dumps(body))
    chunks = [json.loads(e["chunk"]["bytes"]) for e in s["body"]]
    check("".join(delta_of(c) for c in chunks) == text, f"{model}: streamed text")
    metrics = chunks[-1]["amazon-bedrock-invocationMetrics"]
    check(str(metrics["outputTokenCount"]) == headers["x-amzn-bedrock-output-token-count"], f"{model}: metrics {metrics}")

code, msg = error_of(lambda: client.invoke_model(modelId="meta.llama3-8b-instruct-v1:0", body=json.dumps({"max_tokens": 5})))
check(msg == "Malformed input request: #: required key [prompt] not found#: extraneous key [max_tokens] is not permitted, "
             "please reformat your input and try again.", f"Llama malformed: {msg}")

# A guardrail on InvokeModel reports in the native body.
r = client.invoke_model(modelId="amazon.titan-text-express-v1", body=json.dumps({"inputText": "buy crypto"}),
                        guardrailIdentifier=GUARD, guardrailVersion="DRAFT", trace="ENABLED")
b = json.loads(r["body"].read())
check(b["amazon-bedrock-guardrailAction"] == "INTERVENED" and b["results"][0]["outputText"] == BLOCKED_IN, f"invoke guardrail {b}")
check(b["amazon-bedrock-trace"]["guardrail"]["input"][GUARD]["topicPolicy"]["topics"][0]["action"] == "BLOCKED", "invoke trace")

# Reasoning asked for (Claude: text and signature, streamed as deltas; Nova 2: "[REDACTED]."),
# citations of a document asked for, as TestReasoningAskedFor and TestCitationsAskedFor.
HAIKU45 = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
for model, fields, signed in [
        (HAIKU45, {"reasoning_config": {"type": "enabled", "budget_tokens": 1024}}, True),
        ("us.amazon.nova-2-lite-v1:0", {"reasoningConfig": {"type": "enabled", "maxReasoningEffort": "low"}}, False)]:
    r = client.converse(modelId=model, messages=user("What is 15 * 23?"), additionalModelRequestFields=fields)
    blocks = r["output"]["message"]["content"]
    check([list(b) for b in blocks] == [["reasoningContent"], ["text"]], f"{model}: blocks {blocks}")
    rt = blocks[0]["reasoningContent"]["reasoningText"]
    check(rt["text"] and ("signature" in rt) == signed, f"{model}: reasoning {rt}")
    check(signed or rt["text"] == "[REDACTED].", f"{model}: reasoning text {rt['text']!r}")
    r = client.converse_stream(modelId=model, messages=user("What is 15 * 23?"), additionalModelRequestFields=fields)
    deltas = [e["contentBlockDelta"]["delta"].get("reasoningContent", {}) for e in r["stream"] if "contentBlockDelta" in e]
    check("".join(d.get("text", "") for d in deltas) == rt["text"], f"{model}: streamed reasoning {deltas}")
    check("".join(d.get("signature", "") for d in deltas) == rt.get("signature", ""), f"{model}: streamed signature {deltas}")

FACTS = ("The Ruby programming language was created by Yukihiro Matsumoto in 1993. Ruby was designed to make "
         "programmers happy and productive. Ruby on Rails is a popular web framework built with Ruby. RubyLLM is "
         "a Ruby library for working with large language models.\n")
cited = [{"role": "user", "content": [{"text": "Who created Ruby and when? Use the document."},
                                      {"document": {"format": "txt", "name": "facts", "source": {"text": FACTS},
                                                    "citations": {"enabled": True}}}]}]
r = client.converse(modelId=HAIKU45, messages=cited)
cc = r["output"]["message"]["content"][0]["citationsContent"]
cit = cc["citations"][0]
check(cit["location"] == {"documentChar": {"documentIndex": 0, "start": 0, "end": 73}} and cit["title"] == "facts",
      f"citation {cit}")
check(cc["content"] == [{"text": FACTS[:73].strip()}], f"cited content {cc['content']}")
r = client.converse_stream(modelId=HAIKU45, messages=cited)
deltas = [e["contentBlockDelta"]["delta"] for e in r["stream"] if "contentBlockDelta" in e]
check(sum("citation" in d for d in deltas) == 1, f"citation deltas {deltas}")
check("".join(d.get("text", "") for d in deltas) == FACTS[:73].strip(), f"streamed text {deltas}")

# Structured output (TestStructuredOutput), and Claude 4.5's Converse usage with the cache
# counts as zeros without a cachePoint (TestUsageKeysPerModel, docs/wire-facts.md §8.1).
schema = {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
          "required": ["name", "age"], "additionalProperties": False}
r = client.converse(modelId=HAIKU45, messages=user("Generate a person named John who is 30 years old"),
                    outputConfig={"textFormat": {"type": "json_schema", "structure": {"jsonSchema": {
                        "schema": json.dumps(schema), "name": "response"}}}})
text = r["output"]["message"]["content"][0]["text"]
person = json.loads(text)
check(list(person) == ["name", "age"] and isinstance(person["name"], str) and isinstance(person["age"], int),
      f"structured output {text!r}")
check(r["usage"]["cacheReadInputTokens"] == 0 and r["usage"]["cacheWriteInputTokens"] == 0, f"usage {r['usage']}")

# A Nova model's own validation in ConverseStream: HTTP 200, then a validationException frame,
# raised by boto3's stream reader (TestModelErrors).
r = client.converse_stream(modelId="amazon.nova-lite-v1:0", messages=[{"role": "user", "content": [
    {"text": "Describe this image."}, {"image": {"format": "png", "source": {"bytes": b"these bytes are not a PNG image"}}}]}])
check(r["ResponseMetadata"]["HTTPStatusCode"] == 200, f"in-stream error: status {r['ResponseMetadata']}")
try:
    events = list(r["stream"])
    check(False, f"in-stream error: stream ended without it: {events}")
except EventStreamError as e:
    check(e.response["Error"]["Code"] == "validationException", f"in-stream error: code {e.response['Error']}")
    check(e.response["Error"]["Message"] == "The model returned the following errors: The detected file MIME type "
          "text/plain does not match the expected type image/png. Reformat your input and try again.",
          f"in-stream error: message {e.response['Error']['Message']!r}")

# The operations the emulator does not emulate say so.
code, msg = error_of(lambda: client.list_async_invokes())
check(code == "ValidationException" and msg.startswith("bedrock-emulator does not support ListAsyncInvokes."), f"{code} {msg}")
code, msg = error_of(lambda: client.get_async_invoke(invocationArn="arn:aws:bedrock:us-east-1:123456789012:async-invoke/x"))
check(code == "ValidationException" and "GetAsyncInvoke" in msg, f"{code} {msg}")

print(f"ok: {boto3kit.checks} checks")
