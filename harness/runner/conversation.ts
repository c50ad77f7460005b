import { HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { UserSimulator } from "../../scenarios/index.js";
import { finalAnswerOf, type DriveResult, type TrialSession } from "./run-trial.js";

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
  let messages: BaseMessage[] = [new HumanMessage({ content: scenario.task, id: "user-0" })];
  try {
    for (;;) {
      const result = await session.graph.invoke({ messages }, session.config);
      const answer = finalAnswerOf(result);
      if (answer === null) return { ok: true, finalAnswer: null };
      const turn = user.respond(answer);
      if (turn.kind === "end") return { ok: true, finalAnswer: answer };
      const id = `user-${user.turns}`;
      session.recorder.recordUserMessage(turn.text, id);
      messages = [...((result as { messages?: BaseMessage[] }).messages ?? messages), new HumanMessage({ content: turn.text, id })];
    }
  } catch (error) {
    return { ok: false, error };
  }
}
