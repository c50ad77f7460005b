/** What a reviewer's "should have called" says, read against the trajectory's tools. */
export type Correction =
  | { readonly kind: "call"; readonly name: string; readonly arguments: Record<string, unknown> }
  /** Nothing should have been called: the step should have been left out. */
  | { readonly kind: "nothing" }
  /** Free text that names no tool the agent had: no step can be built from it. */
  | { readonly kind: "text"; readonly text: string };

const NOTHING = /^(nothing|none|no call|skip( it)?|-)\.?$/i;

/**
 * Reads a "should have called" the way reviewers write it: a tool name
 * alone (`list_orders`), or followed by its arguments as a JSON object
 * (`list_orders {"customerId": "C-1"}` or `list_orders({"customerId": "C-1"})`),
 * or a word saying nothing should have been called (`nothing`, `none`). The
 * name must be one of the agent's tools; anything else is free text.
 */
export function parseCorrection(text: string, toolNames: ReadonlySet<string>): Correction {
  const trimmed = text.trim();
  if (trimmed === "" || NOTHING.test(trimmed)) return { kind: "nothing" };
  const match = /^([A-Za-z_][\w.-]*)\s*(?:\(\s*([\s\S]*?)\s*\)|([\s\S]*))$/.exec(trimmed);
  if (!match || !toolNames.has(match[1]!)) return { kind: "text", text: trimmed };
  const rest = (match[2] ?? match[3] ?? "").trim();
  if (rest === "") return { kind: "call", name: match[1]!, arguments: {} };
  try {
    const parsed: unknown = JSON.parse(rest);
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
      return { kind: "call", name: match[1]!, arguments: parsed as Record<string, unknown> };
    }
  } catch {
    // Not JSON: free text after a tool name ("list_orders for the customer") says too little to build a call.
  }
  return { kind: "text", text: trimmed };
}
