// @aws-sdk/client-bedrock-runtime's Converse and ConverseStream against
// `basalt emulator` (h2c, SigV4 over :authority): a tool-using exchange
// with scenario-sdk.json (get_weather, then the answer), cache points, a
// documented validation error, and an in-stream exception.
//
// Environment: EMULATOR_URL, FAULTS_URL (stream-error=1), AWS_* fake keys,
// CITY (the scenario's variable), SIDE_REPLY.

import assert from "node:assert/strict";
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  CountTokensCommand,
  ValidationException,
  ThrottlingException,
  ModelStreamErrorException,
} from "@aws-sdk/client-bedrock-runtime";

const env = process.env;
const region = env.AWS_REGION ?? "us-east-1";
const credentials = {
  accessKeyId: env.AWS_ACCESS_KEY_ID,
  secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
  sessionToken: env.AWS_SESSION_TOKEN,
};
const client = (endpoint) => new BedrockRuntimeClient({ region, endpoint, credentials, maxAttempts: 1 });
const modelId = "global.anthropic.claude-sonnet-4-6";
const toolConfig = {
  tools: [{ toolSpec: { name: "get_weather", description: "Weather for a city", inputSchema: { json: { type: "object", properties: { city: { type: "string" } } } } } }],
};

let failures = 0;
async function check(name, fn) {
  try {
    await fn();
    console.log(`ok   aws-sdk-js converse: ${name}`);
  } catch (err) {
    failures++;
    console.log(`FAIL aws-sdk-js converse: ${name}: ${err?.stack ?? err}`);
  }
}

const rt = client(env.EMULATOR_URL);
const user = (text) => ({ role: "user", content: [{ text }] });

// Reads a ConverseStream response into the parts a caller assembles.
async function collect(stream) {
  const out = { text: "", toolInput: "", tool: null, events: [], usage: null, stopReason: null };
  for await (const ev of stream) {
    const [kind] = Object.keys(ev).filter((k) => ev[k] !== undefined);
    if (out.events.at(-1) !== kind) out.events.push(kind);
    if (ev.contentBlockStart?.start?.toolUse) out.tool = ev.contentBlockStart.start.toolUse;
    if (ev.contentBlockDelta?.delta?.text) out.text += ev.contentBlockDelta.delta.text;
    if (ev.contentBlockDelta?.delta?.toolUse) out.toolInput += ev.contentBlockDelta.delta.toolUse.input;
    if (ev.messageStop) out.stopReason = ev.messageStop.stopReason;
    if (ev.metadata) out.usage = ev.metadata.usage;
  }
  return out;
}

await check("Converse and ConverseStream complete a tool round trip", async () => {
  const messages = [user("What is the weather?")];
  const first = await rt.send(new ConverseCommand({ modelId, messages, toolConfig }));
  assert.equal(first.stopReason, "tool_use");
  const call = first.output.message.content.find((b) => b.toolUse).toolUse;
  assert.equal(call.name, "get_weather");
  assert.deepEqual(call.input, { city: env.CITY, unit: "celsius" });
  assert.ok(first.usage.inputTokens > 0 && first.metrics.latencyMs >= 0);

  const streamed = await collect((await rt.send(new ConverseStreamCommand({ modelId, messages, toolConfig }))).stream);
  assert.equal(streamed.stopReason, "tool_use");
  assert.equal(streamed.tool.name, "get_weather");
  assert.deepEqual(JSON.parse(streamed.toolInput), { city: env.CITY, unit: "celsius" });
  assert.deepEqual(streamed.events, ["messageStart", "contentBlockDelta", "contentBlockStop", "contentBlockStart", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"]);

  messages.push(first.output.message, {
    role: "user",
    content: [{ toolResult: { toolUseId: call.toolUseId, content: [{ json: { celsius: 21 } }] } }],
  });
  const second = await collect((await rt.send(new ConverseStreamCommand({ modelId, messages, toolConfig }))).stream);
  assert.equal(second.text, `It is 21 degrees and sunny in ${env.CITY}.`);
  assert.equal(second.stopReason, "end_turn");
});

await check("cache points write, then read, and CountTokens(input.converse) agrees", async () => {
  const system = [{ text: "You are a careful assistant. ".repeat(200) }, { cachePoint: { type: "default", ttl: "1h" } }];
  const messages = [user("ping")];
  const a = await rt.send(new ConverseCommand({ modelId, system, messages }));
  assert.ok(a.usage.cacheWriteInputTokens >= 1024, JSON.stringify(a.usage));
  assert.deepEqual(a.usage.cacheDetails, [{ ttl: "1h", inputTokens: a.usage.cacheWriteInputTokens }]);
  const b = await rt.send(new ConverseCommand({ modelId, system, messages }));
  assert.equal(b.usage.cacheReadInputTokens, a.usage.cacheWriteInputTokens);
  const n = await rt.send(new CountTokensCommand({ modelId: "anthropic.claude-sonnet-4-6", input: { converse: { system, messages } } }));
  assert.equal(n.inputTokens, a.usage.inputTokens + a.usage.cacheWriteInputTokens);
});

await check("a conversation that starts with the assistant is a ValidationException", async () => {
  await assert.rejects(
    rt.send(new ConverseCommand({ modelId, messages: [{ role: "assistant", content: [{ text: "hi" }] }] })),
    (err) => err instanceof ValidationException && err.$metadata.httpStatusCode === 400 &&
      err.message === "A conversation must start with a user message. Try again with a conversation that starts with a user message.",
  );
});

await check("an in-stream exception surfaces as the SDK's typed error", async () => {
  const faulty = client(env.FAULTS_URL);
  const res = await faulty.send(new ConverseStreamCommand({ modelId, messages: [user("ping")] }));
  await assert.rejects(collect(res.stream), (err) => err instanceof ThrottlingException || err instanceof ModelStreamErrorException);
});

if (failures) process.exit(1);
