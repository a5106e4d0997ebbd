// @aws-sdk/client-bedrock (the control plane, HTTP/1.1) against
// `basalt emulator`: the calls Claude Code makes at start-up through the same
// SDK (ListInferenceProfiles with type=SYSTEM_DEFINED, GetInferenceProfile
// for application-profile ARNs), with the SDK's own paginator.
//
// Environment: EMULATOR_URL, AWS_* fake keys.

import assert from "node:assert/strict";
import {
  BedrockClient,
  ListInferenceProfilesCommand,
  GetInferenceProfileCommand,
  ResourceNotFoundException,
  paginateListInferenceProfiles,
} from "@aws-sdk/client-bedrock";

const env = process.env;
const region = env.AWS_REGION ?? "us-east-1";
const client = new BedrockClient({
  region,
  endpoint: env.EMULATOR_URL,
  credentials: {
    accessKeyId: env.AWS_ACCESS_KEY_ID,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
    sessionToken: env.AWS_SESSION_TOKEN,
  },
  maxAttempts: 1,
});

let failures = 0;
async function check(name, fn) {
  try {
    await fn();
    console.log(`ok   aws-sdk-js control: ${name}`);
  } catch (err) {
    failures++;
    console.log(`FAIL aws-sdk-js control: ${name}: ${err?.stack ?? err}`);
  }
}

const ids = (summaries) => summaries.map((s) => s.inferenceProfileId);
const all = (await client.send(new ListInferenceProfilesCommand({ maxResults: 1000 }))).inferenceProfileSummaries;

await check("one page lists system and application profiles", async () => {
  assert.ok(all.length >= 3, `${all.length} profiles`);
  assert.ok(ids(all).includes("global.anthropic.claude-sonnet-4-6"));
  assert.ok(all.some((s) => s.type === "APPLICATION"), "an APPLICATION profile");
  for (const s of all) {
    assert.equal(s.status, "ACTIVE");
    assert.ok(s.inferenceProfileArn && s.inferenceProfileName && s.models.length > 0, JSON.stringify(s));
    assert.ok(s.createdAt instanceof Date && !isNaN(s.createdAt), "createdAt parsed as an ISO 8601 date");
  }
});

await check("paginator with pageSize 4 yields the same list", async () => {
  const got = [];
  let pages = 0;
  for await (const page of paginateListInferenceProfiles({ client, pageSize: 4 }, {})) {
    pages++;
    assert.ok(page.inferenceProfileSummaries.length <= 4);
    got.push(...page.inferenceProfileSummaries);
  }
  assert.equal(pages, Math.ceil(all.length / 4));
  assert.deepEqual(ids(got), ids(all));
});

await check("typeEquals SYSTEM_DEFINED (Claude Code's start-up call)", async () => {
  const got = [];
  for await (const page of paginateListInferenceProfiles({ client, pageSize: 50 }, { typeEquals: "SYSTEM_DEFINED" })) {
    got.push(...page.inferenceProfileSummaries);
  }
  assert.deepEqual(ids(got), ids(all.filter((s) => s.type === "SYSTEM_DEFINED")));
});

await check("GetInferenceProfile by application-profile ARN names the backing model", async () => {
  const app = all.find((s) => s.type === "APPLICATION");
  const out = await client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: app.inferenceProfileArn }));
  assert.equal(out.inferenceProfileId, app.inferenceProfileId);
  assert.match(out.models[0].modelArn, /foundation-model\/anthropic\.claude-/);
});

await check("GetInferenceProfile of an unknown ID is a ResourceNotFoundException", async () => {
  await assert.rejects(
    client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: "us.anthropic.claude-nonexistent-9-v1:0" })),
    (err) => {
      assert.ok(err instanceof ResourceNotFoundException, `${err.name}: ${err.message}`);
      return true;
    },
  );
});

client.destroy();
if (failures > 0) {
  console.log(`aws-sdk-js control: ${failures} failed`);
  process.exit(1);
}
