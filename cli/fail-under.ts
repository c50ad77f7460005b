import { InvalidArgumentError } from "commander";
import type { Summary } from "../harness/index.js";
import { formatUsd } from "./money.js";

/** A figure of a run's summary that `--fail-under` can hold it to. */
interface Gate {
  /** "min": the run fails below the threshold; "max": above it. */
  readonly bound: "min" | "max";
  readonly meaning: string;
  /** The figure, or null when the run did not measure it (the reason is `unmeasured`). */
  readonly value: (summary: Summary) => number | null;
  readonly unmeasured: string;
  readonly format: (value: number) => string;
}

const ratio = (part: number | undefined, whole: number): number | null => (part === undefined || whole === 0 ? null : part / whole);
const percent = (value: number): string => `${(value * 100).toFixed(1).replace(/\.0$/, "")}%`;

/** The figures `--fail-under` knows, each with the direction in which a run is worse. */
export const GATES = {
  success: {
    bound: "min",
    meaning: "of trials passed",
    value: (summary) => (summary.trajectories === 0 ? null : summary.passRate),
    unmeasured: "no trial was recorded",
    format: percent,
  },
  precision: {
    bound: "min",
    meaning: "of tool calls stand for a reference call",
    value: (summary) => summary.toolCallPrecision ?? null,
    unmeasured: "no scenario has a reference plan (or no tool was called)",
    format: percent,
  },
  recall: {
    bound: "min",
    meaning: "of reference calls made",
    value: (summary) => summary.toolCallRecall ?? null,
    unmeasured: "no scenario has a reference plan",
    format: percent,
  },
  "skippable-rate": {
    bound: "max",
    meaning: "of tool calls labelled skippable",
    value: (summary) => ratio(summary.skippableCalls, summary.toolCalls),
    unmeasured: "no tool call was made",
    format: percent,
  },
  "flagged-rate": {
    bound: "max",
    meaning: "of tool calls flagged as avoidable or wrong",
    value: (summary) => ratio(summary.flaggedCalls, summary.toolCalls),
    unmeasured: "no tool call was made",
    format: percent,
  },
  cost: {
    bound: "max",
    meaning: "spent on model calls",
    value: (summary) => (summary.cost && summary.cost.pricedCalls > 0 ? summary.cost.spentUsd : null),
    unmeasured: "no model call has a price (policy models, or models without a price in trajlab.config.ts)",
    format: formatUsd,
  },
} satisfies Record<string, Gate>;

export type GateName = keyof typeof GATES;

/** One threshold of `--fail-under`. */
export interface Threshold {
  readonly gate: GateName;
  readonly value: number;
}

/** Commander parser for `--fail-under success=0.8,skippable-rate=0.1` (repeatable; rates as fractions or percentages). */
export function thresholds(value: string, previous: Threshold[] = []): Threshold[] {
  const parsed = value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part): Threshold => {
      const [name, amount] = part.split("=", 2).map((text) => text?.trim());
      const known = Object.keys(GATES).join(", ");
      if (!name || !(name in GATES)) {
        throw new InvalidArgumentError(`--fail-under: no figure called ${JSON.stringify(name ?? part)}; the figures are ${known}`);
      }
      const gate = name as GateName;
      const number = amount?.endsWith("%") ? Number(amount.slice(0, -1)) / 100 : Number(amount?.replace(/^\$/, ""));
      const isRate = gate !== "cost";
      if (amount === undefined || amount === "" || !Number.isFinite(number) || number < 0 || (isRate && number > 1)) {
        throw new InvalidArgumentError(
          `--fail-under ${gate} expects ${isRate ? "a fraction from 0 to 1 (or a percentage), e.g. " + gate + "=0.8" : "an amount of US dollars, e.g. cost=2.50"}, got ${JSON.stringify(part)}`,
        );
      }
      return { gate, value: number };
    });
  return [...previous, ...parsed];
}

/** How a run measured against one threshold. */
export interface GateResult extends Threshold {
  readonly bound: "min" | "max";
  /** Null when the run did not measure the figure (which fails the check). */
  readonly measured: number | null;
  readonly passed: boolean;
  /** One line saying so: the figure, the threshold and which way it failed. */
  readonly line: string;
}

/**
 * Checks a run's summary against `--fail-under`'s thresholds. A figure the
 * run did not measure fails its check: a gate that cannot look is not passed.
 */
export function checkThresholds(summary: Summary, wanted: readonly Threshold[]): GateResult[] {
  return wanted.map((threshold) => {
    const gate: Gate = GATES[threshold.gate];
    const measured = gate.value(summary);
    const passed = measured !== null && (gate.bound === "min" ? measured >= threshold.value : measured <= threshold.value);
    const wanted = `${gate.bound === "min" ? "at least" : "at most"} ${gate.format(threshold.value)}`;
    const line =
      measured === null
        ? `--fail-under ${threshold.gate}: failed, not measured: ${gate.unmeasured} (wanted ${wanted})`
        : `--fail-under ${threshold.gate}: ${passed ? "passed" : "failed"}, ${gate.format(measured)} ${gate.meaning} (wanted ${wanted})`;
    return { ...threshold, bound: gate.bound, measured, passed, line };
  });
}
