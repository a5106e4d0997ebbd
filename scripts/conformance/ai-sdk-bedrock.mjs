// The Vercel AI SDK's @ai-sdk/amazon-bedrock provider (ConverseStream,
// signed with aws4fetch) against `basalt emulator`: streamText runs the
// tool loop of scenario-sdk.json — get_weather is called, its result goes
// back, and the scripted answer streams out — as OpenCode's Bedrock
// provider does.
//
// Environment: EMULATOR_URL, AWS_* fake keys, CITY.

import assert from "node:assert/strict";
import { streamText, tool, jsonSchema, stepCountIs } from "ai";
import { createAmazonBedrock } from "@ai-sdk/amazon-bedrock";

const env = process.env;
const bedrock = createAmazonBedrock({
  region: env.AWS_REGION ?? "us-east-1",
  accessKeyId: env.AWS_ACCESS_KEY_ID,
  secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
  sessionToken: env.AWS_SESSION_TOKEN,
  baseURL: env.EMULATOR_URL,
});

let failures = 0;
async function check(name, fn) {
  try {
    await fn();
    console.log(`ok   ai-sdk bedrock: ${name}`);
  } catch (err) {
    failures++;
    console.log(`FAIL ai-sdk bedrock: ${name}: ${err?.stack ?? err}`);
  }
}

await check("streamText runs a tool-using exchange over ConverseStream", async () => {
  const calls = [];
  const result = streamText({
    model: bedrock("global.anthropic.claude-sonnet-4-6"),
    prompt: "What is the weather?",
    maxRetries: 0,
    stopWhen: stepCountIs(4),
    tools: {
      get_weather: tool({
        description: "Weather for a city",
        inputSchema: jsonSchema({ type: "object", properties: { city: { type: "string" }, unit: { type: "string" } }, required: ["city"] }),
        execute: async (input) => {
          calls.push(input);
          return { celsius: 21, sky: "sunny" };
        },
      }),
    },
    onError: ({ error }) => {
      throw error;
    },
  });
  let text = "";
  for await (const part of result.textStream) text += part;
  const steps = await result.steps;
  assert.deepEqual(calls, [{ city: env.CITY, unit: "celsius" }]);
  assert.equal(steps.length, 2);
  assert.equal(steps[0].finishReason, "tool-calls");
  assert.equal(steps[1].finishReason, "stop");
  assert.equal(text, `Let me check the weather in ${env.CITY}.It is 21 degrees and sunny in ${env.CITY}.`);
  const usage = await result.totalUsage;
  assert.ok(usage.inputTokens > 0 && usage.outputTokens > 0, JSON.stringify(usage));
});

if (failures) process.exit(1);
