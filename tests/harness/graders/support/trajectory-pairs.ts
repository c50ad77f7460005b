/**
 * Seeded generator of (actual, reference) trajectory pairs in OpenAI chat
 * format, for comparing matchTrajectory with agentevals and for benchmarks.
 * Pairs start from a random reference and apply a few edits (drop, add or
 * rename a call, change, add or drop an argument, reorder), so that every
 * mode sees passing and failing pairs.
 */
import { seededRandom } from "../../../../scenarios/index.js";

/** OpenAI chat-format message as both matchers accept it. */
export interface PairMessage {
  role: "user" | "assistant" | "tool";
  content: string;
  tool_calls?: Array<{ id: string; type: "function"; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
}

/** One generated pair. */
export interface TrajectoryPair {
  readonly actual: PairMessage[];
  readonly reference: PairMessage[];
  /** Edits applied to the reference to get the actual trajectory. */
  readonly edits: string[];
}

interface Call {
  name: string;
  args: Record<string, unknown>;
}

const TOOLS = ["search", "lookup", "book", "cancel"];
const KEYS = ["id", "q", "n", "opts"];
const VALUES: unknown[] = [1, 2, "a", "b", "A", { x: 1 }, [1, 2], null];

/** Generates `count` pairs from `seed`; `size` bounds turns and calls per turn. */
export function generatePairs(seed: number, count: number, size: { turns?: number; callsPerTurn?: number } = {}): TrajectoryPair[] {
  const random = seededRandom(seed);
  const int = (n: number): number => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const maxTurns = size.turns ?? 4;
  const maxCalls = size.callsPerTurn ?? 3;

  const randomArgs = (): Record<string, unknown> => {
    const args: Record<string, unknown> = {};
    const keys = 1 + int(3);
    for (let i = 0; i < keys; i++) args[pick(KEYS)] = structuredClone(pick(VALUES));
    return args;
  };
  // Few tools and few values make calls collide often, which is where greedy
  // first-fit and maximum matching part ways.
  const randomCall = (): Call => ({ name: pick(TOOLS.slice(0, 2 + int(3))), args: randomArgs() });

  const pairs: TrajectoryPair[] = [];
  for (let n = 0; n < count; n++) {
    const reference: Call[][] = [];
    const turns = 1 + int(maxTurns);
    for (let t = 0; t < turns; t++) reference.push(Array.from({ length: 1 + int(maxCalls) }, randomCall));
    const actual = structuredClone(reference);
    const edits: string[] = [];
    const editCount = random() < 0.3 ? 0 : 1 + int(3);
    for (let e = 0; e < editCount; e++) edits.push(applyEdit(actual, { int, pick, randomCall, randomArgs }));
    pairs.push({ actual: render(actual), reference: render(reference), edits });
  }
  return pairs;
}

interface Tools {
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  randomCall(): Call;
  randomArgs(): Record<string, unknown>;
}

function applyEdit(turns: Call[][], { int, pick, randomCall }: Tools): string {
  if (turns.length === 0) {
    turns.push([randomCall()]);
    return "add turn";
  }
  const calls = turns.flat();
  const someCall = (): Call | undefined => (calls.length === 0 ? undefined : pick(calls));
  const kind = int(10);
  switch (kind) {
    case 0: {
      const turn = pick(turns);
      if (turn.length > 0) turn.splice(int(turn.length), 1);
      if (turn.length === 0) turns.splice(turns.indexOf(turn), 1);
      return "drop call";
    }
    case 1: {
      const copy = someCall();
      if (copy) pick(turns).push(structuredClone(copy));
      return "duplicate call";
    }
    case 2:
      turns.splice(int(turns.length + 1), 0, [randomCall()]);
      return "add turn";
    case 3: {
      const call = someCall();
      if (call) {
        const keys = Object.keys(call.args);
        if (keys.length > 0) call.args[pick(keys)] = pick(VALUES);
      }
      return "change argument";
    }
    case 4: {
      const call = someCall();
      if (call) call.args[pick(KEYS)] = pick(VALUES);
      return "add argument";
    }
    case 5: {
      const call = someCall();
      if (call) {
        const keys = Object.keys(call.args);
        if (keys.length > 0) delete call.args[pick(keys)];
      }
      return "drop argument";
    }
    case 6: {
      const call = someCall();
      if (call) call.name = pick(TOOLS);
      return "rename tool";
    }
    case 7: {
      const turn = pick(turns);
      turn.reverse();
      return "reorder within a turn";
    }
    case 8: {
      if (turns.length > 1) {
        const i = int(turns.length);
        const j = int(turns.length);
        [turns[i], turns[j]] = [turns[j]!, turns[i]!];
      }
      return "swap turns";
    }
    default: {
      // Move one call to another turn: same calls, other messages.
      const from = pick(turns);
      if (from.length > 1) {
        const [call] = from.splice(int(from.length), 1);
        pick(turns).push(call!);
      }
      return "move call";
    }
  }
}

function render(turns: Call[][]): PairMessage[] {
  const messages: PairMessage[] = [{ role: "user", content: "please help" }];
  let id = 0;
  for (const turn of turns) {
    const toolCalls = turn.map((call) => ({
      id: `call_${++id}`,
      type: "function" as const,
      function: { name: call.name, arguments: JSON.stringify(call.args) },
    }));
    messages.push({ role: "assistant", content: "", tool_calls: toolCalls });
    for (const call of toolCalls) messages.push({ role: "tool", content: "ok", tool_call_id: call.id });
  }
  messages.push({ role: "assistant", content: "done" });
  return messages;
}
