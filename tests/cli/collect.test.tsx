import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdir, readdir, readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtobufExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { context as otelContext, trace, type Span } from "@opentelemetry/api";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { LoggerProvider, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import { SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import protobuf from "protobufjs";
import { describe, expect, it, onTestFinished } from "vitest";
import { RunDirectory, type Trajectory } from "../../harness/core.js";
import { builtinScenarios } from "../../scenarios/index.js";
import { openReview } from "../reviews/render.js";
import { BIN, tempFolder, trajlab } from "../support/cli.js";
import { essentials } from "../support/essentials.js";
import { tracedTrial, tracing } from "../support/instrumented-app.js";

type Line = Record<string, unknown> & { event: string };

/** `trajlab collect` running in `cwd`, its JSON lines read as they come. */
function startCollector(cwd: string, args: string[] = []) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [BIN, "collect", "--port", "0", "--json", ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", TRAJLAB_RUNS_DIR: "" },
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  onTestFinished(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  const lines: Line[] = [];
  const waiters: Array<() => void> = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    lines.push(JSON.parse(line) as Line);
    for (const wake of waiters.splice(0)) wake();
  });
  /** Waits until `count` lines of `event` have come (or the collector exits, or 20 s pass). */
  async function until(event: string, count = 1): Promise<Line[]> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = lines.filter((line) => line.event === event);
      if (found.length >= count) return found;
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(
          `no ${count} × ${event} from trajlab collect (exit ${child.exitCode}); stdout: ${JSON.stringify(lines)}; stderr: ${stderr}`,
        );
      await new Promise<void>((wake) => {
        waiters.push(wake);
        setTimeout(wake, 100);
      });
    }
  }
  return {
    until,
    stderr: () => stderr,
    /** Ctrl-C, and the exit code. */
    async interrupt(): Promise<number | null> {
      child.kill("SIGINT");
      return exited;
    },
  };
}

const scenario = (id: string) => builtinScenarios().find((s) => s.id === id)!;

async function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

/** One hand-written OTLP/JSON span. */
function span(traceId: string, spanId: string, parentSpanId: string | null, name: string) {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "hand" } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId,
                spanId,
                ...(parentSpanId ? { parentSpanId } : {}),
                name,
                startTimeUnixNano: "1767225600000000000",
                endTimeUnixNano: "1767225600050000000",
                attributes: [{ key: "openinference.span.kind", value: { stringValue: "CHAIN" } }],
              },
            ],
          },
        ],
      },
    ],
  };
}

describe("trajlab collect", () => {
  it("receives a real instrumented LangGraph app's traces (protobuf+gzip and JSON) as trajectories that validate, grade and open in the review; Ctrl-C closes the run", async () => {
    const cwd = await tempFolder("trajlab-collect-");
    // LangGraph's thread_id reaches the spans as session.id: each trial is a conversation, written once idle for --idle.
    const collector = startCollector(cwd, ["--run-id", "live", "--settle", "100", "--idle", "1s"]);
    const [listening] = await collector.until("listening");
    const url = String(listening!.url);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/traces$/);

    // An app exporting protobuf, gzip-compressed, in batches: a team of agents with a failing call.
    const protobufApp = tracing(new ProtobufExporter({ url, compression: "gzip" as never }), { service: "helpdesk-app", batch: true });
    const team = await tracedTrial(protobufApp, scenario("helpdesk.duplicate-charge-refund"), "faulty");
    await protobufApp.shutdown();
    // Another exporting OTLP/JSON: one agent.
    const jsonApp = tracing(new JsonExporter({ url }), { service: "shop-app", batch: true });
    const single = await tracedTrial(jsonApp, scenario("retail.cancel-pending-order"), "wasteful");
    await jsonApp.shutdown();

    const added = await collector.until("trajectory", 2);
    expect(added.map((line) => line.scenarioId)).toEqual([expect.stringMatching(/^helpdesk-app\./), expect.stringMatching(/^shop-app\./)]);
    expect(added[0]).toMatchObject({ agents: ["supervisor", "triage", "billing"], failedCalls: 1 });
    expect(await collector.interrupt()).toBe(0);
    const [closed] = await collector.until("closed");
    expect(closed).toMatchObject({ added: 2, traces: 2, lateSpans: 0, unfinished: [], trajectories: 2 });
    expect(collector.stderr()).toContain("closing");

    // The trajectories hold what the recorder saw in the app, and validate against the published schema.
    const runDir = join(cwd, "runs", "live");
    const written = (await readFile(join(runDir, "trajectories.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Trajectory);
    expect(written.map(essentials)).toEqual([essentials(team), essentials(single)]);
    expect(written.map((t) => [t.model, t.domain, t.provenance?.format])).toEqual([
      ["policy:faulty", "helpdesk-app", "otel"],
      ["policy:wasteful", "shop-app", "otel"],
    ]);
    const schema = await trajlab(["schema", "trajectory"], { cwd });
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(schema.stdout) as object);
    for (const trajectory of written) expect(validate(trajectory), JSON.stringify(validate.errors)).toBe(true);

    // The run is complete, grades again, and re-importing what was received adds nothing (same ids).
    const runs = await trajlab(["list", "runs", "--json"], { cwd });
    expect(JSON.parse(runs.stdout)).toMatchObject([{ id: "live", recorded: 2, planned: 2, status: "complete" }]);
    const graded = await trajlab(["grade", "live"], { cwd });
    expect(graded.code, graded.stderr).toBe(0);
    const again = await trajlab(["import", "otel", join(runDir, "otlp-received.jsonl"), "--run-id", "live"], { cwd });
    expect(again.stdout).toContain("nothing new: run live already holds all 2 trajectories");

    // Wide enough that the queue shows scenario ids whole.
    const ui = await openReview(new RunDirectory("live", runDir), { size: { columns: 140, rows: 30 } });
    const frame = await ui.waitFor((f) => f.includes("reviewed"));
    expect(frame).toContain(written[0]!.scenarioId);
  }, 90_000);

  it("answers what is not OTLP traces as the OTLP specification says: 400 with a Status for bad bodies, 404, 405, 415", async () => {
    const cwd = await tempFolder("trajlab-collect-bad-");
    const collector = startCollector(cwd, ["--run-id", "bad"]);
    const url = String((await collector.until("listening"))[0]!.url);
    const garbage = await fetch(url, { method: "POST", headers: { "Content-Type": "application/x-protobuf" }, body: "\u00ff\u00ff\u00ff" });
    expect([garbage.status, garbage.headers.get("content-type")]).toEqual([400, "application/x-protobuf"]);
    const status = protobuf
      .parse('syntax = "proto3"; message Status { int32 code = 1; string message = 2; }')
      .root.lookupType("Status")
      .decode(new Uint8Array(await garbage.arrayBuffer())) as unknown as { message: string };
    expect(status.message).toMatch(/not a protobuf ExportTraceServiceRequest/);
    const badJson = await postJson(url, { resourceSpans: "no" });
    expect([badJson.status, ((await badJson.json()) as { message: string }).message]).toEqual([
      400,
      "the body is not an ExportTraceServiceRequest: resourceSpans must be a list",
    ]);
    expect((await fetch(url.replace("/v1/traces", "/v1/metrics"), { method: "POST", body: "{}" })).status).toBe(404);
    expect((await fetch(url)).status).toBe(405);
    expect((await fetch(url, { method: "POST", headers: { "Content-Type": "text/plain" }, body: "hi" })).status).toBe(415);
    expect((await postJson(url, {})).status).toBe(200);
    expect(await collector.interrupt()).toBe(0);
    expect((await collector.until("closed"))[0]).toMatchObject({ added: 0, requests: 1, spans: 0 });
  });

  it("counts spans and GenAI events that come after their trace was written and leaves traces without a root out, kept for a later import", async () => {
    const cwd = await tempFolder("trajlab-collect-late-");
    const collector = startCollector(cwd, ["--run-id", "late", "--settle", "0"]);
    const url = String((await collector.until("listening"))[0]!.url);
    const rooted = "0af7651916cd43dd8448eb211c80319c";
    const rootless = "1bf7651916cd43dd8448eb211c80319d";
    expect((await postJson(url, span(rooted, "a000000000000001", null, "agent"))).status).toBe(200);
    await collector.until("trajectory");
    expect((await postJson(url, span(rooted, "a000000000000002", "a000000000000001", "late"))).status).toBe(200);
    const lateEvent = {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                {
                  traceId: rooted,
                  spanId: "a000000000000001",
                  eventName: "gen_ai.client.inference.operation.details",
                  attributes: [{ key: "gen_ai.operation.name", value: { stringValue: "chat" } }],
                },
              ],
            },
          ],
        },
      ],
    };
    expect((await postJson(url.replace(/\/v1\/traces$/, "/v1/logs"), lateEvent)).status).toBe(200);
    expect((await postJson(url, span(rootless, "b000000000000002", "b000000000000001", "orphan"))).status).toBe(200);
    expect(await collector.interrupt()).toBe(0);
    const [closed] = await collector.until("closed");
    expect(closed).toMatchObject({
      added: 1,
      lateSpans: 1,
      lateEvents: 1,
      unfinished: [{ traceId: rootless, spans: 1 }],
      requests: 4,
      spans: 3,
    });
    const manifest = JSON.parse(await readFile(join(cwd, "runs", "late", "manifest.json"), "utf8"));
    expect(manifest.imported.collect).toMatchObject({
      requests: 4,
      spans: 3,
      traces: 2,
      lateSpans: 1,
      lateEvents: 1,
      unfinished: 1,
      closedAt: expect.any(String),
    });
    // The received file holds everything: importing it into the run adds the trace without a root, and leaves the written one as it is.
    const more = await trajlab(["import", "otel", join(cwd, "runs", "late", "otlp-received.jsonl"), "--run-id", "late"], { cwd });
    expect(more.stdout).toMatch(/added 1 to run .*late \(1 already there\)/);
  });

  it("writes a conversation (one trace per user turn, one gen_ai.conversation.id) as one trajectory once it is idle for --idle, or at Ctrl-C", async () => {
    const cwd = await tempFolder("trajlab-collect-conversation-");
    const conversational = builtinScenarios().filter((s) => s.user);
    let conversation: string | null = null;
    const trial = async (url: string, scenarioOf: (typeof conversational)[number], id: string) => {
      const app = tracing(new JsonExporter({ url }), { service: "chat-app", batch: true, conversation: () => conversation });
      conversation = id;
      const recorded = await tracedTrial(app, scenarioOf, "wasteful");
      await app.shutdown();
      return recorded;
    };

    // Written when no span of it came for --idle, while the collector keeps listening.
    const idle = startCollector(cwd, ["--run-id", "talk", "--settle", "100", "--idle", "1s"]);
    const url = String((await idle.until("listening"))[0]!.url);
    const first = await trial(url, conversational[0]!, "conversation-a");
    const [added] = await idle.until("trajectory");
    expect(added).toMatchObject({ llmCalls: first.events.filter((e) => e.kind === "llm_call").length });
    expect(await idle.interrupt()).toBe(0);
    const [closed] = await idle.until("closed");
    expect(closed!.traces).toBeGreaterThan(1);
    expect(closed).toMatchObject({ added: 1, trajectories: 1 });

    // Written at Ctrl-C, long before its idle time is up.
    const waiting = startCollector(cwd, ["--run-id", "talk", "--settle", "100", "--idle", "10m"]);
    const second = await trial(String((await waiting.until("listening"))[0]!.url), conversational[1]!, "conversation-b");
    expect(await waiting.interrupt()).toBe(0);
    expect((await waiting.until("closed"))[0]).toMatchObject({ added: 1, trajectories: 2 });

    const runDir = join(cwd, "runs", "talk");
    const written = (await readFile(join(runDir, "trajectories.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Trajectory);
    expect(written.map(essentials)).toEqual([essentials(first), essentials(second)]);
    // The received file read back gives the same conversations, already there.
    const again = await trajlab(["import", "otel", join(runDir, "otlp-received.jsonl"), "--run-id", "talk"], { cwd });
    expect(again.stdout).toContain("nothing new: run talk already holds all 2 trajectories");
  });

  it("joins GenAI events sent as log records to /v1/logs to the spans they name: operation details and the older per-message events", async () => {
    const cwd = await tempFolder("trajlab-collect-logs-");
    const collector = startCollector(cwd, ["--run-id", "events", "--settle", "100"]);
    const traces = String((await collector.until("listening"))[0]!.url);
    const logsUrl = traces.replace(/\/v1\/traces$/, "/v1/logs");
    // An app that records content as events, not span attributes: real SDKs, protobuf to both endpoints.
    const resource = resourceFromAttributes({ "service.name": "events-app" });
    const tracerProvider = new NodeTracerProvider({
      resource,
      spanProcessors: [new SimpleSpanProcessor(new ProtobufExporter({ url: traces }))],
    });
    const loggerProvider = new LoggerProvider({
      resource,
      processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: logsUrl }) })],
    });
    const tracer = tracerProvider.getTracer("events-app");
    const logger = loggerProvider.getLogger("events-app");
    const within = (span: Span) => trace.setSpan(otelContext.active(), span);

    const agent = tracer.startSpan("invoke_agent Forecaster", {
      attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "Forecaster" },
    });
    const inAgent = within(agent);
    const first = tracer.startSpan(
      "chat model-x",
      { attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "model-x" } },
      inAgent,
    );
    logger.emit({
      eventName: "gen_ai.client.inference.operation.details",
      context: within(first),
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.input.messages": [{ role: "user", parts: [{ type: "text", content: "Snow in Oslo tomorrow?" }] }],
        "gen_ai.output.messages": [
          {
            role: "assistant",
            parts: [{ type: "tool_call", id: "c1", name: "forecast", arguments: { city: "Oslo" } }],
            finish_reason: "tool_call",
          },
        ],
        "gen_ai.usage.input_tokens": 21,
        "gen_ai.usage.output_tokens": 6,
      },
    });
    first.end();
    const tool = tracer.startSpan(
      "execute_tool forecast",
      {
        attributes: {
          "gen_ai.operation.name": "execute_tool",
          "gen_ai.tool.name": "forecast",
          "gen_ai.tool.call.id": "c1",
          "gen_ai.tool.call.result": "snow, -3 C",
        },
      },
      inAgent,
    );
    tool.end();
    const second = tracer.startSpan(
      "chat model-x",
      { attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "model-x" } },
      inAgent,
    );
    const inSecond = within(second);
    logger.emit({ eventName: "gen_ai.user.message", context: inSecond, body: { content: "Snow in Oslo tomorrow?" } });
    logger.emit({ eventName: "gen_ai.tool.message", context: inSecond, body: { content: "snow, -3 C", id: "c1" } });
    logger.emit({
      eventName: "gen_ai.choice",
      context: inSecond,
      body: { index: 0, finish_reason: "stop", message: { content: "Yes: snow, -3 C." } },
    });
    second.end();
    await loggerProvider.forceFlush();
    agent.end();
    await tracerProvider.shutdown();
    await loggerProvider.shutdown();

    const [added] = await collector.until("trajectory");
    expect(added).toMatchObject({ llmCalls: 2, toolCalls: 1, failedCalls: 0, agents: ["Forecaster"] });
    expect(await collector.interrupt()).toBe(0);
    const runDir = join(cwd, "runs", "events");
    const [written] = (await readFile(join(runDir, "trajectories.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Trajectory);
    expect(
      written!.events.map((e) =>
        e.kind === "message"
          ? `${e.role}: ${e.content}`
          : e.kind === "llm_call"
            ? `model:${[e.output.content, ...e.output.toolCalls.map((c) => `${c.name}(${JSON.stringify(c.args)})`)].map((part) => (part ? ` ${part}` : "")).join("")}`
            : e.kind === "tool_call"
              ? `${e.name} → ${e.resultText}`
              : e.kind,
      ),
    ).toEqual(["user: Snow in Oslo tomorrow?", 'model: forecast({"city":"Oslo"})', "forecast → snow, -3 C", "model: Yes: snow, -3 C."]);
    expect(written!.events.find((e) => e.kind === "llm_call")).toMatchObject({
      usage: { source: "provider", inputTokens: 21, outputTokens: 6 },
    });
    // The log requests are kept with the spans: the received file read back gives the same trajectory.
    const again = await trajlab(["import", "otel", join(runDir, "otlp-received.jsonl"), "--run-id", "events"], { cwd });
    expect(again.stdout).toContain("nothing new: run events already holds all 1 trajectories");
  });

  it("refuses a port that is taken, naming it, exit 2, and makes no run", async () => {
    const taken = createServer().listen(0, "127.0.0.1");
    await new Promise((done) => taken.once("listening", done));
    onTestFinished(() => void taken.close());
    const port = (taken.address() as { port: number }).port;
    const cwd = await tempFolder("trajlab-collect-port-");
    await mkdir(join(cwd, "runs"));
    const result = await trajlab(["collect", "--port", String(port)], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot listen on 127.0.0.1:${port}: the port is in use`);
    expect(result.stderr).toContain("fix: stop the program on that port, or choose another with --port");
    // It listens before it makes the run: a collector that could not start leaves no empty run behind.
    expect(await readdir(join(cwd, "runs"))).toEqual([]);
  });
});
