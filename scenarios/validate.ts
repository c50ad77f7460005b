import { errorMessage } from "../errors/index.js";
import { initialStateOf, isAskStep, planContext, resolveArgs, type Scenario } from "./define.js";
import { callTool, evaluateOutcome, executePlan, isHandoffStep } from "./execute.js";
import { handoffTarget, handoffsOf, SUPERVISOR, teamOf } from "./team.js";

/** Something wrong with a scenario, where it is, and how to fix it. */
export interface ScenarioProblem {
  readonly scenarioId: string;
  /** `file:line` where the scenario is defined, when known. */
  readonly source: string | null;
  /** The part of the scenario at fault, e.g. `reference.calls[2]`. */
  readonly field: string;
  readonly message: string;
  readonly fix: string;
}

/**
 * Checks scenarios without running any agent: ids are unique; every step of
 * the reference plan uses a tool that exists (or a handoff the team allows)
 * with arguments that pass its schema; the plan runs to the end against the
 * initial state; its final state and answer pass the scenario's own outcome
 * checks; distractors are valid reads; questions have a simulated user to
 * answer them.
 */
export function validateScenarios(scenarios: readonly Scenario[]): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const seen = new Map<string, Scenario>();
  for (const scenario of scenarios) {
    const first = seen.get(scenario.id);
    if (first) {
      problems.push(
        problem(
          scenario,
          "id",
          `id "${scenario.id}" is also used by the scenario at ${first.source ?? "(unknown file)"}`,
          "give each scenario its own id, `<domain>.<kebab-name>`",
        ),
      );
    } else {
      seen.set(scenario.id, scenario);
    }
    problems.push(...validateScenario(scenario));
  }
  return problems;
}

/** The problems of one scenario (see {@link validateScenarios}). */
function validateScenario(scenario: Scenario): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const tools = scenario.environment.tools;
  const toolNames = tools.map((tool) => tool.name).join(", ");
  const team = teamOf(scenario);
  const members = new Map(team.members.map((member) => [member.name, member]));

  scenario.reference.calls.forEach((step, index) => {
    const field = `reference.calls[${index}]`;
    if (isAskStep(step)) {
      if (!scenario.user)
        problems.push(
          problem(
            scenario,
            field,
            "the plan asks the user a question but the scenario has no simulated user",
            "add `user: defineUser({...})` to the scenario, or remove the question",
          ),
        );
      if (step.agent !== undefined && step.agent !== SUPERVISOR && scenario.team) {
        problems.push(
          problem(
            scenario,
            field,
            `question asked by "${step.agent}"; only the supervisor talks to the user`,
            `remove \`agent\` from the question or set it to "${SUPERVISOR}"`,
          ),
        );
      }
      return;
    }
    if (isHandoffStep(scenario, step.tool)) {
      const target = handoffTarget(step.tool)!;
      const from = step.agent ?? SUPERVISOR;
      if (!scenario.team) {
        problems.push(
          problem(
            scenario,
            field,
            `"${step.tool}" is a handoff but the scenario has no team`,
            `add a team (defineTeam) or remove the handoff step; tools: ${toolNames}`,
          ),
        );
      } else if (!handoffsOf(team, from).includes(target)) {
        problems.push(
          problem(
            scenario,
            field,
            `"${from}" cannot transfer to "${target}"; it may transfer to: ${handoffsOf(team, from).join(", ") || "nobody"}`,
            `add "${target}" to ${from}'s handoffs in the team, or route through the supervisor`,
          ),
        );
      }
      return;
    }
    if (!tools.some((tool) => tool.name === step.tool)) {
      problems.push(
        problem(
          scenario,
          field,
          `tool "${step.tool}" is not defined in environment "${scenario.environment.id}"`,
          `use one of: ${toolNames}`,
        ),
      );
      return;
    }
    if (scenario.team && step.agent !== undefined) {
      const member = members.get(step.agent);
      if (!member) {
        problems.push(
          problem(scenario, field, `agent "${step.agent}" is not a member of the team`, `use one of: ${[...members.keys()].join(", ")}`),
        );
      } else if (!member.tools.includes(step.tool)) {
        problems.push(
          problem(
            scenario,
            field,
            `agent "${step.agent}" does not hold tool "${step.tool}" (it holds ${member.tools.join(", ")})`,
            `give the step to a member that holds ${step.tool}, or add the tool to ${step.agent}`,
          ),
        );
      }
    }
  });

  const execution = executePlan(scenario, scenario.reference.calls, scenario.reference.answer);
  if (execution.failure) {
    const { index, tool, message } = execution.failure;
    const field = index < scenario.reference.calls.length ? `reference.calls[${index}]` : "reference.answer";
    const fix =
      tool === "(answer)"
        ? "the answer function reads a result the plan does not produce; call that tool first or read another result"
        : /expected|invalid|required/i.test(message)
          ? `make the arguments of ${tool} match its schema`
          : "fix the step (or the environment's data) so the reference plan runs from the initial state";
    if (!problems.some((p) => p.field === field))
      problems.push(problem(scenario, field, `the reference plan fails at ${tool}: ${message}`, fix));
  } else {
    const outcome = evaluateOutcome(scenario, { finalState: execution.state, finalAnswer: execution.answer });
    for (const check of outcome.checks.filter((c) => !c.pass)) {
      problems.push(
        problem(
          scenario,
          `expect (${check.name})`,
          `the reference plan does not pass its own check "${check.name}": ${check.message}`,
          check.name === "answer"
            ? "make the reference answer state those facts, or fix answerIncludes"
            : "fix the check or the reference plan so they agree",
        ),
      );
    }
  }

  scenario.distractors.forEach((distractor, index) => {
    const field = `distractors[${index}]`;
    const tool = tools.find((candidate) => candidate.name === distractor.tool);
    if (!tool) {
      problems.push(problem(scenario, field, `tool "${distractor.tool}" is not defined`, `use one of: ${toolNames}`));
      return;
    }
    if (tool.effect !== "read") {
      problems.push(
        problem(
          scenario,
          field,
          `distractor "${distractor.tool}" is a write`,
          "distractors are tempting reads whose result is not needed; use a read tool",
        ),
      );
      return;
    }
    try {
      const args = resolveArgs(distractor, planContext(execution.results, execution.userTexts));
      const outcome = callTool(tools, distractor.tool, args, initialStateOf(scenario));
      if (!outcome.ok && outcome.kind === "invalid_args")
        problems.push(
          problem(
            scenario,
            field,
            `arguments fail the schema of ${distractor.tool}: ${outcome.message}`,
            `make the arguments match the schema of ${distractor.tool}`,
          ),
        );
    } catch (error) {
      problems.push(
        problem(scenario, field, `arguments could not be computed: ${errorMessage(error)}`, "give the distractor fixed arguments"),
      );
    }
  });

  if (!Number.isInteger(scenario.maxSteps) || scenario.maxSteps < 4) {
    problems.push(
      problem(
        scenario,
        "maxSteps",
        `maxSteps ${scenario.maxSteps} leaves no room for a tool call`,
        "leave maxSteps out (default 40) or give at least 4",
      ),
    );
  }
  return problems;
}

function problem(scenario: Scenario, field: string, message: string, fix: string): ScenarioProblem {
  return { scenarioId: scenario.id, source: scenario.source ?? null, field, message, fix };
}
