// @aws-sdk/client-bedrock-runtime against `basalt emulator`.
//
// The client's default request handler is NodeHttp2Handler, so against an
// http:// endpoint it speaks h2c (prior knowledge) and signs :authority
// instead of host. Checks InvokeModel, InvokeModelWithResponseStream, typed
// errors before the first byte, and an in-stream exception frame decoded as
// the SDK's typed ThrottlingException / ModelStreamErrorException.
//
// Environment: EMULATOR_URL (verifying, scenario with side_reply),
// FAULTS_URL (same credentials, faults stream-error=1), AWS_* fake keys,
// BEARER_TOKEN (a Bedrock API key the emulator accepts), SIDE_REPLY.

import assert from "node:assert/strict";
import {
  BedrockRuntimeClient,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  AccessDeniedException,
  ValidationException,
  ThrottlingException,
  ModelStreamErrorException,
} from "@aws-sdk/client-bedrock-runtime";

const env = process.env;
const credentials = {
  accessKeyId: env.AWS_ACCESS_KEY_ID,
  secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
  sessionToken: env.AWS_SESSION_TOKEN,
};
const region = env.AWS_REGION ?? "us-east-1";
const sideReply = env.SIDE_REPLY;

function client(endpoint, creds = credentials) {
  return new BedrockRuntimeClient({ region, endpoint, credentials: creds, maxAttempts: 1 });
}

const body = (prompt) =>
  JSON.stringify({
    anthropic_version: "bedrock-2023-05-31",
    max_tokens: 128,
    messages: [{ role: "user", content: [{ type: "text", text: prompt }] }],
  });

let failures = 0;
async function check(name, fn) {
  try {
    await fn();
    console.log(`ok   aws-sdk-js: ${name}`);
  } catch (err) {
    failures++;
    console.log(`FAIL aws-sdk-js: ${name}: ${err?.stack ?? err}`);
  }
}

const rt = client(env.EMULATOR_URL);

// NodeHttp2Handler never falls back to HTTP/1.1: against http:// it sends the
// h2c prior-knowledge preface, so every check below also proves h2c.
await check("default handler is HTTP/2 (h2c against http://)", async () => {
  const handler = await rt.config.requestHandler;
  assert.equal(handler.constructor.name, "NodeHttp2Handler");
});

for (const model of [
  "global.anthropic.claude-sonnet-4-6",
  "us.anthropic.claude-haiku-4-5-20251001-v1:0",
  `arn:aws:bedrock:${region}:123456789012:application-inference-profile/k3v9x2m7q1ab`,
]) {
  await check(`InvokeModel ${model}`, async () => {
    const out = await rt.send(
      new InvokeModelCommand({ modelId: model, body: body("ping"), contentType: "application/json", accept: "application/json" }),
    );
    const msg = JSON.parse(new TextDecoder().decode(out.body));
    assert.equal(msg.type, "message");
    assert.equal(msg.role, "assistant");
    assert.equal(msg.stop_reason, "end_turn");
    assert.equal(msg.content.map((c) => c.text).join(""), sideReply);
    assert.ok(msg.usage.input_tokens > 0, "usage.input_tokens > 0");
    assert.ok(out.$metadata.requestId, "x-amzn-RequestId");
  });
}

await check("InvokeModelWithResponseStream", async () => {
  const out = await rt.send(
    new InvokeModelWithResponseStreamCommand({
      modelId: "us.anthropic.claude-haiku-4-5-20251001-v1:0",
      body: body("ping"),
      contentType: "application/json",
    }),
  );
  const types = [];
  let text = "";
  let metrics;
  for await (const ev of out.body) {
    assert.ok(ev.chunk, `only chunk events, got ${Object.keys(ev)}`);
    const e = JSON.parse(new TextDecoder().decode(ev.chunk.bytes));
    types.push(e.type);
    if (e.type === "content_block_delta") text += e.delta.text;
    if (e.type === "message_stop") metrics = e["amazon-bedrock-invocationMetrics"];
  }
  assert.equal(types[0], "message_start");
  assert.equal(types.at(-1), "message_stop");
  assert.ok(!types.includes("ping"), "no ping events");
  assert.equal(text, sideReply);
  assert.ok(metrics && metrics.inputTokenCount > 0 && "outputTokenCount" in metrics, "invocation metrics");
});

await check("ValidationException for a bare foundation model", async () => {
  await assert.rejects(
    rt.send(new InvokeModelCommand({ modelId: "anthropic.claude-sonnet-4-6", body: body("x"), contentType: "application/json" })),
    (err) => {
      assert.ok(err instanceof ValidationException, `${err.name} is a ValidationException`);
      assert.equal(err.$metadata.httpStatusCode, 400);
      assert.match(err.message, /^Invocation of model ID anthropic\.claude-sonnet-4-6 with on-demand throughput isn’t supported\./);
      return true;
    },
  );
});

await check("InvalidSignatureException for a wrong secret", async () => {
  const bad = client(env.EMULATOR_URL, { ...credentials, secretAccessKey: "wrong-secret" });
  await assert.rejects(
    bad.send(new InvokeModelCommand({ modelId: "global.anthropic.claude-sonnet-4-6", body: body("x"), contentType: "application/json" })),
    (err) => {
      assert.equal(err.name, "InvalidSignatureException");
      assert.equal(err.$metadata.httpStatusCode, 403);
      return true;
    },
  );
});

await check("UnrecognizedClientException for an unknown key", async () => {
  const bad = client(env.EMULATOR_URL, { ...credentials, accessKeyId: "AKIAUNKNOWNKEY000000" });
  await assert.rejects(
    bad.send(new InvokeModelCommand({ modelId: "global.anthropic.claude-sonnet-4-6", body: body("x"), contentType: "application/json" })),
    (err) => {
      assert.equal(err.name, "UnrecognizedClientException");
      assert.equal(err.message, "The security token included in the request is invalid.");
      return true;
    },
  );
});

await check("bearer token (httpBearerAuth) accepted, unknown one AccessDenied", async () => {
  // The SDK chooses bearer from AWS_BEARER_TOKEN_BEDROCK too; the explicit
  // config is the same scheme without touching this process's environment.
  const bearer = (token) =>
    new BedrockRuntimeClient({ region, endpoint: env.EMULATOR_URL, token: { token }, authSchemePreference: ["httpBearerAuth"], maxAttempts: 1 });
  const good = bearer(env.BEARER_TOKEN);
  const out = await good.send(
    new InvokeModelCommand({ modelId: "global.anthropic.claude-sonnet-4-6", body: body("ping"), contentType: "application/json" }),
  );
  assert.equal(JSON.parse(new TextDecoder().decode(out.body)).content[0].text, sideReply);
  good.destroy();
  const bad = bearer("ABSKbm90LWEta25vd24tdG9rZW4=");
  await assert.rejects(
    bad.send(new InvokeModelCommand({ modelId: "global.anthropic.claude-sonnet-4-6", body: body("x"), contentType: "application/json" })),
    (err) => {
      assert.ok(err instanceof AccessDeniedException, `${err.name} is an AccessDeniedException`);
      assert.equal(err.$metadata.httpStatusCode, 403);
      return true;
    },
  );
  bad.destroy();
});

await check("in-stream exception is a typed error", async () => {
  const faulty = client(env.FAULTS_URL);
  const out = await faulty.send(
    new InvokeModelWithResponseStreamCommand({
      modelId: "global.anthropic.claude-sonnet-4-6",
      body: body("ping"),
      contentType: "application/json",
    }),
  );
  await assert.rejects(
    (async () => {
      for await (const _ of out.body) {
        // drain until the exception frame
      }
    })(),
    (err) => {
      assert.ok(
        err instanceof ThrottlingException || err instanceof ModelStreamErrorException,
        `typed error, got ${err?.constructor?.name} ${err?.name}: ${err?.message}`,
      );
      assert.ok(err.message && !err.message.startsWith("{"), `message decoded, got ${err.message}`);
      console.log(`     (decoded ${err.name}: ${err.message})`);
      return true;
    },
  );
});

rt.destroy();
if (failures > 0) {
  console.log(`aws-sdk-js: ${failures} failed`);
  process.exit(1);
}
