import type { LabelDeclaration } from "./grade.js";

/**
 * What the built-in graders' labels mean. Each built-in grader declares its
 * labels from here (`defineGrader({ id, labels: BUILTIN_LABELS[id], ... })`);
 * the table sits in this light module, apart from the graders' code, so that
 * readers of run files that never load a grader (the review, which must not
 * load LangChain) can still give meanings to grades written before grades
 * carried them.
 */
export const BUILTIN_LABELS = {
  outcome: {
    wrong_write: {
      flagged: true,
      verdict: "wrong_args",
      description: "the write that left a state path unlike the reference's final state",
    },
  },
  "trajectory-match": {
    wrong_args: {
      flagged: true,
      verdict: "wrong_args",
      faultKinds: ["wrong_args"],
      description: "the right tool with other arguments than the reference call it stands for",
    },
    wrong_tool: {
      flagged: true,
      verdict: "wrong_tool",
      faultKinds: ["wrong_tool"],
      description: "a tool the reference does not call there, given the arguments of the call that was needed",
    },
    extra_call: {
      flagged: false,
      description: "a call the reference plan does not make (a reference is one good plan, not the only one)",
    },
    missing_call: {
      flagged: true,
      faultKinds: ["missing_step"],
      faultUnit: "trajectory",
      description: "the model call that should have made a reference call that was never made",
    },
    premature_answer: {
      flagged: true,
      faultKinds: ["premature_answer"],
      description: "the answer came while the reference's last calls were still missing",
    },
  },
  "repeated-calls": {
    skippable: {
      flagged: true,
      skippable: true,
      verdict: "skippable",
      faultKinds: ["repeated_call"],
      // A wrong attempt or an unused read can itself repeat an identical earlier call.
      alsoTrueOn: ["loop", "wrong_tool", "wrong_args", "unused_read"],
      description: "repeats an earlier call whose answer could not have changed since",
    },
    loop: {
      flagged: true,
      skippable: true,
      verdict: "skippable",
      faultKinds: ["loop"],
      description: "one of three or more identical calls in a row: the agent is stuck",
    },
    failed_retry: {
      flagged: true,
      skippable: true,
      verdict: "skippable",
      description: "retries a failed call with nothing changed that could make it succeed; it failed the same way",
    },
  },
  "futile-calls": {
    made_up_id: {
      flagged: true,
      skippable: true,
      verdict: "skippable",
      description: "a failed call given an identifier no instruction, user message or earlier result held: made up, so bound to fail",
    },
    refused_request: {
      flagged: true,
      skippable: true,
      verdict: "skippable",
      description: "a lookup for a request the agent itself had said is not allowed: what it found could not be used",
    },
  },
  "unused-results": {
    unused_result: {
      flagged: true,
      skippable: true,
      verdict: "skippable",
      faultKinds: ["unused_read"],
      // Wrong attempts and loop repetitions are reads whose results go unused too.
      alsoTrueOn: ["repeated_call", "wrong_tool", "wrong_args", "loop"],
      description: "a read none of whose results reached anything later",
    },
  },
  "undone-writes": {
    undone_write: {
      flagged: true,
      skippable: true,
      verdict: "skippable",
      description: "a write a later write set back, or a write that only set back an earlier one",
    },
    noop_write: {
      flagged: true,
      skippable: true,
      verdict: "skippable",
      description: "a successful write that changed nothing",
    },
  },
  detours: {
    pass_through: {
      flagged: true,
      verdict: "skippable",
      faultKinds: ["pass_through_handoff"],
      description: "a handoff to an agent that only handed control straight on",
    },
    wrong_specialist: {
      flagged: true,
      verdict: "wrong_tool",
      faultKinds: ["wrong_specialist"],
      description: "a handoff to an agent that did no work and handed back before another did the work",
    },
    ping_pong: {
      flagged: true,
      verdict: "skippable",
      faultKinds: ["ping_pong"],
      description: "control handed back to an agent that already had the task, with nothing new in between",
    },
  },
  replay: {
    skippable: {
      flagged: true,
      skippable: true,
      verdict: "skippable",
      faultKinds: ["repeated_call", "unused_read"],
      // A wrong attempt followed by the right call is skippable too; the replay shows it.
      alsoTrueOn: ["wrong_tool", "wrong_args"],
      description: "skipping the call in a replay of the run left the outcome passing",
    },
    needed: {
      flagged: false,
      verdict: "correct",
      description: "skipping the call in a replay of the run made the outcome fail",
    },
  },
  judge: {
    skippable: {
      flagged: true,
      skippable: true,
      verdict: "skippable",
      description: "most LLM judges called the step skippable",
    },
    wrong_step: {
      flagged: true,
      description: "most LLM judges called the step wrong",
    },
  },
} as const satisfies Record<string, Record<string, LabelDeclaration>>;

/** Ids of the built-in graders, including the opt-in ones (replay, judge). */
export type BuiltinGraderId = keyof typeof BUILTIN_LABELS;
