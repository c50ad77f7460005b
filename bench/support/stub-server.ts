/**
 * The OpenAI-compatible stub as a process of its own, for benchmarks that
 * time trajlab against it: it solves retail.where-is-my-order (four calls),
 * answering each call after DELAY_MS (default 200), and prints its base URL.
 * It runs until its standard input closes.
 *
 *   DELAY_MS=200 npx tsx bench/support/stub-server.ts
 */
import { startOpenAIStub } from "../../tests/support/openai-stub.js";
import { solveWhereIsMyOrder } from "../../tests/support/scripted-replies.js";

const delayMs = Number(process.env.DELAY_MS ?? 200);
const stub = await startOpenAIStub((request) => ({ ...solveWhereIsMyOrder(request), delayMs }));
process.stdout.write(`${stub.baseURL}\n`);
process.stdin.resume();
process.stdin.on("end", () => void stub.close().then(() => process.exit(0)));
