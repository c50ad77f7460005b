/**
 * Every result field of matchTrajectory (verdict, reasons, partial credit,
 * order score, matched, missing, extra and mismatched calls with their
 * differences) on seeded pairs, in every trajectory and argument mode, with
 * and without per-tool overrides, as messages and as bare `{ name, args }`
 * calls: one digest per result, so that a faster matcher can be held to
 * giving the same results.
 *
 * `match-results.json` beside this file holds the digests the matcher gave
 * before its fast paths. Record it again only for a change of output meant
 * as such:
 *
 *   npx tsx -e 'import("./tests/harness/graders/support/match-results.ts").then((m) => m.writeMatchResultDigests())'
 */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { matchTrajectory, type MatchOptions, type ToolArgsMode, type TrajectoryMatchMode } from "../../../../harness/index.js";
import { canonicalJson } from "../../../../harness/util/canonical-json.js";
import { generatePairs, type PairMessage } from "./trajectory-pairs.js";

const MODES: TrajectoryMatchMode[] = ["strict", "unordered", "subset", "superset"];
const ARG_MODES: ToolArgsMode[] = ["exact", "ignore", "subset", "superset"];
const PAIRS_PER_SETTING = 40;
const FIXTURE = new URL("./match-results.json", import.meta.url);

const caseInsensitiveQ = (a: Record<string, unknown>, b: Record<string, unknown>): boolean =>
  String(a.q ?? "").toLowerCase() === String(b.q ?? "").toLowerCase();

/** The calls of a message list as bare `{ name, args }` calls (arguments parsed, no text to compare). */
function asCalls(messages: readonly PairMessage[]) {
  return messages.flatMap((message) =>
    (message.tool_calls ?? []).map((call) => ({
      name: call.function.name,
      args: JSON.parse(call.function.arguments) as Record<string, unknown>,
    })),
  );
}

/** One digest (12 hex digits of the SHA-256 of the result's canonical JSON) per setting and pair, by setting name. */
export function matchResultDigests(): Record<string, string[]> {
  const digests: Record<string, string[]> = {};
  let seed = 4000;
  for (const mode of MODES) {
    for (const toolArgs of ARG_MODES) {
      for (const overrides of [undefined, { lookup: ["id"], search: caseInsensitiveQ }]) {
        for (const shape of ["messages", "calls"] as const) {
          const options: MatchOptions = { mode, toolArgs, overrides };
          const name = `${mode} / ${toolArgs}${overrides ? " / overrides" : ""} / ${shape}`;
          digests[name] = generatePairs(seed++, PAIRS_PER_SETTING, { turns: 5, callsPerTurn: 3 }).map((pair) => {
            const result =
              shape === "messages"
                ? matchTrajectory(pair.actual, pair.reference, options)
                : matchTrajectory(asCalls(pair.actual), asCalls(pair.reference), options);
            return createHash("sha256").update(canonicalJson(result)).digest("hex").slice(0, 12);
          });
        }
      }
    }
  }
  return digests;
}

/** The recorded digests. */
export async function recordedMatchResultDigests(): Promise<Record<string, string[]>> {
  const { readFile } = await import("node:fs/promises");
  return JSON.parse(await readFile(FIXTURE, "utf8")) as Record<string, string[]>;
}

/** Records the digests of the matcher as it is now. */
export function writeMatchResultDigests(): void {
  writeFileSync(FIXTURE, `${JSON.stringify(matchResultDigests(), null, 2)}\n`);
}
