import type { GradableTrajectory } from "../../harness/core.js";
import { functionTools, hasParallelCalls, openAiMessages, trlMessages } from "./chat-format.js";
import { TrajectoryConversation, type ChatMessage } from "./conversation.js";
import type { ExportLabel } from "./labels.js";
import { isFlawed, labelledSteps, provenanceOf, type ExportContext, type LabelledTarget } from "./records.js";

/** A trajectory reviewers passed, with its conversation and step labels. */
interface Passed {
  readonly trajectory: GradableTrajectory;
  readonly conversation: TrajectoryConversation;
  readonly plan: ExportLabel;
  readonly steps: Map<string, ExportLabel>;
}

/** Trajectories whose plan the reviews (or, with weak labels, the outcome grade) passed. */
function* passed(context: ExportContext): Generator<Passed> {
  for (const trajectory of context.trajectories()) {
    const plan = context.labels.plan(trajectory.id);
    if (!plan) {
      context.skip("no agreed plan verdict");
      continue;
    }
    if (plan.value !== "pass") {
      context.skip("plan failed");
      continue;
    }
    yield { trajectory, conversation: new TrajectoryConversation(trajectory), plan, steps: labelledSteps(context, trajectory) };
  }
}

/** The record's targets: the plan, and the judged steps among the messages. */
function targetsOf(item: Passed, messages: readonly ChatMessage[]): LabelledTarget[] {
  const stepIds = new Set(
    messages.flatMap((message) => (message.role === "assistant" ? message.toolCalls.map((call) => call.eventId) : [])),
  );
  return [
    { target: "plan", label: item.plan },
    ...[...item.steps].filter(([eventId]) => stepIds.has(eventId)).map(([eventId, label]) => ({ target: `step:${eventId}`, label })),
  ];
}

/** Each agent's conversation of a trajectory (one for a single agent), skipping agents that never answered. */
function conversations(item: Passed): { agent: string; messages: ChatMessage[] }[] {
  return item.conversation
    .agents()
    .map((agent) => ({ agent, messages: item.conversation.conversationOf(agent) }))
    .filter(({ messages }) => messages.some((message) => message.role === "assistant"));
}

/**
 * `sft`: TRL's conversational language-modeling format with tools,
 * `{"messages": [...], "tools": [...]}`, one record per agent conversation of
 * each trajectory the reviews passed and in which no step was judged
 * anything but correct (TRL trains on every assistant turn, so a flawed step
 * would be taught; `openai-sft` keeps such trajectories with the flawed turns
 * weighted 0).
 */
export function* sftRecords(context: ExportContext): Generator<unknown> {
  for (const item of passed(context)) {
    if ([...item.steps.values()].some((label) => isFlawed(label.value))) {
      context.skip("a step was judged flawed");
      continue;
    }
    for (const { messages } of conversations(item)) {
      yield {
        messages: trlMessages(messages),
        tools: functionTools(item.trajectory),
        provenance: provenanceOf(
          "sft",
          item.trajectory,
          messages.map((message) => message.eventId),
          targetsOf(item, messages),
        ),
      };
    }
  }
}

/**
 * `openai-sft`: OpenAI's chat fine-tuning format (`messages`, `tools`,
 * `parallel_tool_calls`), one record per agent conversation of each
 * trajectory the reviews passed. An assistant turn any of whose calls the
 * reviews judged flawed (skippable, wrong, harmful, other) or dispute gets
 * `"weight": 0`, as does a turn the agent did not produce in this run
 * (another agent's message in its prompt); every other turn of the agent
 * `"weight": 1`.
 */
export function* openAiSftRecords(context: ExportContext): Generator<unknown> {
  for (const item of passed(context)) {
    for (const { agent, messages } of conversations(item)) {
      const own = new Set(item.conversation.calls(agent).map((call) => call.id));
      const weightOf = (message: ChatMessage): 0 | 1 => {
        if (message.role !== "assistant" || !own.has(message.eventId)) return 0;
        const doubtful = message.toolCalls.some((call) => {
          if (!call.eventId) return false;
          const label = item.steps.get(call.eventId);
          // A step the reviews dispute is not known to be good: it is not trained on either.
          return label ? isFlawed(label.value) : context.labels.stepLeftOut(item.trajectory.id, call.eventId);
        });
        return doubtful ? 0 : 1;
      };
      yield {
        messages: openAiMessages(messages, weightOf),
        tools: functionTools(item.trajectory),
        parallel_tool_calls: hasParallelCalls(messages),
        provenance: provenanceOf(
          "openai-sft",
          item.trajectory,
          messages.map((message) => message.eventId),
          targetsOf(item, messages),
        ),
      };
    }
  }
}
