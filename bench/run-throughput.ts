/**
 * `trajlab run` at high concurrency on a slow model: the real binary runs
 * retail.where-is-my-order on `openai:stub`, an OpenAI-compatible stub in a
 * process of its own that answers each of the trial's four calls after
 * 200 ms, at `--concurrency 64`, without the model-call cache, in one thread
 * and with `--workers`. Baselines, measured in the same run against the same
 * server: plain HTTP clients making the same calls (64 at a time, four in a
 * row each, no trajlab); the same agent graph and model alone, in this
 * process (the built-in react agent, `createAgent` with the model
 * `openai:stub` resolves to, invoked 64 at a time with no callbacks: what
 * LangChain and LangGraph cost before trajlab's runner records, grades or
 * writes anything); and the ideal, waves of 64 trials of 4 × 200 ms.
 * Prints wall time from the first trial to the last (the run's own figure),
 * its ratio to both baselines, the CPU time the trajlab process used per
 * trial (all its threads, start-up included), and the stub's CPU per trial
 * (its process shares the same cores: trajlab's and the stub's CPU over the
 * cores is the least wall time the machine allows).
 *
 * Leaves out: start-up and writing the summary (not in the run's wall time).
 *
 *   npx tsx bench/run-throughput.ts [trials] [workers,...]     # default: 256 0,2
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { HumanMessage } from "@langchain/core/messages";
import { builtinAgents, resolveModel } from "../agents/index.js";
import { builtinPolicies, builtinScenarios, initialStateOf, toLangChainTools } from "../scenarios/index.js";

const BIN = resolve(import.meta.dirname, "../bin/trajlab.js");
const TRIALS = Number(process.argv[2] ?? 256);
const WORKERS = (process.argv[3] ?? "0,2").split(",").map(Number);
const CONCURRENCY = 64;
const DELAY_MS = 200;
const CALLS = 4;
const SCENARIO = "retail.where-is-my-order";
const PROBE = `data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write("\\ncpu-us "+(u.userCPUTime+u.systemCPUTime)+"\\n")})`;

const server = spawn(process.execPath, ["--import", "tsx", resolve(import.meta.dirname, "support/stub-server.ts")], {
  env: { ...process.env, DELAY_MS: String(DELAY_MS) },
  stdio: ["pipe", "pipe", "inherit"],
});
const serverLines = createInterface({ input: server.stdout! });
const baseURL = await new Promise<string>((done) => serverLines.once("line", done));

/** The CPU time the stub has used so far, in ms. */
async function stubCpuMs(): Promise<number> {
  const answer = new Promise<string>((done) => serverLines.once("line", done));
  server.stdin!.write("cpu\n");
  return Number(/^cpu (\d+)$/.exec(await answer)?.[1] ?? NaN) / 1000;
}

/** The same calls without trajlab: 64 clients at a time, each making four calls in a row. */
async function plainClients(): Promise<number> {
  const body = JSON.stringify({ model: "stub", messages: [{ role: "user", content: "Where is my order? ben.okafor@example.com" }] });
  const started = performance.now();
  let next = 0;
  const client = async (): Promise<void> => {
    while (next++ < TRIALS) {
      for (let call = 0; call < CALLS; call++) {
        const response = await fetch(`${baseURL}/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        await response.text();
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  return performance.now() - started;
}

/** The agent graph and its model without trajlab's runner: wall time and this process's CPU time, in ms. */
async function graphAlone(): Promise<{ wallMs: number; cpuMs: number }> {
  const scenario = builtinScenarios().find((candidate) => candidate.id === SCENARIO)!;
  const agent = builtinAgents.find((candidate) => candidate.id === "react")!;
  const env = { ...process.env, OPENAI_BASE_URL: baseURL, OPENAI_API_KEY: "" };
  const trial = async (seed: number): Promise<void> => {
    const { chatModel } = await resolveModel("openai:stub", { scenario, seed, policies: builtinPolicies, env });
    const tools = toLangChainTools(scenario.environment.tools, initialStateOf(scenario));
    const graph = await agent.build({ model: chatModel, tools, scenario });
    await graph.invoke({ messages: [new HumanMessage(scenario.task)] }, { recursionLimit: scenario.maxSteps });
  };
  await trial(0); // load the provider package and warm up, as trajlab's start-up does
  const cpu = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < TRIALS) await trial(next++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

async function trajlabRun(workers: number): Promise<{ wallMs: number; cpuMs: number }> {
  const cwd = await mkdtemp(join(tmpdir(), "trajlab-bench-"));
  try {
    const args = ["--import", PROBE, BIN, "run", "-m", "openai:stub", "-s", SCENARIO, "-k", String(TRIALS)];
    args.push(
      "-c",
      String(CONCURRENCY),
      "--no-cache",
      "--json",
      "-q",
      "--timeout",
      "600000",
      ...(workers > 0 ? ["--workers", String(workers)] : []),
    );
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...process.env, OPENAI_BASE_URL: baseURL, OPENAI_API_KEY: "", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    const code = await new Promise<number | null>((done) => child.on("close", done));
    if (code !== 0) throw new Error(`trajlab run exited ${code}:\n${stderr}`);
    const summary = JSON.parse(stdout) as { durationMs: number; passed: number };
    if (summary.passed !== TRIALS) throw new Error(`${summary.passed} of ${TRIALS} trials passed:\n${stderr}`);
    return { wallMs: summary.durationMs, cpuMs: Number(/cpu-us (\d+)/.exec(stderr)?.[1] ?? NaN) / 1000 };
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}

try {
  const ideal = Math.ceil(TRIALS / CONCURRENCY) * CALLS * DELAY_MS;
  await plainClients(); // warm the server up
  const plain = await plainClients();
  console.log(
    `run throughput: ${TRIALS} trials of retail.where-is-my-order on openai:stub (${CALLS} calls × ${DELAY_MS} ms), --concurrency ${CONCURRENCY}`,
  );
  console.log(`baselines: plain HTTP clients, same calls: ${plain.toFixed(0)} ms; ideal: ${ideal} ms`);
  const stubBeforeAlone = await stubCpuMs();
  const alone = await graphAlone();
  const stubAlone = (await stubCpuMs()) - stubBeforeAlone;
  console.log(
    `the agent graph and model alone (no trajlab runner, one thread): ${alone.wallMs.toFixed(0)} ms, ${((ideal / alone.wallMs) * 100).toFixed(0)}% of ideal, ${(alone.cpuMs / TRIALS).toFixed(1)} ms CPU per trial, stub ${(stubAlone / TRIALS).toFixed(1)}`,
  );
  console.log("workers    wall ms   plain/wall   ideal/wall   CPU ms per trial   stub CPU ms per trial");
  for (const workers of WORKERS) {
    const stubBefore = await stubCpuMs();
    const { wallMs, cpuMs } = await trajlabRun(workers);
    const stubMs = (await stubCpuMs()) - stubBefore;
    console.log(
      `${String(workers || "none").padEnd(7)} ${wallMs.toFixed(0).padStart(10)}   ${((plain / wallMs) * 100).toFixed(0).padStart(9)}%   ${((ideal / wallMs) * 100).toFixed(0).padStart(9)}%   ${(cpuMs / TRIALS).toFixed(1).padStart(16)}   ${(stubMs / TRIALS).toFixed(1).padStart(21)}`,
    );
  }
  console.log("target: ≥ 90% of ideal at --concurrency 64 on this machine");
} finally {
  server.stdin!.end();
}
