"""The boto3 scripts' shared set-up: a client for the emulator at the script's one argument
(sys.argv[1]), as a user would make it with one attempt per call, and check, which counts
the checks and exits non-zero with the first that fails.
"""
import sys

import boto3
from botocore.config import Config

URL = sys.argv[1]
checks = 0


def client(service="bedrock-runtime", region="us-east-1"):
    return boto3.client(
        service, endpoint_url=URL, region_name=region,
        aws_access_key_id="AKIDEMULATOR", aws_secret_access_key="emulator-secret",
        config=Config(retries={"max_attempts": 1}),
    )


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        print("FAIL:", what)
        sys.exit(1)
