"""boto3's side of TestProxyRecordReplay: the same calls as the Go flows, their results as JSON.

Usage: python3 boto3_flows.py URL. Prints one JSON list of results on stdout; the Go test
compares the list printed while recording with the one printed while replaying.
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, EventStreamError

MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
client = boto3.client(
    "bedrock-runtime", endpoint_url=sys.argv[1], region_name="us-west-2",
    aws_access_key_id="AKIDEMULATOR", aws_secret_access_key="emulator-secret",
    config=Config(retries={"total_max_attempts": 1}),
)


def user(text):
    return [{"role": "user", "content": [{"text": text}]}]


results = []
for prompt in ["Hello from boto3", "Use a tool please", "Please throttle me"]:
    r = {"call": "converse " + prompt}
    try:
        resp = client.converse(modelId=MODEL, messages=user(prompt))
        r["requestId"] = resp["ResponseMetadata"]["RequestId"]
        r["output"] = resp["output"]
        r["stopReason"] = resp["stopReason"]
        r["usage"] = resp["usage"]
    except ClientError as e:
        r["error"] = [e.response["Error"]["Code"], e.response["Error"]["Message"],
                      e.response["ResponseMetadata"]["HTTPStatusCode"]]
    results.append(r)

for prompt in ["Stream to me from boto3", "Stream a tool call", "Stream and fail midway"]:
    r = {"call": "converse_stream " + prompt, "events": []}
    try:
        resp = client.converse_stream(modelId=MODEL, messages=user(prompt))
        r["requestId"] = resp["ResponseMetadata"]["RequestId"]
        for event in resp["stream"]:
            r["events"].append(event)
    except EventStreamError as e:
        r["error"] = [e.response["Error"]["Code"], e.response["Error"]["Message"]]
    except ClientError as e:
        r["error"] = [e.response["Error"]["Code"], e.response["Error"]["Message"]]
    results.append(r)

json.dump(results, sys.stdout, sort_keys=True, default=str)
