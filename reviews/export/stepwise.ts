import type { GradableTrajectory } from "../../harness/core.js";
import { isGradable } from "../timeline.js";
import { functionTools, trlMessages } from "./chat-format.js";
import { TrajectoryConversation, type ChatMessage } from "./conversation.js";
import { parseCorrection } from "./corrections.js";
import type { ExportLabel } from "./labels.js";
import { isFlawed, labelledSteps, provenanceOf, type ExportContext, type LabelledTarget } from "./records.js";

/**
 * `kto`: TRL's conversational unpaired preference format,
 * `{"prompt": [...], "completion": [assistant turn], "label": true|false}`,
 * one record per assistant turn whose steps are judged: false when any of
 * them is flawed, true when all are correct (a turn with unjudged steps and
 * no flawed one says too little and is left out).
 */
export function* ktoRecords(context: ExportContext): Generator<unknown> {
  for (const trajectory of context.trajectories()) {
    const steps = labelledSteps(context, trajectory);
    if (steps.size === 0) continue;
    const conversation = new TrajectoryConversation(trajectory);
    for (const call of conversation.calls()) {
      const { stepIds } = conversation.turn(call);
      const judged = stepIds.filter((id) => steps.has(id));
      if (judged.length === 0) continue;
      const flawed = judged.some((id) => isFlawed(steps.get(id)!.value));
      if (!flawed && judged.length < stepIds.length) {
        context.skip("turn partly judged");
        continue;
      }
      const prompt = conversation.promptOf(call);
      const completion: ChatMessage[] = [conversation.assistantOf(call)];
      yield {
        prompt: trlMessages(prompt),
        completion: trlMessages(completion),
        label: !flawed,
        tools: functionTools(trajectory),
        provenance: provenanceOf(
          "kto",
          trajectory,
          [...prompt, ...completion].map((message) => message.eventId),
          judged.map((id) => ({ target: `step:${id}`, label: steps.get(id)! })),
        ),
      };
    }
  }
}

/** One step of a trajectory as a process reward model reads it: what happened since the last step, the call, its result. */
interface TextStep {
  readonly eventId: string;
  readonly text: string;
  readonly label: ExportLabel | undefined;
}

/** A trajectory as text steps: the prompt before the first step, each step, and the final answer after the last. */
interface TextSteps {
  readonly prompt: string;
  readonly steps: TextStep[];
  readonly answer: string | null;
}

const ROLE_NAMES: Record<ChatMessage["role"], string> = { system: "System", user: "User", assistant: "Assistant", tool: "Tool" };

function textSteps(context: ExportContext, trajectory: GradableTrajectory): TextSteps | null {
  const conversation = new TrajectoryConversation(trajectory);
  const labels = labelledSteps(context, trajectory);
  const first = trajectory.events.find(isGradable);
  if (!first) return null;
  const firstTurn = conversation.turnOf(first.id);
  const promptMessages = firstTurn ? conversation.promptOf(firstTurn) : [];
  const prompt = promptMessages.map((message) => `${ROLE_NAMES[message.role]}: ${message.content}`).join("\n\n");
  const multiAgent = conversation.agents().length > 1;
  const speaker = (agent: string) => (multiAgent ? `Assistant (${agent})` : "Assistant");
  const steps: TextStep[] = [];
  let pending: string[] = [];
  const start = firstTurn ? trajectory.events.indexOf(firstTurn) : trajectory.events.indexOf(first);
  for (const event of trajectory.events.slice(start)) {
    if (event.kind === "message" && event.role === "user") pending.push(`User: ${event.content}`);
    else if (event.kind === "llm_call" && event.output.content !== "") pending.push(`${speaker(event.agent)}: ${event.output.content}`);
    else if (event.kind === "tool_call") {
      const outcome = event.status === "ok" ? `Result: ${event.resultText}` : `Error: ${event.error?.message ?? event.resultText}`;
      pending.push(`Call ${event.name} ${JSON.stringify(event.args)}${multiAgent ? ` (by ${event.agent})` : ""}\n${outcome}`);
      steps.push({ eventId: event.id, text: pending.join("\n"), label: labels.get(event.id) });
      pending = [];
    } else if (event.kind === "handoff" && isGradable(event)) {
      pending.push(`Hand off from ${event.from} to ${event.to}`);
      steps.push({ eventId: event.id, text: pending.join("\n"), label: labels.get(event.id) });
      pending = [];
    }
  }
  const answer = pending.length > 0 ? pending.join("\n") : trajectory.finalAnswer === null ? null : `Assistant: ${trajectory.finalAnswer}`;
  return { prompt, steps, answer };
}

/**
 * The judged prefix of a trajectory's steps: steps in order up to the first
 * one with no value (a process is labelled from its start), and the final
 * answer, judged by the plan verdict, when every step before it is.
 */
function judgedPrefix(context: ExportContext, trajectory: GradableTrajectory) {
  const text = textSteps(context, trajectory);
  if (!text) return null;
  const firstUnjudged = text.steps.findIndex((step) => step.label === undefined);
  const steps = (firstUnjudged < 0 ? text.steps : text.steps.slice(0, firstUnjudged)) as (TextStep & { label: ExportLabel })[];
  const plan = firstUnjudged < 0 && text.answer !== null ? context.labels.plan(trajectory.id) : null;
  if (steps.length === 0) {
    context.skip(text.steps.length === 0 ? "no steps" : "first step not judged");
    return null;
  }
  const targets: LabelledTarget[] = [
    ...steps.map((step) => ({ target: `step:${step.eventId}`, label: step.label })),
    ...(plan ? [{ target: "plan", label: plan }] : []),
  ];
  return { prompt: text.prompt, steps, answer: plan ? { text: text.answer!, label: plan } : null, targets };
}

/**
 * `prm`: TRL's stepwise supervision format, `{"prompt", "completions":
 * [step texts], "labels": [bools]}`: each step is what happened since the
 * previous one (user turns, the agent's words), the call and its result,
 * labelled true when judged correct; the final answer is the last step,
 * labelled by the plan verdict.
 */
export function* prmRecords(context: ExportContext): Generator<unknown> {
  for (const trajectory of context.trajectories()) {
    const prefix = judgedPrefix(context, trajectory);
    if (!prefix) continue;
    yield {
      prompt: prefix.prompt,
      completions: [...prefix.steps.map((step) => step.text), ...(prefix.answer ? [prefix.answer.text] : [])],
      labels: [
        ...prefix.steps.map((step) => !isFlawed(step.label.value)),
        ...(prefix.answer ? [prefix.answer.label.value === "pass"] : []),
      ],
      provenance: provenanceOf(
        "prm",
        trajectory,
        prefix.steps.map((step) => step.eventId),
        prefix.targets,
      ),
    };
  }
}

/** PRM800K's ratings: +1 a good step, 0 one that makes no progress, -1 a wrong one. */
function ratingOf(verdict: string): 1 | 0 | -1 {
  if (verdict === "correct") return 1;
  return verdict === "skippable" ? 0 : -1;
}

function reasonOf(label: ExportLabel): string | null {
  if (label.notes.length > 0)
    return label.notes.map(({ reviewer, note }) => (label.notes.length > 1 ? `${reviewer}: ${note}` : note)).join("; ");
  return label.graders.length > 0 ? label.graders.map(({ grader, reason }) => `${grader}: ${reason}`).join("; ") : null;
}

/** A reviewer's "should have called" as PRM800K's human completion: the step they would have written; none for "nothing". */
function humanCompletion(text: string | null): string | null {
  if (text === null || parseCorrection(text, new Set()).kind === "nothing") return null;
  return text;
}

/**
 * `prm-ratings`: PRM800K's shape (`question.problem`, `label.steps[]` of
 * `completions` with `text`, `rating` +1/0/-1 and `flagged`,
 * `human_completion`, `chosen_completion`, and `label.finish_reason`), with
 * the reviewer's reason beside each rating and the reviewer's "should have
 * called" as the step's human completion.
 */
export function* prmRatingsRecords(context: ExportContext): Generator<unknown> {
  for (const trajectory of context.trajectories()) {
    const prefix = judgedPrefix(context, trajectory);
    if (!prefix) continue;
    const steps = prefix.steps.map((step) => ({
      completions: [
        { text: step.text, rating: ratingOf(step.label.value), flagged: null, verdict: step.label.value, reason: reasonOf(step.label) },
      ],
      human_completion: humanCompletion(step.label.shouldHaveCalled),
      chosen_completion: 0,
    }));
    if (prefix.answer) {
      const pass = prefix.answer.label.value === "pass";
      steps.push({
        completions: [
          {
            text: prefix.answer.text,
            rating: pass ? 1 : -1,
            flagged: null,
            verdict: prefix.answer.label.value,
            reason: reasonOf(prefix.answer.label),
          },
        ],
        human_completion: null,
        chosen_completion: 0,
      });
    }
    const foundError = steps.some((step) => step.completions[0]!.rating === -1);
    const labellers = [...new Set(prefix.targets.flatMap(({ label }) => label.reviewers))].sort();
    yield {
      labeler: labellers.join(",") || null,
      question: { problem: prefix.prompt },
      label: { steps, finish_reason: foundError ? "found_error" : prefix.answer?.label.value === "pass" ? "solution" : null },
      provenance: provenanceOf(
        "prm-ratings",
        trajectory,
        prefix.steps.map((step) => step.eventId),
        prefix.targets,
      ),
    };
  }
}
