import { stubText, type StubReply, type StubRequest } from "../support/openai-stub.js";

/**
 * The model behind every `openai:<name>` a doc example uses, served by the
 * OpenAI-compatible stub: a judge request (its prompt lists "steps to judge")
 * gets a well-formed judgement of every listed step; anything else (an agent's
 * turn) gets a one-sentence answer with no tool call, so a run on it ends at
 * once, recorded like any real model's.
 */
export function docModelReply(request: StubRequest): StubReply {
  const prompt = request.messages.map(stubText).join("\n");
  if (/steps to judge/i.test(prompt)) {
    const steps = [...prompt.matchAll(/^\[(e\d+)\]/gm)].map((match) => match[1]!);
    const judgement = {
      plan: { score: 4, reason: "reached the goal with the expected calls" },
      steps: [...new Set(steps)].map((eventId) => ({ eventId, verdict: "ok", reason: "a reasonable step" })),
    };
    return { content: JSON.stringify(judgement) };
  }
  return { content: "I looked into it; nothing more is needed." };
}
