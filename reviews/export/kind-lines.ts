/**
 * The kinds of training data reviews become, by id, each with the line
 * `trajlab export --help` shows for it, in that order, read by the command's
 * help without loading the exporters (reviews/help.ts). REVIEW_EXPORT_KINDS
 * (index.ts) has a kind for each of these ids, in the same order.
 */
export const REVIEW_EXPORT_LINES = {
  sft: "TRL conversational SFT with tools, from trajectories reviewers passed with no flawed step",
  "openai-sft": "OpenAI chat fine-tuning, weight 0 on turns with flawed calls",
  dpo: "TRL preference (prompt, chosen, rejected) from pair verdicts and step corrections",
  "openai-dpo": "OpenAI preference fine-tuning (input, preferred_output, non_preferred_output)",
  kto: "TRL unpaired preference (prompt, completion, label) per judged assistant turn",
  prm: "TRL stepwise supervision (prompt, completions, labels) per trajectory",
  "prm-ratings": "PRM800K-style step ratings (+1 correct, 0 skippable, -1 wrong) with reasons",
} as const;
