/**
 * Simulated users for multi-turn scenarios: a deterministic person who holds
 * facts the agent must ask for and answers follow-up questions. Deterministic
 * on purpose: the same agent messages always get the same replies, so runs
 * stay reproducible and offline.
 */

import { TrajlabError } from "../errors/index.js";

/** Something the user can say, and the words in a question that make them say it. */
export interface UserKnowledge {
  /** Lower-case phrases; a question mentioning any of them is answered with `says`. */
  readonly cues: readonly string[];
  readonly says: string;
}

/** A deterministic user who answers the agent's questions. */
export interface SimulatedUser {
  /** Who the user is, for people reading the scenario and for model-based simulators. */
  readonly persona: string;
  /** What the user knows and tells when asked; nothing is volunteered. */
  readonly knows: readonly UserKnowledge[];
  /** The user stops after this many replies, whatever the agent says. */
  readonly maxTurns: number;
}

/** What {@link defineUser} accepts. */
export interface SimulatedUserInput {
  persona: string;
  knows: Array<{ cues: string[]; says: string }>;
  /** Default 4. */
  maxTurns?: number;
}

/** Defines a simulated user; cues are matched case-insensitively. */
export function defineUser(input: SimulatedUserInput): SimulatedUser {
  for (const [index, item] of input.knows.entries()) {
    if (item.cues.length === 0 || item.cues.some((cue) => cue.trim() === "")) {
      throw new TrajlabError("BAD_USER", `defineUser (${input.persona}): knows[${index}] needs at least one non-empty cue`, {
        hint: "each fact the user knows needs cues: words in the agent's message that make the user say it",
      });
    }
  }
  return Object.freeze({
    persona: input.persona,
    knows: Object.freeze(
      input.knows.map((item) => Object.freeze({ cues: Object.freeze(item.cues.map((cue) => cue.toLowerCase())), says: item.says })),
    ),
    maxTurns: input.maxTurns ?? 4,
  });
}

/** The user's next move: a reply, or the end of the conversation with its reason. */
export type UserTurn =
  | { readonly kind: "reply"; readonly text: string }
  | { readonly kind: "end"; readonly reason: "no_question" | "nothing_to_say" | "max_turns" };

/** One conversation with a simulated user: counts replies so the turn limit holds. */
export class UserSimulator {
  readonly user: SimulatedUser;
  private replies = 0;

  constructor(user: SimulatedUser) {
    this.user = user;
  }

  /** Replies given so far. */
  get turns(): number {
    return this.replies;
  }

  /**
   * The user's answer to an agent message. A message that asks a question
   * (contains "?") is answered with everything whose cues the question
   * mentions. A message with no question, or whose question mentions none of
   * the user's cues, ends the conversation; so does reaching `maxTurns` replies.
   */
  respond(agentMessage: string): UserTurn {
    if (this.replies >= this.user.maxTurns) return { kind: "end", reason: "max_turns" };
    if (!agentMessage.includes("?")) return { kind: "end", reason: "no_question" };
    const text = answerTo(this.user, agentMessage);
    if (text === null) return { kind: "end", reason: "nothing_to_say" };
    this.replies += 1;
    return { kind: "reply", text };
  }
}

/** What the user says to a question, or null when none of their cues is mentioned. */
export function answerTo(user: SimulatedUser, question: string): string | null {
  const lower = question.toLowerCase();
  const said = user.knows.filter((item) => item.cues.some((cue) => lower.includes(cue))).map((item) => item.says);
  return said.length === 0 ? null : said.join(" ");
}
