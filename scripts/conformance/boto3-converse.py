"""boto3 (botocore) against `basalt emulator`: Converse and ConverseStream
through a tool round trip with scenario-sdk.json, a documented validation
error, and the control plane as a caller in eu-west-1 sees it.

Environment: EMULATOR_URL, AWS_* fake keys, CITY.
"""

import json
import os
import sys

import boto3
from botocore.config import Config

env = os.environ
cfg = Config(retries={"max_attempts": 1})
rt = boto3.client("bedrock-runtime", endpoint_url=env["EMULATOR_URL"], region_name="us-east-1", config=cfg)
model = "global.anthropic.claude-sonnet-4-6"
tools = {"tools": [{"toolSpec": {"name": "get_weather", "inputSchema": {"json": {"type": "object"}}}}]}
failures = 0


def check(name, fn):
    global failures
    try:
        fn()
        print(f"ok   boto3: {name}")
    except Exception as err:  # noqa: BLE001 - report every failure, keep going
        failures += 1
        print(f"FAIL boto3: {name}: {err!r}")


def round_trip():
    messages = [{"role": "user", "content": [{"text": "What is the weather?"}]}]
    first = rt.converse(modelId=model, messages=messages, toolConfig=tools)
    assert first["stopReason"] == "tool_use", first["stopReason"]
    call = next(b["toolUse"] for b in first["output"]["message"]["content"] if "toolUse" in b)
    assert call["input"] == {"city": env["CITY"], "unit": "celsius"}, call
    messages += [first["output"]["message"], {"role": "user", "content": [
        {"toolResult": {"toolUseId": call["toolUseId"], "content": [{"json": {"celsius": 21}}]}}]}]
    text, stop, usage = "", None, None
    for ev in rt.converse_stream(modelId=model, messages=messages, toolConfig=tools)["stream"]:
        text += ev.get("contentBlockDelta", {}).get("delta", {}).get("text", "")
        stop = ev.get("messageStop", {}).get("stopReason", stop)
        usage = ev.get("metadata", {}).get("usage", usage)
    assert text == f"It is 21 degrees and sunny in {env['CITY']}.", text
    assert stop == "end_turn" and usage["outputTokens"] > 0, (stop, usage)


def validation():
    try:
        rt.converse(modelId=model, messages=[{"role": "assistant", "content": [{"text": "hi"}]}])
    except rt.exceptions.ValidationException as err:
        want = "A conversation must start with a user message. Try again with a conversation that starts with a user message."
        assert err.response["Error"]["Message"] == want, err.response["Error"]
        return
    raise AssertionError("accepted a conversation that starts with the assistant")


def control_plane_eu():
    cp = boto3.client("bedrock", endpoint_url=env["EMULATOR_URL"], region_name="eu-west-1", config=cfg)
    ids = [p["inferenceProfileId"] for p in cp.list_inference_profiles()["inferenceProfileSummaries"]]
    assert "eu.anthropic.claude-sonnet-4-6" in ids and not any(i.startswith("us.") for i in ids), ids
    models = [m["modelId"] for m in cp.list_foundation_models()["modelSummaries"]]
    assert "anthropic.claude-sonnet-4-6" in models, models
    got = cp.get_foundation_model(modelIdentifier="anthropic.claude-sonnet-4-6")["modelDetails"]
    assert got["modelArn"].startswith("arn:aws:bedrock:eu-west-1::foundation-model/"), got


check("Converse and ConverseStream complete a tool round trip", round_trip)
check("a conversation that starts with the assistant is a ValidationException", validation)
check("eu-west-1 sees its own profiles and the served foundation models", control_plane_eu)
sys.exit(1 if failures else 0)
