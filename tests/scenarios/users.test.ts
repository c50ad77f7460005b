import { describe, expect, it } from "vitest";
import { answerTo, builtinScenarios, defineUser, executePlan, UserSimulator } from "../../scenarios/index.js";

const user = defineUser({
  persona: "a traveller",
  knows: [
    { cues: ["email"], says: "It's sofia@example.com." },
    { cues: ["airport", "flying from"], says: "From MAN." },
    { cues: ["shall i book"], says: "Yes, book it." },
  ],
  maxTurns: 3,
});

describe("simulated users", () => {
  it("reveal only what a question asks for, with every matching fact, never volunteering", () => {
    const conversation = new UserSimulator(user);
    expect(conversation.respond("What is your EMAIL?")).toEqual({ kind: "reply", text: "It's sofia@example.com." });
    expect(conversation.respond("Which airport are you flying from, and your email?")).toEqual({
      kind: "reply",
      text: "It's sofia@example.com. From MAN.",
    });
    expect(answerTo(user, "How are you?")).toBeNull();
  });

  it("end the conversation by the stated rule: no question, a question they cannot answer, or the turn limit", () => {
    expect(new UserSimulator(user).respond("Your email is on file.")).toEqual({ kind: "end", reason: "no_question" });
    expect(new UserSimulator(user).respond("Anything else?")).toEqual({ kind: "end", reason: "nothing_to_say" });
    const conversation = new UserSimulator(user);
    for (let i = 0; i < 3; i++) expect(conversation.respond("Shall I book it?").kind).toBe("reply");
    expect(conversation.respond("Shall I book it?")).toEqual({ kind: "end", reason: "max_turns" });
    expect(conversation.turns).toBe(3);
  });

  it("answer the reference plan's questions when a plan is executed directly, and later steps read the replies", () => {
    for (const scenario of builtinScenarios().filter((s) => s.user)) {
      const execution = executePlan(scenario, scenario.reference.calls, scenario.reference.answer);
      expect(execution.failure, scenario.id).toBeNull();
      const asks = scenario.reference.calls.filter((step) => step.ask !== undefined).length;
      expect(execution.userTexts, scenario.id).toHaveLength(1 + asks);
      expect(execution.userTexts[0]).toBe(scenario.task);
    }
  });

  it("make a plan fail when it asks something the user cannot answer", () => {
    const scenario = builtinScenarios().find((s) => s.id === "travel.berlin-trip-multi-turn")!;
    const execution = executePlan(scenario, [{ ask: "What's your favourite colour?" }]);
    expect(execution.failure?.message).toContain("does not answer");
  });

  it("reject knowledge without cues", () => {
    expect(() => defineUser({ persona: "x", knows: [{ cues: [], says: "hi" }] })).toThrow(/cue/);
  });
});
