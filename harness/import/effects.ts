import { readFile } from "node:fs/promises";
import * as z from "zod";
import { TrajlabError, errorMessage } from "../../errors/index.js";
import type { EffectSource } from "../trajectory/schema.js";

/** A tool's read/write effect and where it came from. */
export interface ToolEffect {
  readonly effect: "read" | "write" | "unknown";
  readonly effectSource: EffectSource;
}

/** Decides each tool's effect: from an effects file, else from the source, else from the tool's name. */
export type EffectResolver = (toolName: string, fromSource?: "read" | "write") => ToolEffect;

/**
 * Verbs that open a tool name, by the effect they usually have. A tool named
 * `get_order` or `searchFlights` reads; `cancel_reservation` or `sendEmail`
 * writes. Inference only looks at the first word, and the result is always
 * marked `inferred`, so a reviewer or grader can tell it from a declared effect.
 */
const READ_VERBS = new Set(
  "get list search find lookup look fetch read query check view show describe calculate compute count retrieve load browse inspect validate verify think preview estimate".split(
    " ",
  ),
);
const WRITE_VERBS = new Set(
  "create add insert update modify edit set delete remove cancel book reserve send post put write submit transfer exchange return refund pay charge issue assign close toggle enable disable reset apply approve reject schedule register upgrade downgrade change move rename save upload grant revoke mark place".split(
    " ",
  ),
);

/** The words of a tool name: snake_case, kebab-case, camelCase and dotted names all split. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

/** The effect a tool's name suggests, or unknown. */
export function inferEffect(toolName: string): ToolEffect {
  const first = words(toolName)[0] ?? "";
  if (READ_VERBS.has(first)) return { effect: "read", effectSource: "inferred" };
  if (WRITE_VERBS.has(first)) return { effect: "write", effectSource: "inferred" };
  return { effect: "unknown", effectSource: null };
}

const EffectsFileSchema = z.record(z.string(), z.enum(["read", "write"]));

/**
 * Reads an `--effects` file: a JSON object from tool name to `read` or
 * `write`, e.g. `{ "get_order": "read", "cancel_order": "write" }`.
 */
export async function readEffectsFile(file: string): Promise<Record<string, "read" | "write">> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new TrajlabError("FILE_MISSING", `--effects ${file}: the file does not exist or cannot be read`, {
      hint: 'give a JSON file mapping tool names to "read" or "write"',
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TrajlabError("BAD_JSON", `--effects ${file}: not valid JSON (${errorMessage(error)})`, {
      hint: 'the file is one JSON object, e.g. { "get_order": "read", "cancel_order": "write" }',
    });
  }
  const parsed = EffectsFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TrajlabError("BAD_EFFECTS", `--effects ${file}: ${issue.path.map(String).join(".") || "(top level)"}: ${issue.message}`, {
      hint: 'each value is "read" or "write", e.g. { "get_order": "read", "cancel_order": "write" }',
    });
  }
  return parsed.data;
}

/** The resolver for an import: the effects file wins, then what the source says, then the name. */
export function effectResolver(effectsFile: Readonly<Record<string, "read" | "write">> = {}): EffectResolver {
  return (toolName, fromSource) => {
    const declared = effectsFile[toolName];
    if (declared) return { effect: declared, effectSource: "effects_file" };
    if (fromSource) return { effect: fromSource, effectSource: "source" };
    return inferEffect(toolName);
  };
}
