/**
 * The flags commands declare, and their parsers. This module and what it
 * imports load no command code, zod or LangChain: a command's registration
 * needs nothing else, so `trajlab <command> --help` is as quick as
 * `trajlab --help`; what a command does is in its `*-start` module, loaded
 * when it runs.
 */
import { availableParallelism } from "node:os";
import { InvalidArgumentError, Option, type Command } from "commander";
import { DEFAULT_MODEL_CALL_SETTINGS } from "../agents/defaults.js";
import type { GroupBy, Shard } from "../harness/index.js";
import { GATES, thresholds, type Threshold } from "./fail-under.js";

/** Commander parser for a positive integer option, with a message naming the flag. */
export function positiveInt(flag: string): (value: string) => number {
  return (value: string) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1) {
      throw new InvalidArgumentError(`${flag} expects a whole number of at least 1, got ${JSON.stringify(value)}`);
    }
    return number;
  };
}

/** Commander parser for any integer option. */
export function integer(flag: string): (value: string) => number {
  return (value: string) => {
    const number = Number(value);
    if (!Number.isInteger(number)) throw new InvalidArgumentError(`${flag} expects a whole number, got ${JSON.stringify(value)}`);
    return number;
  };
}

/** Collects a repeatable option; also splits comma-separated values. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean),
  ];
}

/** Commander parser for `--workers`: a number of worker threads, or `auto` for one per core. */
export function workerCount(value: string): number {
  if (value === "auto") return availableParallelism();
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) {
    throw new InvalidArgumentError(
      `--workers expects a number of worker threads of at least 1, or auto (one per core), got ${JSON.stringify(value)}`,
    );
  }
  return count;
}

/** Commander parser for `--shard i/n`: part i (from 1) of n. */
export function shardOf(value: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  if (!match || index < 1 || count < 1 || index > count) {
    throw new InvalidArgumentError(
      `--shard expects i/n with 1 ≤ i ≤ n, e.g. --shard 2/4 for the second of four parts, got ${JSON.stringify(value)}`,
    );
  }
  return { index, count };
}

/** The scenario filters every command that picks scenarios shares, as commander parses them. */
export interface ScenarioFilterOptions {
  scenario?: string[];
  domain?: string[];
  tag?: string[];
}

/** Adds `--scenario <glob>`, `--domain` and `--tag` (each repeatable) to a command. */
export function addScenarioFilters(command: Command, scope = ""): Command {
  return command
    .option("-s, --scenario <glob>", `${scope}scenario ids matching the glob, e.g. 'retail.*' (repeatable)`, collect)
    .option("--domain <domain>", `${scope}scenarios of this domain (repeatable)`, collect)
    .option("--tag <tag>", `${scope}scenarios with this tag (repeatable)`, collect);
}

/** The flags {@link addModelCallOptions} adds, as commander gives them. */
export interface ModelCallOptions {
  /** False with --no-cache. */
  readonly cache: boolean;
  readonly cacheDir?: string;
  readonly maxRetries: number;
  readonly callTimeout: number;
  readonly providerConcurrency?: Record<string, number> & { default: number };
}

/** Parses `16` (every provider) or `openai=32,anthropic=4` (those two; the others unlimited). */
function providerConcurrency(value: string): Record<string, number> & { default: number } {
  const limits: Record<string, number> & { default: number } = { default: DEFAULT_MODEL_CALL_SETTINGS.providerConcurrency.default };
  for (const part of value.split(",").map((text) => text.trim())) {
    const [name, count] = part.includes("=") ? part.split("=", 2) : ["default", part];
    const number = Number(count);
    if (!name || !Number.isInteger(number) || number < 1) {
      throw new InvalidArgumentError(
        `--provider-concurrency expects a number or provider=number pairs (openai=32,anthropic=4), got ${JSON.stringify(value)}`,
      );
    }
    limits[name.trim()] = number;
  }
  return limits;
}

/** Adds the flags for calls to real models: cache, retries, time limit per call, per-provider concurrency. */
export function addModelCallOptions(command: Command): Command {
  return command
    .option("--no-cache", "call real models even when the model-call cache holds the reply (the cache is on by default)")
    .option("--cache-dir <dir>", "where replies of real models are cached (default: <runs-dir>/.cache/model-calls)")
    .option(
      "--max-retries <n>",
      "retries of a model call on rate limits, server errors, timeouts and dropped connections",
      (value) => (value === "0" ? 0 : positiveInt("--max-retries")(value)),
      DEFAULT_MODEL_CALL_SETTINGS.maxRetries,
    )
    .option(
      "--call-timeout <ms>",
      "time limit of one attempt of a model call",
      positiveInt("--call-timeout"),
      DEFAULT_MODEL_CALL_SETTINGS.callTimeoutMs,
    )
    .option(
      "--provider-concurrency <n>",
      "model calls in flight per provider, e.g. 32, or openai=32,anthropic=4 for those two (default: no limit but --concurrency)",
      providerConcurrency,
    );
}

/** The flags {@link addCiOptions} adds, as commander gives them. */
export interface CiOptions {
  readonly junit?: string;
  readonly failUnder?: Threshold[];
}

/** Adds `--junit <file>` and `--fail-under <checks>`, for commands that end with a run's summary (run, merge). */
export function addCiOptions(command: Command): Command {
  return command
    .option(
      "--junit <file>",
      "also write a JUnit XML report: one test case per scenario × agent × model, failing when a trial did not pass",
    )
    .option(
      "--fail-under <checks>",
      `exit 3 when the run is worse than a figure, e.g. success=0.8,skippable-rate=0.1 (figures: ${Object.keys(GATES).join(", ")}; repeatable)`,
      thresholds,
    );
}

/** Every way the importers group traces, once each: a record's keys, so the compiler says when one is missing. */
const GROUPINGS = Object.keys({ conversation: true, trace: true } satisfies Record<GroupBy, true>);

/** `--group-by`, shared by `trajlab import` and `trajlab collect`. */
export function groupByOption(): Option {
  return new Option(
    "--group-by <how>",
    "traces (otel, langsmith) that name the same conversation (gen_ai.conversation.id, session.id, thread_id) make one trajectory, turns in order; trace: one trajectory per trace",
  )
    .choices(GROUPINGS)
    .default("conversation");
}

/** Commander parser for `--port`: 0 (a free port) to 65535. */
export function port(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 65535) {
    throw new InvalidArgumentError(`--port expects a port number from 0 to 65535 (0 picks a free one), got ${JSON.stringify(value)}`);
  }
  return number;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration: `500ms`, `30s`, `5m`, `1h`, or a bare number of milliseconds. */
export function duration(flag: string): (value: string) => number {
  return (value) => {
    const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(value.trim());
    if (!match)
      throw new InvalidArgumentError(
        `${flag} expects a duration such as 500ms, 30s or 5m (a bare number is milliseconds), got ${JSON.stringify(value)}`,
      );
    return Math.round(Number(match[1]) * UNITS[match[2] ?? "ms"]!);
  };
}

/** Commander parser for `--min-agreement`: a share from 0 to 1, or a percentage. */
export function share(value: string): number {
  const number = value.endsWith("%") ? Number(value.slice(0, -1)) / 100 : Number(value);
  if (!Number.isFinite(number) || number < 0 || number > 1) {
    throw new InvalidArgumentError(`--min-agreement expects a share between 0 and 1 (or a percentage), got ${JSON.stringify(value)}`);
  }
  return number;
}

/** Commander parser for an amount of US dollars (`--max-cost 2.50`). */
export function dollars(value: string): number {
  const amount = Number(value.replace(/^\$/, ""));
  if (!Number.isFinite(amount) || amount <= 0)
    throw new InvalidArgumentError(`--max-cost expects an amount of US dollars above 0, e.g. 2.50, got ${JSON.stringify(value)}`);
  return amount;
}
