import pLimit from "p-limit";
import { defaultAgentId, type AgentDefinition } from "../../../agents/index.js";
import { FAULT_KINDS, faultyPolicy, type Policy, type Scenario } from "../../../scenarios/index.js";
import { TrajlabError } from "../../../errors/index.js";
import { runTrial } from "../../runner/run-trial.js";
import type { Trajectory } from "../../trajectory/schema.js";
import type { Grade, Grader } from "../../graders/grade.js";
import { gradeTrajectory, gradeTrajectoryAsync } from "../../graders/registry.js";
import {
  faultLabelRules,
  scoreLabels,
  tallyLabels,
  type FaultLabelRule,
  type GradedRun,
  type KindScore,
  type LabelTally,
} from "./score-labels.js";

/** What to validate the graders on. */
export interface ValidationPlan {
  readonly scenarios: readonly Scenario[];
  readonly agents: readonly AgentDefinition[];
  /** Policies the catalog knows (must include `reference`, `wasteful` and `faulty`). */
  readonly policies: readonly Policy[];
  readonly graders: readonly Grader[];
  /** Seeds per faulty policy (trial i uses seed i); default 2. */
  readonly seeds?: number;
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  /** Extra graders run after the others (e.g. replay); may be asynchronous. */
  readonly extraGraders?: readonly Grader[];
  /** Label rules to score; default: those the graders' label declarations give (extra graders included). */
  readonly rules?: readonly FaultLabelRule[];
}

/** One suite: a policy over every scenario. */
export interface SuiteInfo {
  readonly policy: string;
  readonly trials: number;
  readonly faults: number;
}

/** What `trajlab validate-graders` reports. */
export interface ValidationReport {
  readonly scenarios: number;
  readonly domains: string[];
  readonly trials: number;
  readonly seeds: number;
  readonly suites: SuiteInfo[];
  /** Precision and recall of each fault kind's label. */
  readonly kinds: KindScore[];
  /** Every label given, with how many fell on fault-free runs. */
  readonly labels: LabelTally[];
}

/**
 * The policies of a validation: `reference` (no faults: every label there is
 * a false alarm), `wasteful`, the mixed `faulty` policy, and one faulty
 * policy per fault kind that injects only that kind, so that rare kinds
 * (loops, premature answers) are measured on enough trials.
 */
export function validationPolicies(catalog: readonly Policy[]): Policy[] {
  const find = (id: string): Policy => {
    const policy = catalog.find((candidate) => candidate.id === id);
    if (!policy)
      throw new TrajlabError("NO_POLICY", `grader validation needs the "${id}" policy`, {
        hint: `policies: ${catalog.map((p) => p.id).join(", ")}`,
      });
    return policy;
  };
  return [
    find("reference"),
    find("wasteful"),
    find("faulty"),
    ...FAULT_KINDS.map((kind) =>
      faultyPolicy({ id: `faulty-${kind.replace(/_/g, "-")}`, only: [kind], description: `the reference plan with one injected ${kind}` }),
    ),
  ];
}

/**
 * Runs fault-injected suites over the given scenarios (each on its default
 * agent: the supervisor for team scenarios, ReAct otherwise), grades every
 * trajectory with graders that never see the ground truth, and scores the
 * labels against it.
 */
export async function runValidation(
  plan: ValidationPlan,
  onTrial?: (done: number, total: number) => void,
): Promise<{ report: ValidationReport; runs: GradedRun[] }> {
  const policies = validationPolicies(plan.policies);
  const seeds = plan.seeds ?? 2;
  const deterministic = new Set(["reference", "wasteful"]);
  const trials: Array<{ scenario: Scenario; agent: AgentDefinition; policy: Policy; seed: number }> = [];
  for (const scenario of plan.scenarios) {
    const agentId = defaultAgentId(scenario);
    const agent = plan.agents.find((candidate) => candidate.id === agentId);
    if (!agent) throw new TrajlabError("NO_AGENT", `scenario ${scenario.id} runs on agent "${agentId}", which is not loaded`);
    for (const policy of policies) {
      for (let seed = 0; seed < (deterministic.has(policy.id) ? 1 : seeds); seed++) trials.push({ scenario, agent, policy, seed });
    }
  }
  const limit = pLimit(plan.concurrency ?? 8);
  const allPolicies = [...plan.policies, ...policies.filter((p) => !plan.policies.includes(p))];
  let done = 0;
  const runs: Array<GradedRun & { policy: string }> = await Promise.all(
    trials.map(({ scenario, agent, policy, seed }) =>
      limit(async () => {
        const trajectory: Trajectory = await runTrial({
          runId: "validate-graders",
          scenario,
          agent,
          model: `policy:${policy.id}`,
          trial: seed,
          seed,
          timeoutMs: plan.timeoutMs ?? 60_000,
          policies: allPolicies,
        });
        let grades: Grade[] = gradeTrajectory(trajectory, scenario, plan.graders);
        if (plan.extraGraders?.length) grades = [...grades, ...(await gradeTrajectoryAsync(trajectory, scenario, plan.extraGraders))];
        done += 1;
        onTrial?.(done, trials.length);
        return { trajectory, grades, policy: policy.id };
      }),
    ),
  );
  const suites: SuiteInfo[] = policies.map((policy) => {
    const own = runs.filter((run) => run.policy === policy.id);
    return {
      policy: policy.id,
      trials: own.length,
      faults: own.reduce((sum, run) => sum + (run.trajectory.groundTruth?.faults.length ?? 0), 0),
    };
  });
  return {
    report: {
      scenarios: plan.scenarios.length,
      domains: [...new Set(plan.scenarios.map((scenario) => scenario.domain))].sort(),
      trials: runs.length,
      seeds,
      suites,
      kinds: scoreLabels(runs, plan.rules ?? faultLabelRules([...plan.graders, ...(plan.extraGraders ?? [])])),
      labels: tallyLabels(runs),
    },
    runs,
  };
}
