"""Text, a stream and a tool round trip through boto3 against an emulator whose upstream is
aimock (testdata/aimock/fixtures.json); with "failures", an upstream that throttles ("throttle")
or fails (anything else) seen as Bedrock's modeled errors, in Converse and ConverseStream.

Usage: python3 boto3_upstream.py URL [failures]. Exits non-zero, with the failing check. Run by
TestAimockBoto3 (aimock_test.go) and TestFailuresBoto3 (upstream_test.go).
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, EventStreamError

URL = sys.argv[1]
client = boto3.client(
    "bedrock-runtime", endpoint_url=URL, region_name="us-east-1",
    aws_access_key_id="AKIDEMULATOR", aws_secret_access_key="emulator-secret",
    config=Config(retries={"max_attempts": 1}),
)
MODEL = "anthropic.claude-3-haiku-20240307-v1:0"


def check(cond, what):
    if not cond:
        print("FAIL:", what)
        sys.exit(1)


if sys.argv[2:] == ["failures"]:
    for text, code, msg in [("throttle", "ThrottlingException", "Too many requests, please wait before trying again."),
                            ("fail", "ServiceUnavailableException", "Bedrock is unable to process your request.")]:
        said = [{"role": "user", "content": [{"text": text}]}]
        for op in ("converse", "converse_stream"):
            try:
                r = getattr(client, op)(modelId=MODEL, messages=said)
                events = list(r.get("stream", []))
                check(False, "%s %s: answered %r" % (op, text, events or r))
            except (ClientError, EventStreamError) as e:
                got = (e.response["Error"]["Code"], e.response["Error"]["Message"])
                check(got == (code, msg), "%s %s: %r, want %r" % (op, text, got, (code, msg)))
    print("ok")
    sys.exit(0)

hello = [{"role": "user", "content": [{"text": "hello"}]}]
r = client.converse(modelId=MODEL, messages=hello)
check(r["output"]["message"]["content"][0]["text"] == "Hello! How can I help you today?", "converse text: %r" % r["output"])
check(r["stopReason"] == "end_turn", "stopReason %r" % r["stopReason"])

text, stop = "", None
for ev in client.converse_stream(modelId=MODEL, messages=hello)["stream"]:
    text += ev.get("contentBlockDelta", {}).get("delta", {}).get("text", "")
    stop = ev.get("messageStop", {}).get("stopReason", stop)
check(text == "Hello! How can I help you today?" and stop == "end_turn", "stream %r %r" % (text, stop))

tools = {"tools": [{"toolSpec": {"name": "weather", "description": "the weather in a city",
                                 "inputSchema": {"json": {"type": "object", "properties": {"city": {"type": "string"}}}}}}]}
messages = [{"role": "user", "content": [{"text": "What is the weather in Paris?"}]}]
tool_input, start = "", None
for ev in client.converse_stream(modelId=MODEL, messages=messages, toolConfig=tools)["stream"]:
    start = ev.get("contentBlockStart", {}).get("start", {}).get("toolUse", start)
    tool_input += ev.get("contentBlockDelta", {}).get("delta", {}).get("toolUse", {}).get("input", "")
check(start and start["name"] == "weather" and json.loads(tool_input) == {"city": "Paris"}, "stream tool use %r %r" % (start, tool_input))

r = client.converse(modelId=MODEL, messages=messages, toolConfig=tools)
use = r["output"]["message"]["content"][-1]["toolUse"]
check(r["stopReason"] == "tool_use" and use["name"] == "weather" and use["input"] == {"city": "Paris"}, "tool use %r" % r["output"])
messages += [r["output"]["message"], {"role": "user", "content": [
    {"toolResult": {"toolUseId": use["toolUseId"], "content": [{"text": "21 C, sunny"}]}}]}]
r = client.converse(modelId=MODEL, messages=messages, toolConfig=tools)
check(r["output"]["message"]["content"][0]["text"] == "It is sunny in Paris.", "after the tool result %r" % r["output"])
print("ok")
