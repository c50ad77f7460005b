import type { Scenario } from "../../scenarios/index.js";
import type { GradableTrajectory, HandoffEvent, TrajectoryEvent } from "../trajectory/schema.js";
import { eventOrder, type Grader, type StepLabel } from "./grade.js";
import { BUILTIN_LABELS } from "./builtin-labels.js";
import { defineGrader } from "./define.js";

/** One stretch of a run during which one agent held control. */
interface Visit {
  readonly agent: string;
  /** The handoff that gave this agent control (null for the first visit). */
  readonly entry: HandoffEvent | null;
  /** The handoff that ended the visit (null for the last). */
  exit: HandoffEvent | null;
  /** Successful tool calls (not handoffs) the agent made. */
  work: number;
  /** Tool calls that failed because the agent does not have the tool. */
  unknownTools: string[];
  /** Text the agent wrote (a report, an answer), beyond handing on. */
  wrote: boolean;
  /** A user message arrived during the visit (new information). */
  heardUser: boolean;
}

/**
 * Detours between agents in multi-agent runs, from the handoff events:
 *
 * - `pass_through`: an agent received control and handed it straight on to
 *   another (no tool call, no text of its own), when the agent that handed to
 *   it could have reached the final one directly (per the scenario's team;
 *   without the team, a supervisor can reach every member);
 * - `wrong_specialist`: an agent received control, did no work (or called
 *   tools it does not have) and gave control back, after which another
 *   specialist did the work;
 * - `ping_pong`: control went B → A → B, the second handoff to B made by
 *   choice (a handoff tool) with nothing new in between (A did no work and
 *   heard nothing from the user); B could have finished in one visit.
 *
 * A pass-through labels every handoff of its chain; the other detours label
 * the handoff that started them. The other handoffs of a detour are in
 * `related`.
 */
export const detoursGrader: Grader = defineGrader({
  id: "detours",
  description: "handoff detours between agents: pass-through chains, wrong specialists, ping-pong",
  labels: BUILTIN_LABELS["detours"],
  grade(trajectory, scenario) {
    const handoffs = trajectory.events.filter((event): event is HandoffEvent => event.kind === "handoff");
    if (handoffs.length === 0) return { score: 1, pass: true, comment: "no handoffs", steps: [] };
    const visits = visitsOf(trajectory);
    // A bounce back to an agent that already had the task is a ping-pong, not a wrong specialist.
    const steps = [...passThroughs(visits, trajectory, scenario), ...pingPongs(visits), ...wrongSpecialists(visits)];
    const unique = new Map<string, StepLabel>();
    for (const step of steps) if (!unique.has(step.eventId)) unique.set(step.eventId, step);
    const labelled = [...unique.values()].sort((a, b) => eventOrder(a.eventId) - eventOrder(b.eventId));
    return {
      score: 1 - labelled.length / handoffs.length,
      pass: labelled.length === 0,
      comment:
        labelled.length === 0
          ? `${handoffs.length} handoff(s), no detour`
          : `${labelled.length} of ${handoffs.length} handoff(s) start a detour: ${labelled.map((s) => `${s.eventId} ${s.label}`).join(", ")}`,
      steps: labelled,
    };
  },
});

/** Splits the run into visits at each handoff. */
function visitsOf(trajectory: GradableTrajectory): Visit[] {
  const root = rootAgent(trajectory);
  const visits: Visit[] = [{ agent: root, entry: null, exit: null, work: 0, unknownTools: [], wrote: false, heardUser: false }];
  let seenTask = false;
  for (const event of trajectory.events) {
    const current = visits.at(-1)!;
    if (event.kind === "handoff") {
      current.exit = event;
      visits.push({ agent: event.to, entry: event, exit: null, work: 0, unknownTools: [], wrote: false, heardUser: false });
    } else if (event.kind === "tool_call" && event.agent === current.agent) {
      if (event.status === "ok") current.work += 1;
      else if (event.error?.kind === "unknown_tool") current.unknownTools.push(event.name);
    } else if (event.kind === "llm_call" && event.agent === current.agent && event.output.content.trim().length > 0) {
      current.wrote = true;
    } else if (event.kind === "message" && event.role === "user") {
      // The task itself is the first user message; later ones are replies.
      if (seenTask) current.heardUser = true;
      seenTask = true;
    }
  }
  return visits;
}

/** The agent that held control first: the one that made the first handoff. */
function rootAgent(trajectory: GradableTrajectory): string {
  const first = trajectory.events.find((event): event is HandoffEvent => event.kind === "handoff");
  return first?.from ?? trajectory.events.find((event: TrajectoryEvent) => event.kind === "llm_call")?.agent ?? trajectory.agent;
}

function didWork(visit: Visit): boolean {
  return visit.work > 0 || visit.wrote || visit.heardUser;
}

function passThroughs(visits: readonly Visit[], trajectory: GradableTrajectory, scenario: Scenario | undefined): StepLabel[] {
  const steps: StepLabel[] = [];
  for (let i = 1; i < visits.length; i++) {
    const visit = visits[i]!;
    // Control handed in and handed on, both by choice: a return to a supervisor that then routes is its job.
    if (!visit.entry || visit.entry.via !== "tool" || !visit.exit || visit.exit.via !== "tool" || didWork(visit)) continue;
    // Follow the chain while each agent only hands on.
    const chain: HandoffEvent[] = [visit.entry, visit.exit];
    let j = i + 1;
    while (j < visits.length && visits[j]!.exit?.via === "tool" && !didWork(visits[j]!)) {
      chain.push(visits[j]!.exit!);
      j += 1;
    }
    const from = visit.entry.from;
    const to = chain.at(-1)!.to;
    if (to === from || !canHandOff(from, to, trajectory, scenario)) continue;
    const through = chain.slice(0, -1).map((handoff) => handoff.to);
    const reason = `${through.join(" → ")} received control and handed it on without doing anything; ${from} could have handed to ${to} directly`;
    // Every handoff of the chain is part of the detour.
    for (const handoff of chain) {
      steps.push({
        eventId: handoff.id,
        label: "pass_through",
        reason,
        related: chain.filter((other) => other !== handoff).map((other) => other.id),
      });
    }
    i = j - 1;
  }
  return steps;
}

function wrongSpecialists(visits: readonly Visit[]): StepLabel[] {
  const steps: StepLabel[] = [];
  for (let i = 1; i < visits.length; i++) {
    const visit = visits[i]!;
    // Given the task by a handoff tool (a supervisor receiving a report back was not given a task).
    if (!visit.entry || visit.entry.via !== "tool" || !visit.exit || visit.exit.to !== visit.entry.from) continue;
    if (visit.work > 0 || visit.heardUser) continue;
    // Someone else did the work afterwards (handed the task directly or through others).
    const next = visits.slice(i + 1).find((later) => later.agent !== visit.agent && later.agent !== visit.entry!.from && later.work > 0);
    if (!next) continue;
    const why =
      visit.unknownTools.length > 0 ? `tried ${[...new Set(visit.unknownTools)].join(", ")}, which it does not have` : "did no work";
    steps.push({
      eventId: visit.entry.id,
      label: "wrong_specialist",
      reason: `${visit.agent} ${why} and handed back to ${visit.entry.from}; ${next.agent} did the work afterwards`,
      related: [visit.exit.id, next.entry!.id],
    });
  }
  return steps;
}

function pingPongs(visits: readonly Visit[]): StepLabel[] {
  const steps: StepLabel[] = [];
  for (let i = 2; i < visits.length; i++) {
    const [b1, a, b2] = [visits[i - 2]!, visits[i - 1]!, visits[i]!];
    if (b1.agent !== b2.agent || a.agent === b1.agent || b2.entry?.via !== "tool") continue;
    if (a.heardUser || b1.heardUser || a.work > 0) continue;
    steps.push({
      eventId: b2.entry.id,
      label: "ping_pong",
      reason: `control went ${b1.agent} → ${a.agent} → ${b2.agent} with nothing new in between; ${b1.agent} could have finished in one visit`,
      related: a.entry ? [a.entry.id] : [],
    });
  }
  return steps;
}

/** Whether `from` may hand control to `to`: the team's routes, or (without a team) a supervisor to anyone. */
function canHandOff(from: string, to: string, trajectory: GradableTrajectory, scenario: Scenario | undefined): boolean {
  const team = scenario?.team;
  if (team) {
    const member = team.members.find((m) => m.name === from);
    if (member) return member.handoffs.includes(to);
    return team.members.some((m) => m.name === to);
  }
  // Without the team: the first agent (the supervisor) reaches everyone; others only where they were seen to.
  if (from === rootAgent(trajectory)) return true;
  return trajectory.events.some((event) => event.kind === "handoff" && event.via === "tool" && event.from === from && event.to === to);
}
