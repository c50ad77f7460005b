import { canonicalJson, type GradableTrajectory, type LlmCallEvent } from "../../harness/core.js";
import { functionTools, hasParallelCalls, openAiMessages, toolNamesOf, trlMessages } from "./chat-format.js";
import { TrajectoryConversation, type ChatMessage, type ChatToolCall } from "./conversation.js";
import { parseCorrection } from "./corrections.js";
import type { ExportLabel } from "./labels.js";
import { isFlawed, labelledSteps, provenanceOf, type ExportContext, type LabelledTarget, type Provenance } from "./records.js";

type Assistant = ChatMessage & { role: "assistant" };

/** A preference between two continuations of one prompt. */
interface Preference {
  readonly prompt: ChatMessage[];
  readonly chosen: ChatMessage[];
  readonly rejected: ChatMessage[];
  readonly trajectory: GradableTrajectory;
  /** For pairs: the trajectory the rejected side comes from. */
  readonly other?: GradableTrajectory;
  /** `pair`: a reviewer preferred one trajectory; `correction`: a judged step against what it should have been. */
  readonly origin: "pair" | "correction";
  readonly targets: LabelledTarget[];
}

/**
 * Every preference the reviews give: pairwise verdicts (the two
 * trajectories' shared prefix as the prompt, the rest of each as chosen and
 * rejected) and step corrections (an assistant turn with steps judged flawed,
 * against the same turn with each flawed call replaced by what the reviewer
 * said it should have called, or left out when it was skippable; a turn left
 * with no call goes straight on to the agent's next needed step).
 */
function* preferences(context: ExportContext): Generator<Preference> {
  yield* fromPairs(context);
  for (const trajectory of context.trajectories()) yield* fromCorrections(context, trajectory);
}

function* fromPairs(context: ExportContext): Generator<Preference> {
  for (const judgement of context.labels.pairs()) {
    if (judgement.target.kind !== "pair") continue;
    const label = context.labels.pair(judgement);
    if (!label) continue;
    if (label.value === "tie") {
      context.skip("pair judged a tie");
      continue;
    }
    const preferred = context.trajectory(label.value === "a" ? judgement.target.a : judgement.target.b);
    const other = context.trajectory(label.value === "a" ? judgement.target.b : judgement.target.a);
    if (!preferred || !other) {
      context.skip("pair outside the filters or runs");
      continue;
    }
    const chosen = rootConversation(preferred);
    const rejected = rootConversation(other);
    const cut = sharedPrefix(chosen, rejected);
    if (cut === null) {
      context.skip("pair shares no prompt");
      continue;
    }
    yield {
      prompt: chosen.slice(0, cut),
      chosen: chosen.slice(cut),
      rejected: rejected.slice(cut),
      trajectory: preferred,
      other,
      origin: "pair",
      targets: [{ target: "pair", label }],
    };
  }
}

function rootConversation(trajectory: GradableTrajectory): ChatMessage[] {
  const conversation = new TrajectoryConversation(trajectory);
  const root = conversation.agents()[0];
  return root === undefined ? [] : conversation.conversationOf(root);
}

/** What a message says, without the ids that differ between two runs of one scenario. */
function sameMessage(a: ChatMessage, b: ChatMessage): boolean {
  if (a.role !== b.role || a.content !== b.content) return false;
  if (a.role === "assistant" && b.role === "assistant") {
    return (
      canonicalJson(a.toolCalls.map(({ name, arguments: args }) => [name, args])) ===
      canonicalJson(b.toolCalls.map(({ name, arguments: args }) => [name, args]))
    );
  }
  return a.role !== "tool" || b.role !== "tool" || a.name === b.name;
}

/**
 * Where two conversations part: the index of the first message that differs,
 * moved back to an assistant message so both continuations start with the
 * agent's turn. Null when they differ before any assistant turn (different
 * system prompts or tasks) or not at all.
 */
export function sharedPrefix(a: readonly ChatMessage[], b: readonly ChatMessage[]): number | null {
  let index = 0;
  while (index < a.length && index < b.length && sameMessage(a[index]!, b[index]!)) index += 1;
  if (index === a.length && index === b.length) return null;
  for (let cut = index; cut >= 0; cut -= 1) {
    if (a[cut]?.role === "assistant" && b[cut]?.role === "assistant") return cut === 0 ? null : cut;
  }
  return null;
}

function* fromCorrections(context: ExportContext, trajectory: GradableTrajectory): Generator<Preference> {
  const steps = labelledSteps(context, trajectory);
  const flawed = [...steps].filter(([, label]) => isFlawed(label.value));
  if (flawed.length === 0) return;
  const conversation = new TrajectoryConversation(trajectory);
  const toolNames = new Set(toolNamesOf(trajectory));
  const turns = new Map<LlmCallEvent, string[]>();
  for (const [eventId] of flawed) {
    const turn = conversation.turnOf(eventId);
    if (turn) turns.set(turn, [...(turns.get(turn) ?? []), eventId]);
    else context.skip("flawed step with no recorded model call");
  }
  for (const [turn, eventIds] of turns) {
    const rejected = conversation.assistantOf(turn);
    const chosen = correctedTurn(conversation, turn, steps, toolNames);
    if (!chosen) {
      context.skip("flawed step with no usable correction");
      continue;
    }
    yield {
      prompt: conversation.promptOf(turn),
      chosen: [chosen],
      rejected: [rejected],
      trajectory,
      origin: "correction",
      targets: eventIds.map((eventId) => ({ target: `step:${eventId}`, label: steps.get(eventId)! })),
    };
  }
}

/** How a flawed call is fixed: replaced by a call, or dropped; null when the review says neither. */
function fixOf(label: ExportLabel, toolNames: ReadonlySet<string>): { call: Omit<ChatToolCall, "id" | "eventId"> } | "drop" | null {
  const correction = label.shouldHaveCalled === null ? null : parseCorrection(label.shouldHaveCalled, toolNames);
  if (correction?.kind === "call") return { call: { name: correction.name, arguments: correction.arguments } };
  if (label.value === "skippable" || correction?.kind === "nothing") return "drop";
  return null;
}

/** The turn as it should have been, or null when a flawed call in it has no usable correction. */
function correctedTurn(
  conversation: TrajectoryConversation,
  turn: LlmCallEvent,
  steps: ReadonlyMap<string, ExportLabel>,
  toolNames: ReadonlySet<string>,
): Assistant | null {
  const fixed = fixedCalls(conversation.assistantOf(turn), steps, toolNames);
  if (!fixed) return null;
  if (fixed.toolCalls.length > 0) return fixed;
  // Every call was to be left out: the agent should have gone straight on to its next needed step.
  const calls = conversation.calls(turn.agent);
  for (const call of calls.slice(calls.indexOf(turn) + 1)) {
    const next = fixedCalls(conversation.assistantOf(call), steps, toolNames);
    if (!next) return null;
    if (next.toolCalls.length > 0 || next.content !== "") return { ...next, content: next.content || fixed.content };
  }
  return fixed.content !== "" ? fixed : null;
}

function fixedCalls(message: Assistant, steps: ReadonlyMap<string, ExportLabel>, toolNames: ReadonlySet<string>): Assistant | null {
  const toolCalls: ChatToolCall[] = [];
  for (const call of message.toolCalls) {
    const label = call.eventId ? steps.get(call.eventId) : undefined;
    if (!label || !isFlawed(label.value)) {
      toolCalls.push(call);
      continue;
    }
    const fix = fixOf(label, toolNames);
    if (fix === null) return null;
    if (fix !== "drop") toolCalls.push({ ...fix.call, id: call.id, eventId: null });
  }
  return { ...message, toolCalls };
}

function provenance(kind: string, preference: Preference): Provenance & { origin: Preference["origin"] } {
  const eventIds = [...preference.prompt, ...preference.chosen, ...preference.rejected].map((message) => message.eventId);
  return { ...provenanceOf(kind, preference.trajectory, eventIds, preference.targets, preference.other), origin: preference.origin };
}

/**
 * `dpo`: TRL's conversational preference format with an explicit prompt,
 * `{"prompt": [...], "chosen": [...], "rejected": [...]}`, plus the tools.
 */
export function* dpoRecords(context: ExportContext): Generator<unknown> {
  for (const preference of preferences(context)) {
    yield {
      prompt: trlMessages(preference.prompt),
      chosen: trlMessages(preference.chosen),
      rejected: trlMessages(preference.rejected),
      tools: functionTools(preference.trajectory),
      provenance: provenance("dpo", preference),
    };
  }
}

/**
 * `openai-dpo`: OpenAI's preference fine-tuning format: `input` (messages,
 * tools, parallel_tool_calls) and one assistant message each as
 * `preferred_output` and `non_preferred_output` (OpenAI trains on a single
 * turn, so a pair's continuations are cut to their first assistant message).
 */
export function* openAiDpoRecords(context: ExportContext): Generator<unknown> {
  for (const preference of preferences(context)) {
    const first = (messages: readonly ChatMessage[]) => messages.filter((message) => message.role === "assistant").slice(0, 1);
    const preferred = first(preference.chosen);
    const nonPreferred = first(preference.rejected);
    yield {
      input: {
        messages: openAiMessages(preference.prompt),
        tools: functionTools(preference.trajectory),
        parallel_tool_calls: hasParallelCalls([...preference.prompt, ...preferred, ...nonPreferred]),
      },
      preferred_output: openAiMessages(preferred),
      non_preferred_output: openAiMessages(nonPreferred),
      provenance: provenance("openai-dpo", preference),
    };
  }
}
