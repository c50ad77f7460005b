import { handoffTarget, handoffToolName, membersWithTool, SUPERVISOR, type Team } from "../team.js";
import { isScriptAsk, type PolicyScript, type ScriptAction, type ScriptStep } from "./policy.js";

/**
 * Routes a script over a team: each step gets the agent that makes it, and
 * the handoffs a good supervisor makes are inserted as explicit steps. The
 * supervisor starts; it transfers to a member before that member's steps; a
 * member returns control by answering (no step) when the next step is not
 * its own; questions to the user and the final answer are the supervisor's.
 * Explicit `transfer_to_<agent>` steps are kept as written, so a script can
 * route through an intermediate agent on purpose.
 *
 * Routing a routed script changes nothing, and steps that already name their
 * agent are kept as the same objects (faults refer to steps by identity).
 */
export function routeScript(script: PolicyScript, team: Team): PolicyScript {
  if (script.routed) return script;
  const members = new Set(team.members.map((member) => member.name));
  const steps: ScriptAction[] = [];
  let current = SUPERVISOR;
  const moveTo = (agent: string): void => {
    if (agent === current) return;
    // A member gives control back by answering; the supervisor then hands on.
    current = SUPERVISOR;
    if (agent !== SUPERVISOR) {
      steps.push({ tool: handoffToolName(agent), args: {}, agent: SUPERVISOR });
      current = agent;
    }
  };
  script.steps.forEach((step, index) => {
    if (isScriptAsk(step)) {
      moveTo(SUPERVISOR);
      steps.push(step.agent === SUPERVISOR ? step : { ...step, agent: SUPERVISOR });
      return;
    }
    const agent = step.agent ?? assignAgent(team, step, current, script.steps.slice(index + 1));
    moveTo(agent);
    steps.push(step.agent === agent ? step : { ...step, agent });
    const target = handoffTarget(step.tool);
    if (target !== null && members.has(target)) current = target;
  });
  return { ...script, steps, routed: true };
}

/**
 * The agent for a step that names none: the acting agent if it holds the
 * tool, else the agent of the next step that names one (if it holds the
 * tool), else the first member that does. A tool nobody holds stays with the
 * acting member (the call will fail as an unknown tool, as it would for a model).
 */
function assignAgent(team: Team, step: ScriptStep, current: string, later: readonly ScriptAction[]): string {
  if (handoffTarget(step.tool) !== null) return current;
  const holders = membersWithTool(team, step.tool).map((member) => member.name);
  if (holders.includes(current)) return current;
  const next = later.find((candidate) => candidate.agent !== undefined)?.agent;
  if (next !== undefined && holders.includes(next)) return next;
  if (holders.length > 0) return holders[0]!;
  return current !== SUPERVISOR ? current : (team.members[0]?.name ?? SUPERVISOR);
}

/** The script a single agent replays: handoff steps removed, each kept step with its index in `script`. */
export function withoutHandoffs(script: PolicyScript): { script: PolicyScript; indexes: number[] } {
  if (!script.routed) return { script, indexes: script.steps.map((_, index) => index) };
  const indexes: number[] = [];
  const steps: ScriptAction[] = [];
  script.steps.forEach((step, index) => {
    if (!isScriptAsk(step) && handoffTarget(step.tool) !== null) return;
    steps.push(step);
    indexes.push(index);
  });
  return { script: { ...script, steps }, indexes };
}
