/**
 * The OpenAI-compatible stub as a process of its own, for benchmarks that
 * time trajlab against it: it solves retail.where-is-my-order (four calls),
 * answering each call after DELAY_MS (default 200), and prints its base URL.
 * Each line `cpu` on its standard input is answered with a line `cpu <µs>`,
 * the CPU time it has used so far. It runs until its standard input closes.
 *
 *   DELAY_MS=200 npx tsx bench/support/stub-server.ts
 */
import { createInterface } from "node:readline";
import { startOpenAIStub } from "../../tests/support/openai-stub.js";
import { solveWhereIsMyOrder } from "../../tests/support/scripted-replies.js";

const delayMs = Number(process.env.DELAY_MS ?? 200);
const stub = await startOpenAIStub((request) => ({ ...solveWhereIsMyOrder(request), delayMs }));
process.stdout.write(`${stub.baseURL}\n`);
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (line.trim() !== "cpu") return;
  const { user, system } = process.cpuUsage();
  process.stdout.write(`cpu ${user + system}\n`);
});
lines.on("close", () => void stub.close().then(() => process.exit(0)));
