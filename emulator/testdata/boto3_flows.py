"""The seed flows through boto3 against a running emulator.

Usage: python3 boto3_flows.py URL. Exits non-zero, with the failing check, when a flow does
not behave as against Bedrock. Run by TestBoto3 (boto3_test.go).
"""
import json

import boto3kit
from boto3kit import check
from botocore.exceptions import ClientError, EventStreamError

client = boto3kit.client(region="us-west-2")


# seeds/000, 003: a basic call, then the reply appended and another turn with a system prompt.
messages = [{"role": "user", "content": [{"text": "How are you today?"}]}]
r = client.converse(modelId="anthropic.claude-3-sonnet-20240229-v1:0", messages=messages,
                    inferenceConfig={"maxTokens": 2000, "temperature": 0})
msg = r["output"]["message"]
check(msg["role"] == "assistant" and msg["content"][0]["text"], "basic reply")
check(r["stopReason"] == "end_turn", "stopReason end_turn")
u = r["usage"]
check(u["totalTokens"] == u["inputTokens"] + u["outputTokens"], "usage arithmetic")
check(isinstance(r["metrics"]["latencyMs"], int), "latencyMs is an int")
check(len(r["ResponseMetadata"]["RequestId"]) == 36, "request id")
messages.append(msg)
messages.append({"role": "user", "content": [
    {"text": "Image 1:"},
    {"image": {"format": "png", "source": {"bytes": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}}},
    {"text": "Please describe the image."}]})
r = client.converse(modelId="anthropic.claude-3-sonnet-20240229-v1:0", messages=messages,
                    system=[{"text": "Please respond to all requests in the style of a pirate."}])
check("1 attachment" in r["output"]["message"]["content"][0]["text"], "image acknowledged")

# seeds/002: the notebook's ten models, one shot and streamed.
for model in ["amazon.titan-text-express-v1", "amazon.titan-text-lite-v1",
              "anthropic.claude-3-5-sonnet-20240620-v1:0", "anthropic.claude-3-haiku-20240307-v1:0",
              "cohere.command-r-plus-v1:0", "cohere.command-r-v1:0",
              "meta.llama3-1-70b-instruct-v1:0", "meta.llama3-1-8b-instruct-v1:0",
              "mistral.mistral-large-2407-v1:0", "mistral.mixtral-8x7b-instruct-v0:1"]:
    args = dict(modelId=model, messages=[{"role": "user", "content": [{"text": "What is the capital of Italy?"}]}],
                inferenceConfig={"temperature": 0, "maxTokens": 2000, "topP": 0.9})
    r = client.converse(**args)
    text = r["output"]["message"]["content"][0]["text"]
    streamed, kinds, usage = "", [], None
    for event in client.converse_stream(**args)["stream"]:
        kinds.append(next(iter(event)))
        if "contentBlockDelta" in event:
            streamed += event["contentBlockDelta"]["delta"]["text"]
        if "metadata" in event:
            usage = event["metadata"]["usage"]
    check(streamed == text, f"{model}: stream text equals Converse text")
    check(kinds[0] == "messageStart" and kinds[-2:] == ["messageStop", "metadata"], f"{model}: event order {kinds}")
    check(usage == r["usage"], f"{model}: stream usage equals Converse usage")

# A forced tool call and the tool result round trip.
tools = {"tools": [{"toolSpec": {"name": "top_song", "description": "Most popular song on a station.",
                                 "inputSchema": {"json": {"type": "object", "properties": {"sign": {"type": "string"}},
                                                          "required": ["sign"]}}}}],
         "toolChoice": {"tool": {"name": "top_song"}}}
messages = [{"role": "user", "content": [{"text": "What is the most popular song on WZPZ?"}]}]
r = client.converse(modelId="anthropic.claude-3-haiku-20240307-v1:0", messages=messages, toolConfig=tools)
check(r["stopReason"] == "tool_use", "tool_use stop reason")
use = r["output"]["message"]["content"][0]["toolUse"]
check(use["name"] == "top_song" and use["input"] == {"sign": "example"}, f"tool input {use}")
messages += [r["output"]["message"], {"role": "user", "content": [{"toolResult": {
    "toolUseId": use["toolUseId"], "content": [{"json": {"song": "Elemental Hotel"}}]}}]}]
del tools["toolChoice"]
r = client.converse(modelId="anthropic.claude-3-haiku-20240307-v1:0", messages=messages, toolConfig=tools)
check("Elemental Hotel" in r["output"]["message"]["content"][0]["text"], "tool result reported")

# Validation errors reach boto3 as ClientError with the service's code and message.
try:
    client.converse(modelId="anthropic.claude-3-haiku-20240307-v1:0", messages=[
        {"role": "user", "content": [{"text": "a"}]}, {"role": "user", "content": [{"text": "b"}]}])
    check(False, "two user turns accepted")
except ClientError as e:
    check(e.response["Error"]["Code"] == "ValidationException", "ValidationException code")
    check(e.response["Error"]["Message"].startswith("A conversation must alternate"), "alternation message")
    check(e.response["ResponseMetadata"]["HTTPStatusCode"] == 400, "status 400")
try:
    client.converse_stream(modelId="no.such-model-v1:0", messages=[{"role": "user", "content": [{"text": "a"}]}])
    check(False, "invalid model accepted")
except ClientError as e:
    check(e.response["Error"]["Message"] == "The provided model identifier is invalid.", "invalid model message")
try:
    client.converse(modelId="amazon.nova-micro-v1:0", messages=[{"role": "user", "content": [{"text": "a"}]}],
                    inferenceConfig={"temperature": 1.5})
    check(False, "temperature 1.5 accepted")
except ClientError as e:
    check(e.response["Error"]["Message"] == "1 validation error detected: Value '1.5' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1", e.response["Error"]["Message"])

# Every modeled exception reaches boto3 as ClientError with its code and status; the ones
# ConverseStream models as events arrive mid-stream as EventStreamError with the lowerCamel
# member name as code (docs/wire-facts.md §3.2).
STATUS = {"AccessDeniedException": 403, "InternalServerException": 500, "ModelErrorException": 424,
          "ModelNotReadyException": 429, "ModelStreamErrorException": 424, "ModelTimeoutException": 408,
          "ResourceNotFoundException": 404, "ServiceQuotaExceededException": 400,
          "ServiceUnavailableException": 503, "ThrottlingException": 429, "ValidationException": 400}
for typ, status in STATUS.items():
    try:
        client.converse(modelId="amazon.nova-micro-v1:0", messages=[{"role": "user", "content": [{"text": "raise " + typ}]}])
        check(False, f"{typ}: no error")
    except ClientError as e:
        check(e.response["Error"]["Code"] == typ, f"{typ}: code {e.response['Error']['Code']}")
        check(e.response["ResponseMetadata"]["HTTPStatusCode"] == status, f"{typ}: status")
for typ in ["InternalServerException", "ModelStreamErrorException", "ValidationException", "ThrottlingException", "ServiceUnavailableException"]:
    events = []
    try:
        for event in client.converse_stream(modelId="amazon.nova-micro-v1:0", messages=[{"role": "user", "content": [{"text": "stream-raise " + typ}]}])["stream"]:
            events.append(next(iter(event)))
        check(False, f"stream {typ}: no error")
    except EventStreamError as e:
        code = typ[0].lower() + typ[1:]
        check(e.response["Error"]["Code"] == code, f"stream {typ}: code {e.response['Error']['Code']}")
        check(events == ["messageStart", "contentBlockDelta"], f"stream {typ}: events before {events}")

# Every validation rule in testdata/validation.json, as boto3 sends it. Rows botocore itself
# rejects before sending (its own parameter validation) are counted apart.
import base64, os
from botocore.exceptions import ParamValidationError
TOOLS = {"tools": [{"toolSpec": {"name": "f", "inputSchema": {"json": {"type": "object"}}}}]}


def blobs(v):
    """Decodes base64 "bytes" members, since boto3 takes raw bytes and encodes them itself."""
    if isinstance(v, dict):
        return {k: (base64.b64decode(x) if k == "bytes" and isinstance(x, str) else blobs(x)) for k, x in v.items()}
    if isinstance(v, list):
        return [blobs(x) for x in v]
    return v


client_side = []
with open(os.path.join(os.path.dirname(__file__), "validation.json")) as f:
    for case in json.load(f):
        req = blobs(case["request"])
        if case.get("tools"):
            req["toolConfig"] = TOOLS
        call = client.converse_stream if case.get("stream") else client.converse
        try:
            call(modelId=case["model"], **req)
            check(False, f"{case['name']}: accepted")
        except ParamValidationError:
            client_side.append(case["name"])
        except ClientError as e:
            check(e.response["Error"]["Code"] == "ValidationException", f"{case['name']}: code {e.response['Error']['Code']}")
            check(e.response["Error"]["Message"] == case["message"], f"{case['name']}: message {e.response['Error']['Message']!r}")

print(json.dumps({"checks": boto3kit.checks, "rejected by botocore before sending": client_side}))
