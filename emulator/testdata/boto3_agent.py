"""An agent loop through boto3 against a running emulator with no script loaded.

Usage: python3 boto3_agent.py URL. Offers a tool with toolChoice auto, runs the tool the
default answer calls, sends its result back and expects a text answer that uses it, in
Converse and in ConverseStream. Exits non-zero with the failing check. Run by
TestBoto3AgentLoop (tools_test.go).
"""
import json

import boto3kit
from boto3kit import check

client = boto3kit.client()
MODEL = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
TOOLS = {
    "tools": [{"toolSpec": {
        "name": "get_weather",
        "description": "Get the current weather forecast for a city.",
        "inputSchema": {"json": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}},
    }}],
    "toolChoice": {"auto": {}},
}


def get_weather(city):
    return {"city": city, "forecast": "sunny", "celsius": 21}


def converse_stream(messages):
    """Reads a ConverseStream answer into the message Converse would give."""
    r = client.converse_stream(modelId=MODEL, messages=messages, toolConfig=TOOLS)
    content, stop, current = [], None, None
    for ev in r["stream"]:
        if "contentBlockStart" in ev:
            tu = ev["contentBlockStart"]["start"]["toolUse"]
            current = {"toolUse": {"toolUseId": tu["toolUseId"], "name": tu["name"], "input": ""}}
        elif "contentBlockDelta" in ev:
            d = ev["contentBlockDelta"]["delta"]
            if "toolUse" in d:
                current["toolUse"]["input"] += d["toolUse"]["input"]
            elif "text" in d:
                if current is None:
                    current = {"text": ""}
                current["text"] += d["text"]
        elif "contentBlockStop" in ev:
            if "toolUse" in current:
                current["toolUse"]["input"] = json.loads(current["toolUse"]["input"])
            content.append(current)
            current = None
        elif "messageStop" in ev:
            stop = ev["messageStop"]["stopReason"]
    return {"role": "assistant", "content": content}, stop


def converse(messages):
    r = client.converse(modelId=MODEL, messages=messages, toolConfig=TOOLS)
    return r["output"]["message"], r["stopReason"]


for name, call in (("Converse", converse), ("ConverseStream", converse_stream)):
    messages = [{"role": "user", "content": [{"text": "What's the weather like in city Lisbon?"}]}]
    for turn in range(4):
        msg, stop = call(messages)
        messages.append(msg)
        if stop != "tool_use":
            break
        results = []
        for block in msg["content"]:
            if "toolUse" in block:
                use = block["toolUse"]
                check(use["name"] == "get_weather", f"{name}: called {use['name']}")
                check(use["input"] == {"city": "Lisbon"}, f"{name}: input {use['input']}")
                results.append({"toolResult": {"toolUseId": use["toolUseId"], "content": [{"json": get_weather(**use["input"])}]}})
        messages.append({"role": "user", "content": results})
    check(len(messages) == 4, f"{name}: {len(messages)} messages, want question, tool use, result, answer")
    check(stop == "end_turn", f"{name}: last stopReason {stop}")
    text = "".join(b.get("text", "") for b in messages[-1]["content"])
    check("sunny" in text and "Lisbon" in text, f"{name}: the answer does not use the result: {text!r}")
    print(f"{name}: tool called, answer: {text}")
