import { HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { UserSimulator } from "../../scenarios/index.js";
import type { Conversation } from "../trajectory/schema.js";
import type { TrialSession } from "./run-trial.js";
import { replyText } from "../util/message-text.js";
import { untilAborted } from "../util/promise.js";

export { replyText };

/**
 * How driving the agent ended: its final answer, or the error that stopped it;
 * with a simulated user, also how the conversation went.
 */
export type DriveResult = ({ ok: true; finalAnswer: string | null } | { ok: false; error: unknown }) & { conversation?: Conversation };

/** Drives the agent once over the scenario's task; errors are returned, not thrown. */
export async function driveSingleTurn(session: TrialSession): Promise<DriveResult> {
  try {
    const result = await invokeAgent(session, [new HumanMessage(session.spec.scenario.task)]);
    return { ok: true, finalAnswer: finalAnswerOf(result) };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * Drives a trial's agent the way its scenario needs: one turn over the task,
 * or a conversation when the scenario has a simulated user.
 */
export function driveTrial(session: TrialSession): Promise<DriveResult> {
  return session.spec.scenario.user ? driveConversation(session) : driveSingleTurn(session);
}

/**
 * Drives a multi-turn conversation with the scenario's simulated user: the
 * agent runs on the task; each time it stops with a message, the user reads
 * it and either replies (recorded as a user turn, and the agent runs again on
 * the whole conversation) or ends the conversation by its stated rule. The
 * agent's last message is the final answer. Errors are returned, not thrown.
 */
export async function driveConversation(session: TrialSession): Promise<DriveResult> {
  const { scenario } = session.spec;
  if (!scenario.user) throw new Error(`driveConversation: scenario ${scenario.id} has no simulated user`);
  const user = new UserSimulator(scenario.user);
  const conversation = (endedBy: Conversation["endedBy"]): Conversation => ({ userTurns: user.turns, endedBy });
  let messages: BaseMessage[] = [new HumanMessage({ content: scenario.task, id: "user-0" })];
  try {
    for (;;) {
      const result = await invokeAgent(session, messages);
      const answer = finalAnswerOf(result);
      if (answer === null) return { ok: true, finalAnswer: null, conversation: conversation("no_answer") };
      const turn = user.respond(answer);
      if (turn.kind === "end") return { ok: true, finalAnswer: answer, conversation: conversation(turn.reason) };
      const id = `user-${user.turns}`;
      session.recorder.recordUserMessage(turn.text, id);
      messages = [...((result as { messages?: BaseMessage[] }).messages ?? messages), new HumanMessage({ content: turn.text, id })];
    }
  } catch (error) {
    return { ok: false, error, conversation: conversation(null) };
  }
}

/**
 * One run of the agent's graph, given up when the trial's signal aborts even
 * if the graph ignores the signal (a user's agent that never settles).
 */
function invokeAgent(session: TrialSession, messages: BaseMessage[]): Promise<unknown> {
  return untilAborted(
    Promise.resolve().then(() => session.graph.invoke({ messages }, session.config)),
    session.config.signal,
  );
}

/** The last assistant message, if it is a text answer rather than a tool request. */
export function finalAnswerOf(result: unknown): string | null {
  const messages = (result as { messages?: BaseMessage[] } | null)?.messages;
  const last = messages?.at(-1);
  if (!last || last.getType() !== "ai") return null;
  const calls = (last as { tool_calls?: unknown[] }).tool_calls ?? [];
  if (calls.length > 0) return null;
  return replyText(last);
}
