// @anthropic-ai/bedrock-sdk against `basalt emulator` running
// scenario-sdk.json: a streamed two-turn tool-use conversation with a cached
// system prompt, accumulated by the SDK's MessageStream.
//
// What makes this client different (reference §1.3, §2): it sends the model
// ID with a raw ':' in the path, anthropic_version "2026-10-21"-style dated
// values from its own version header, X-Amz-Content-Sha256, and speaks
// HTTP/1.1 through fetch.
//
// Environment: EMULATOR_URL, CITY, AWS_* fake keys, FAULTS_URL, BEARER_TOKEN.

import assert from "node:assert/strict";
import AnthropicBedrock from "@anthropic-ai/bedrock-sdk";

const env = process.env;
const city = env.CITY;

function client(baseURL) {
  return new AnthropicBedrock({
    baseURL,
    awsRegion: env.AWS_REGION ?? "us-east-1",
    awsAccessKey: env.AWS_ACCESS_KEY_ID,
    awsSecretKey: env.AWS_SECRET_ACCESS_KEY,
    awsSessionToken: env.AWS_SESSION_TOKEN,
    maxRetries: 0,
  });
}

let failures = 0;
async function check(name, fn) {
  try {
    await fn();
    console.log(`ok   bedrock-sdk: ${name}`);
  } catch (err) {
    failures++;
    console.log(`FAIL bedrock-sdk: ${name}: ${err?.stack ?? err}`);
  }
}

const anthropic = client(env.EMULATOR_URL);
// Long enough to pass every model's minimum cacheable length.
const system = [
  {
    type: "text",
    text: "You are a weather assistant that always uses tools. ".repeat(400),
    cache_control: { type: "ephemeral" },
  },
];
const tools = [
  {
    name: "get_weather",
    description: "Current weather for a city.",
    input_schema: {
      type: "object",
      properties: { city: { type: "string" }, unit: { type: "string", enum: ["celsius", "fahrenheit"] } },
      required: ["city"],
    },
  },
];
const model = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

await check("streamed tool-use conversation", async () => {
  const messages = [{ role: "user", content: `What's the weather in ${city}?` }];

  const s1 = anthropic.messages.stream({ model, max_tokens: 1024, system, tools, messages });
  const jsonDeltas = [];
  s1.on("inputJson", (delta) => jsonDeltas.push(delta));
  const first = await s1.finalMessage();
  assert.equal(first.stop_reason, "tool_use");
  assert.deepEqual(
    first.content.map((b) => b.type),
    ["text", "tool_use"],
  );
  assert.equal(first.content[0].text, `Let me check the weather in ${city}.`);
  const toolUse = first.content[1];
  assert.equal(toolUse.name, "get_weather");
  assert.deepEqual(toolUse.input, { city, unit: "celsius" });
  assert.ok(toolUse.id, "tool_use id");
  assert.ok(jsonDeltas.length > 0, "input_json_delta events");
  assert.ok(first.usage.cache_creation_input_tokens > 0, `cache write on turn 1: ${JSON.stringify(first.usage)}`);
  assert.equal(first.usage.cache_read_input_tokens, 0);

  messages.push({ role: "assistant", content: first.content });
  messages.push({
    role: "user",
    content: [{ type: "tool_result", tool_use_id: toolUse.id, content: "21°C, sunny" }],
  });
  const second = await anthropic.messages.stream({ model, max_tokens: 1024, system, tools, messages }).finalMessage();
  assert.equal(second.stop_reason, "end_turn");
  assert.equal(second.content.map((b) => b.text).join(""), `It is 21 degrees and sunny in ${city}.`);
  assert.equal(
    second.usage.cache_read_input_tokens,
    first.usage.cache_creation_input_tokens,
    `turn 2 reads turn 1's cache: ${JSON.stringify(second.usage)}`,
  );
  assert.equal(second.usage.cache_creation_input_tokens, 0);
});

await check("non-streaming side request", async () => {
  const msg = await anthropic.messages.create({
    model: "global.anthropic.claude-sonnet-4-6",
    max_tokens: 32,
    messages: [{ role: "user", content: "ping" }],
  });
  assert.equal(msg.content[0].text, "pong from basalt emulator");
  assert.equal(msg.stop_reason, "end_turn");
});

await check("application inference profile ARN", async () => {
  const msg = await anthropic.messages.create({
    model: `arn:aws:bedrock:${env.AWS_REGION ?? "us-east-1"}:123456789012:application-inference-profile/k3v9x2m7q1ab`,
    max_tokens: 32,
    messages: [{ role: "user", content: "ping" }],
  });
  assert.equal(msg.content[0].text, "pong from basalt emulator");
});

await check("bearer API key accepted, unknown one a 403", async () => {
  const keyed = (apiKey) =>
    new AnthropicBedrock({ baseURL: env.EMULATOR_URL, apiKey, awsRegion: env.AWS_REGION ?? "us-east-1", maxRetries: 0 });
  const msg = await keyed(env.BEARER_TOKEN).messages.create({
    model: "global.anthropic.claude-sonnet-4-6",
    max_tokens: 16,
    messages: [{ role: "user", content: "ping" }],
  });
  assert.equal(msg.content[0].text, "pong from basalt emulator");
  await assert.rejects(
    keyed("ABSKbm90LWEta25vd24tdG9rZW4=").messages.create({
      model: "global.anthropic.claude-sonnet-4-6",
      max_tokens: 16,
      messages: [{ role: "user", content: "ping" }],
    }),
    (err) => {
      assert.equal(err.status, 403);
      return true;
    },
  );
});

await check("bare foundation model is a 400 BadRequestError", async () => {
  await assert.rejects(
    anthropic.messages.create({ model: "anthropic.claude-sonnet-4-6", max_tokens: 8, messages: [{ role: "user", content: "x" }] }),
    (err) => {
      assert.equal(err.status, 400);
      assert.match(err.message, /on-demand throughput isn’t supported/);
      return true;
    },
  );
});

await check("in-stream exception surfaces as an APIError", async () => {
  const faulty = client(env.FAULTS_URL);
  await assert.rejects(
    faulty.messages.stream({ model, max_tokens: 64, messages: [{ role: "user", content: "x" }] }).finalMessage(),
    (err) => {
      assert.match(String(err.message), /throttlingException|modelStreamErrorException/);
      console.log(`     (${err.constructor.name}: ${err.message})`);
      return true;
    },
  );
});

if (failures > 0) {
  console.log(`bedrock-sdk: ${failures} failed`);
  process.exit(1);
}
