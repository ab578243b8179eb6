"""The Bedrock control-plane calls the emulator serves (models, inference profiles, guardrails),
through boto3's "bedrock" client, against an emulator serving
../internal/catalog/testdata/user.json as its user catalogue.

Usage: python3 boto3_control.py URL. Exits non-zero, with the failing check, when a call does
not answer as expected. Run by TestControlBoto3 (control_test.go).
"""

import boto3kit
from boto3kit import check
from botocore.exceptions import ClientError

client = boto3kit.client("bedrock")


models = client.list_foundation_models()["modelSummaries"]
ids = [m["modelId"] for m in models]
check("amazon.nova-micro-v1:0" in ids and "acme.house-model-v1" in ids, "list_foundation_models: %s" % ids)

meta = client.list_foundation_models(byProvider="Meta", byInferenceType="ON_DEMAND")["modelSummaries"]
check(meta and all(m["providerName"] == "Meta" and "ON_DEMAND" in m["inferenceTypesSupported"] for m in meta),
      "byProvider Meta, ON_DEMAND: %s" % meta)

details = client.get_foundation_model(modelIdentifier="anthropic.claude-3-haiku-20240307-v1:0")["modelDetails"]
check(details["modelArn"] == "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
      and details["responseStreamingSupported"], "get_foundation_model: %s" % details)

try:
    client.get_foundation_model(modelIdentifier="acme.nothing-v1")
    check(False, "get_foundation_model of an unknown model succeeded")
except ClientError as e:
    check(e.response["Error"]["Code"] == "ValidationException", "unknown model: %s" % e.response["Error"])

pages = client.get_paginator("list_inference_profiles").paginate(PaginationConfig={"PageSize": 10})
profiles = [p for page in pages for p in page["inferenceProfileSummaries"]]
check(any(p["inferenceProfileId"] == "us.amazon.nova-micro-v1:0" for p in profiles), "paginated profiles: %d" % len(profiles))
check(len({p["inferenceProfileId"] for p in profiles}) == len(profiles), "pages repeat profiles")

app = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/1arbu5hu2sjr"
got = client.get_inference_profile(inferenceProfileIdentifier=app)
check(got["type"] == "APPLICATION" and got["models"][0]["modelArn"].endswith("/anthropic.claude-3-haiku-20240307-v1:0"),
      "application profile: %s" % got)
apps = client.list_inference_profiles(typeEquals="APPLICATION")["inferenceProfileSummaries"]
check([p["inferenceProfileArn"] for p in apps] == [app], "typeEquals APPLICATION: %s" % apps)

try:
    client.get_inference_profile(inferenceProfileIdentifier="mars.amazon.nova-micro-v1:0")
    check(False, "get_inference_profile of an unknown profile succeeded")
except ClientError as e:
    check(e.response["Error"]["Code"] == "ResourceNotFoundException", "unknown profile: %s" % e.response["Error"])

runtime = boto3kit.client()
created = client.create_guardrail(
    name="boto3-guard", blockedInputMessaging="Blocked input.", blockedOutputsMessaging="Blocked output.",
    wordPolicyConfig={"wordsConfig": [{"text": "swordfish"}]})
gid = created["guardrailId"]
version = client.create_guardrail_version(guardrailIdentifier=gid)["version"]
check(version == "1", "create_guardrail_version: %s" % version)


def converse():
    return runtime.converse(
        modelId="amazon.nova-micro-v1:0",
        messages=[{"role": "user", "content": [{"text": "tell me about swordfish"}]}],
        guardrailConfig={"guardrailIdentifier": gid, "guardrailVersion": version})


out = converse()
check(out["stopReason"] == "guardrail_intervened", "converse with the created guardrail: %s" % out["stopReason"])
check(client.get_guardrail(guardrailIdentifier=gid)["wordPolicy"]["words"][0]["text"] == "swordfish", "get_guardrail")
check(any(g["id"] == gid for g in client.list_guardrails()["guardrails"]), "list_guardrails")
client.delete_guardrail(guardrailIdentifier=gid)
try:
    converse()
    check(False, "converse with a deleted guardrail succeeded")
except ClientError as e:
    check(e.response["Error"]["Message"] == "The guardrail identifier or version provided in the request does not exist.",
          "converse with a deleted guardrail: %s" % e.response["Error"])

print("%d checks passed" % boto3kit.checks)
