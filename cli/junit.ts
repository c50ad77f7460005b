import type { Trajectory } from "../harness/index.js";

/**
 * Text as XML 1.0 character data or an attribute value: the five markup
 * characters escaped, and what XML cannot hold at all (control characters
 * other than tab, newline and carriage return; lone surrogates; U+FFFE/U+FFFF)
 * replaced by U+FFFD, since a model's or tool's text may contain anything and
 * one such character makes the whole report unreadable to a CI server.
 */
export function xmlText(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** Seconds with millisecond precision, as JUnit's `time` attributes hold them. */
const seconds = (ms: number): string => (ms / 1000).toFixed(3);

const attributes = (values: Record<string, string | number>): string =>
  Object.entries(values)
    .map(([name, value]) => ` ${name}="${xmlText(String(value))}"`)
    .join("");

/** Why one trial failed: how it ended when it did not complete, else the outcome's failed checks. */
function trialProblem(trajectory: Trajectory): { kind: "error" | "failure"; message: string } | null {
  const { termination, outcome } = trajectory;
  if (termination.reason === "error") return { kind: "error", message: `error: ${termination.message ?? "no message recorded"}` };
  if (outcome?.pass) return null;
  const checks = (outcome?.checks ?? []).filter((check) => !check.pass).map((check) => `${check.name}: ${check.message}`);
  const ended = termination.reason === "completed" ? [] : [`${termination.reason}: ${termination.message ?? "no message recorded"}`];
  const message = [...ended, ...checks].join("; ");
  return { kind: "failure", message: message || (outcome ? "the outcome did not pass" : "no outcome was recorded") };
}

/** What the report says of one trial: a few strings, not the trajectory. */
interface Trial {
  readonly trial: number;
  readonly id: string;
  readonly seed: number | null;
  readonly durationMs: number;
  readonly problem: { kind: "error" | "failure"; message: string } | null;
}

/** One test case: a scenario on an agent and a model, over its trials. */
interface Case {
  readonly scenarioId: string;
  readonly trials: Trial[];
}

/**
 * A JUnit XML report of a run for CI servers: one `<testsuite>` per agent ×
 * model, one `<testcase>` per scenario in it (classname `agent.model`, so
 * flattened names stay unique). A case fails when any of its trials did not
 * pass (`<failure>` with the outcome's message, `<error>` when a trial ended
 * in an error), and lists each trial in its `<system-out>`.
 */
export function renderJunit(runId: string, trajectories: readonly Trajectory[]): string {
  const report = new JunitReport(runId);
  for (const trajectory of trajectories) report.add(trajectory);
  return report.render();
}

/**
 * {@link renderJunit} counted one trajectory at a time: it keeps what the
 * report says of each trial (ids, seed, time, the problem's message), so a run
 * of any size is reported without holding its trajectories.
 */
export class JunitReport {
  private readonly suites = new Map<string, { agent: string; model: string; cases: Map<string, Case> }>();

  constructor(private readonly runId: string) {}

  add(trajectory: Trajectory): void {
    const model = trajectory.model ?? "unknown model";
    const key = `${trajectory.agent}\u0000${model}`;
    const suite = this.suites.get(key) ?? { agent: trajectory.agent, model, cases: new Map<string, Case>() };
    this.suites.set(key, suite);
    const found = suite.cases.get(trajectory.scenarioId) ?? { scenarioId: trajectory.scenarioId, trials: [] };
    found.trials.push({
      trial: trajectory.trial,
      id: trajectory.id,
      seed: trajectory.seed,
      durationMs: trajectory.durationMs ?? 0,
      problem: trialProblem(trajectory),
    });
    suite.cases.set(trajectory.scenarioId, found);
  }

  render(): string {
    const runId = this.runId;
    const totals = { tests: 0, failures: 0, errors: 0, ms: 0 };
    const blocks: string[] = [];
    for (const suite of this.suites.values()) {
      const counts = { tests: 0, failures: 0, errors: 0, ms: 0 };
      const cases: string[] = [];
      for (const test of suite.cases.values()) {
        const trials = [...test.trials].sort((a, b) => a.trial - b.trial);
        const problems = trials.map((trial) => trial.problem);
        const failed = problems.filter((problem) => problem !== null);
        const ms = trials.reduce((sum, trial) => sum + trial.durationMs, 0);
        counts.tests += 1;
        counts.ms += ms;
        const lines = trials.map((trial, index) => {
          const problem = problems[index];
          return `trial ${trial.trial} (${trial.id}, seed ${trial.seed}): ${problem ? problem.message : "pass"}`;
        });
        let verdict = "";
        const first = failed[0];
        if (first) {
          const kind = failed.some((problem) => problem.kind === "error") ? "error" : "failure";
          if (kind === "error") counts.errors += 1;
          else counts.failures += 1;
          const message = `${failed.length} of ${trials.length} trial(s) did not pass: ${first.message}`;
          verdict = `\n      <${kind}${attributes({ message, type: kind === "error" ? "trial-error" : "outcome" })}>${xmlText(lines.filter((_, i) => problems[i]).join("\n"))}</${kind}>`;
        }
        cases.push(
          `    <testcase${attributes({ classname: `${suite.agent}.${suite.model}`, name: test.scenarioId, time: seconds(ms) })}>${verdict}\n      <system-out>${xmlText(lines.join("\n"))}</system-out>\n    </testcase>`,
        );
      }
      for (const name of ["tests", "failures", "errors", "ms"] as const) totals[name] += counts[name];
      blocks.push(
        `  <testsuite${attributes({ name: `${suite.agent} · ${suite.model}`, tests: counts.tests, failures: counts.failures, errors: counts.errors, skipped: 0, time: seconds(counts.ms) })}>\n    <properties>\n      <property${attributes({ name: "run", value: runId })}/>\n      <property${attributes({ name: "agent", value: suite.agent })}/>\n      <property${attributes({ name: "model", value: suite.model })}/>\n    </properties>\n${cases.join("\n")}\n  </testsuite>`,
      );
    }
    const head = `<testsuites${attributes({ name: `trajlab run ${runId}`, tests: totals.tests, failures: totals.failures, errors: totals.errors, time: seconds(totals.ms) })}>`;
    return `<?xml version="1.0" encoding="UTF-8"?>\n${head}\n${blocks.join("\n")}${blocks.length > 0 ? "\n" : ""}</testsuites>\n`;
  }
}
