// The seed flows through the AWS SDK for JavaScript v3 against a running emulator.
// Usage: node flows.mjs URL. Exits non-zero, naming the failed check. Run by sdktest/sdk_test.go.
import {
  BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand, ValidationException, ThrottlingException,
} from "@aws-sdk/client-bedrock-runtime";

const client = new BedrockRuntimeClient({
  endpoint: process.argv[2], region: "us-east-1", maxAttempts: 1,
  credentials: { accessKeyId: "AKIDEMULATOR", secretAccessKey: "emulator-secret" },
});
let checks = 0;
function check(ok, what) {
  checks++;
  if (!ok) { console.error("FAIL:", what); process.exit(1); }
}

const messages = [{ role: "user", content: [{ text: "What is the capital of Italy?" }] }];
const modelId = "anthropic.claude-3-haiku-20240307-v1:0";

const r = await client.send(new ConverseCommand({ modelId, messages, inferenceConfig: { maxTokens: 200, temperature: 0 } }));
const text = r.output.message.content[0].text;
check(r.output.message.role === "assistant" && text.includes("capital of Italy"), `reply ${text}`);
check(r.stopReason === "end_turn", "stopReason");
check(r.usage.totalTokens === r.usage.inputTokens + r.usage.outputTokens, "usage arithmetic");
check(Number.isInteger(r.metrics.latencyMs), "latencyMs");

const s = await client.send(new ConverseStreamCommand({ modelId, messages, inferenceConfig: { maxTokens: 200, temperature: 0 } }));
let streamed = "", kinds = [], usage;
for await (const ev of s.stream) {
  const kind = Object.keys(ev).find((k) => ev[k] !== undefined);
  kinds.push(kind);
  if (ev.contentBlockDelta) streamed += ev.contentBlockDelta.delta.text;
  if (ev.metadata) usage = ev.metadata.usage;
}
check(streamed === text, `stream text ${streamed}`);
check(kinds[0] === "messageStart" && kinds.at(-2) === "messageStop" && kinds.at(-1) === "metadata", `events ${kinds}`);
check(usage.totalTokens === r.usage.totalTokens, "stream usage");

// Forced tool use, then the result.
const toolConfig = {
  tools: [{ toolSpec: { name: "top_song", inputSchema: { json: { type: "object", properties: { sign: { type: "string" } }, required: ["sign"] } } } }],
  toolChoice: { any: {} },
};
const t = await client.send(new ConverseCommand({ modelId, messages, toolConfig }));
const use = t.output.message.content[0].toolUse;
check(t.stopReason === "tool_use" && use.name === "top_song" && use.input.sign === "example", `tool use ${JSON.stringify(use)}`);

// Typed errors.
try {
  await client.send(new ConverseCommand({ modelId, messages: [messages[0], messages[0]] }));
  check(false, "two user turns accepted");
} catch (e) {
  check(e instanceof ValidationException, `error type ${e.name}`);
  check(e.message.startsWith("A conversation must alternate"), `message ${e.message}`);
  check(e.$metadata.httpStatusCode === 400, "status");
}
try {
  await client.send(new ConverseStreamCommand({ modelId: "nope.model-v1:0", messages }));
  check(false, "invalid model accepted");
} catch (e) {
  check(e instanceof ValidationException && e.message === "The provided model identifier is invalid.", `${e.name}: ${e.message}`);
}
console.log(JSON.stringify({ checks }));
