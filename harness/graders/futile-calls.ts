import type { GradableTrajectory, ToolCallEvent } from "../trajectory/schema.js";
import { BUILTIN_LABELS } from "./builtin-labels.js";
import { isTransientError, toolBehaviours } from "./call-behaviour.js";
import { defineGrader } from "./define.js";
import { FlowText, plainText, valuesIn } from "./flow-values.js";
import { eventOrder, type Grader, type StepLabel } from "./grade.js";
import { oneLineClip } from "../util/one-line.js";

/** A failed call given identifiers nobody had given the agent. */
export interface MadeUpIdCall {
  readonly call: ToolCallEvent;
  readonly ids: readonly string[];
}

/**
 * An identifier, as agents pass them: one token of 5 to 64 characters with a
 * digit, and a letter or at least six digits (`credit_card_7334`, `W2378156`,
 * `O-1002`); not a date, a time or an amount.
 */
function looksLikeId(text: string): boolean {
  return (
    text.length >= 5 &&
    text.length <= 64 &&
    !/\s/.test(text) &&
    /\d/.test(text) &&
    (/\p{L}/u.test(text) || text.replace(/\D/g, "").length >= 6) &&
    !/^\d{4}-\d{2}-\d{2}/.test(text) &&
    !/^\d{1,2}:\d{2}/.test(text) &&
    !/^[-+−]?[$€£]?\d[\d,.]*$/.test(text)
  );
}

function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, out);
  else if (value && typeof value === "object") for (const item of Object.values(value)) stringsIn(item, out);
  return out;
}

/**
 * Failed calls whose arguments carry an identifier that appeared nowhere
 * before the call: not in the agent's instructions, the task, what the user
 * said, or any earlier tool result (the agent's own earlier words and
 * arguments do not count: they may be where it was made up). Momentary
 * failures are left out: those did not fail for the id.
 */
export function madeUpIdCalls(trajectory: GradableTrajectory): MadeUpIdCall[] {
  const sources: string[] = [trajectory.task ?? ""];
  const found: MadeUpIdCall[] = [];
  for (const event of trajectory.events) {
    if (event.kind === "message" && (event.role === "user" || event.role === "system")) sources.push(event.content);
    if (event.kind !== "tool_call") continue;
    if (event.status === "error" && !isTransientError(event)) {
      const known = new FlowText(sources.join("\n"));
      const ids = [...new Set(stringsIn(event.args).filter(looksLikeId))].filter((id) => !known.holdsWord(id.toLowerCase()));
      if (ids.length > 0) found.push({ call: event, ids });
    }
    if (event.status === "ok") sources.push(event.resultText);
  }
  return found;
}

/** A lookup made for a request the agent had itself said is not allowed. */
export interface RefusedRequestCall {
  readonly call: ToolCallEvent;
  /** The agent's sentence that refused it, and the event that holds it. */
  readonly refusal: { readonly eventId: string; readonly sentence: string };
  /** The values of the lookup's arguments the refusal named. */
  readonly values: readonly string[];
}

/** Wording with which an agent says a request cannot be granted. */
const REFUSAL =
  /\b(?:not allowed|isn't allowed|not permitted|cannot be (?:modified|changed|cancel+ed|done|made)|can't be (?:modified|changed|cancel+ed|done|made)|is not possible|isn't possible|not eligible|(?:does|do) not (?:allow|permit)|doesn't allow|don't allow|against (?:the|our) policy|prohibited)\b/i;

/**
 * Successful lookups whose arguments carry a value that a sentence of the
 * agent's, before them, said was not allowed (or not possible), when no
 * result before that sentence held the value: it came from the request the
 * agent had refused, so whatever the lookup found could not be used by the
 * agent's own account. Tools that record thoughts are not lookups.
 */
export function refusedRequestCalls(trajectory: GradableTrajectory): RefusedRequestCall[] {
  const behaviours = toolBehaviours(trajectory);
  const refusals: Array<{ eventId: string; sentence: string; text: FlowText; resultsBefore: number }> = [];
  const results: FlowText[] = [];
  const found: RefusedRequestCall[] = [];
  for (const event of trajectory.events) {
    const said =
      event.kind === "llm_call" ? event.output.content : event.kind === "message" && event.role === "assistant" ? event.content : "";
    for (const sentence of said.split(/(?<=[.!?])\s+|\n+/)) {
      if (REFUSAL.test(sentence))
        refusals.push({ eventId: event.id, sentence: sentence.trim(), text: new FlowText(sentence), resultsBefore: results.length });
    }
    if (event.kind !== "tool_call") continue;
    if (event.status === "ok" && event.effect === "read" && behaviours.get(event.name) !== "thought") {
      const args = valuesIn(event.args, false);
      for (const refusal of refusals) {
        const named = args.filter(
          (value) => refusal.text.has(value) && !results.slice(0, refusal.resultsBefore).some((result) => result.has(value)),
        );
        if (named.length > 0) {
          found.push({
            call: event,
            refusal: { eventId: refusal.eventId, sentence: refusal.sentence },
            values: named.map((value) => value.shown),
          });
          break;
        }
      }
    }
    if (event.status === "ok") results.push(new FlowText(plainText(event.result ?? event.resultText)));
  }
  return found;
}

/**
 * Futile calls, calls that could not serve the task:
 *
 * - `made_up_id`: a call that failed after being given an identifier nobody
 *   had given the agent (no instruction, user message or earlier result
 *   holds it) was bound to fail: the id was made up;
 * - `refused_request`: a lookup for a request the agent itself had said is
 *   not allowed: by its own account nothing it found could be used.
 *
 * Both could have been left out (or, for the first, the id looked up).
 */
export const futileCallsGrader: Grader = defineGrader({
  id: "futile-calls",
  description:
    "calls that could not serve the task: failed calls given made-up ids, lookups for a request the agent had said is not allowed",
  labels: BUILTIN_LABELS["futile-calls"],
  grade(trajectory) {
    const steps: StepLabel[] = [
      ...madeUpIdCalls(trajectory).map(({ call, ids }) => ({
        eventId: call.id,
        label: "made_up_id",
        reason: `${call.name} was given ${ids.map((id) => JSON.stringify(id)).join(", ")}, which no instruction, user message or earlier result held, and failed: ${oneLineClip(call.error?.message ?? call.resultText)}`,
      })),
      ...refusedRequestCalls(trajectory).map(({ call, refusal, values }) => ({
        eventId: call.id,
        label: "refused_request",
        reason: `${call.name} looked up ${values.map((value) => JSON.stringify(value)).join(", ")} after the agent had said (${refusal.eventId}) ${JSON.stringify(oneLineClip(refusal.sentence))}: by its own account what it found could not be used`,
        related: [refusal.eventId],
      })),
    ].sort((a, b) => eventOrder(a.eventId) - eventOrder(b.eventId));
    const calls = trajectory.events.filter((event) => event.kind === "tool_call").length;
    return {
      score: calls === 0 ? 1 : 1 - steps.length / calls,
      pass: steps.length === 0,
      comment:
        steps.length === 0
          ? "no futile calls"
          : `${steps.length} futile call(s): ${steps.map((s) => `${s.eventId} (${s.label})`).join(", ")}`,
      steps,
    };
  },
});
