import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import { matchTrajectory, matchTrajectoryAsync, TrajlabError } from "../../../harness/index.js";
import { matchTrajectory as fromPackageEntry } from "../../../index.js";
import { buildTrajectory } from "./support/build-trajectory.js";

const call = (name: string, args: Record<string, unknown>) => ({ name, args });

function messages(...turns: Array<Array<{ name: string; args: Record<string, unknown> }>>) {
  let id = 0;
  const out: Array<Record<string, unknown>> = [{ role: "user", content: "hi" }];
  for (const turn of turns) {
    const calls = turn.map((c) => ({ id: `c${++id}`, type: "function", function: { name: c.name, arguments: JSON.stringify(c.args) } }));
    out.push({ role: "assistant", content: "", tool_calls: calls });
    for (const c of calls) out.push({ role: "tool", content: "ok", tool_call_id: c.id });
  }
  out.push({ role: "assistant", content: "done" });
  return out as never;
}

describe("matchTrajectory", () => {
  it("is exported from the package entry", () => {
    expect(fromPackageEntry).toBe(matchTrajectory);
  });

  it("returns a diff: missing, extra and mismatched arguments, with partial credit", () => {
    const actual = [call("find", { email: "a@x" }), call("get", { id: "O-2" }), call("policy", {})];
    const reference = [call("find", { email: "a@x" }), call("get", { id: "O-1" }), call("refund", { id: "O-1" })];
    const result = matchTrajectory(actual, reference, { mode: "superset" });
    expect(result.pass).toBe(false);
    expect(result.matched.map((m) => [m.actual, m.reference])).toEqual([[0, 0]]);
    expect(result.mismatchedArgs).toEqual([
      expect.objectContaining({
        actual: 1,
        reference: 1,
        name: "get",
        differences: [{ key: "id", kind: "changed", actual: "O-2", reference: "O-1" }],
      }),
    ]);
    expect(result.missing.map((m) => m.name)).toEqual(["refund"]);
    expect(result.extra.map((m) => m.name)).toEqual(["policy"]);
    expect(result.precision).toBeCloseTo(1 / 3);
    expect(result.recall).toBeCloseTo(1 / 3);
    expect(result.f1).toBeCloseTo(1 / 3);
    expect(result.reasons.join(" ")).toContain("2 reference call(s) not made");
  });

  it("scores order among matched calls and lets strict mode demand it", () => {
    const reference = [call("a", {}), call("b", {}), call("c", {})];
    const swapped = [call("b", {}), call("a", {}), call("c", {})];
    expect(matchTrajectory(swapped, reference, { mode: "unordered" }).pass).toBe(true);
    const strict = matchTrajectory(swapped, reference, { mode: "strict" });
    expect(strict.pass).toBe(false);
    expect(strict.reasons[0]).toContain("call 1 is b where the reference has a");
    expect(strict.orderScore).toBeCloseTo(2 / 3);
    expect(matchTrajectory(reference, reference, { mode: "strict" }).orderScore).toBe(1);
  });

  it("prefers the order-preserving one among maximum matchings", () => {
    const reference = [call("get", { id: 1 }), call("get", { id: 2 })];
    const actual = [call("get", { id: 1 }), call("get", { id: 2 })];
    const result = matchTrajectory(actual, reference, { mode: "unordered", toolArgs: "ignore" });
    expect(result.matched.map((m) => [m.actual, m.reference])).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });

  it("implements subset and superset trajectory modes", () => {
    const reference = [call("a", {}), call("b", {})];
    expect(matchTrajectory([call("a", {})], reference, { mode: "subset" }).pass).toBe(true);
    expect(matchTrajectory([call("a", {}), call("z", {})], reference, { mode: "subset" }).pass).toBe(false);
    expect(matchTrajectory([call("a", {}), call("b", {}), call("z", {})], reference, { mode: "superset" }).pass).toBe(true);
    expect(matchTrajectory([call("a", {})], reference, { mode: "superset" }).pass).toBe(false);
  });

  it("compares arguments by mode, with per-tool overrides as key lists or functions", () => {
    const reference = [call("search", { q: "Paris", limit: 5, filters: { stars: 4 } })];
    const actual = [call("search", { q: "paris", limit: 5, filters: { stars: 4 }, page: 1 })];
    expect(matchTrajectory(actual, reference, { mode: "strict" }).pass).toBe(false);
    expect(matchTrajectory(actual, reference, { mode: "strict", toolArgs: "ignore" }).pass).toBe(true);
    expect(matchTrajectory(actual, reference, { mode: "strict", overrides: { search: ["limit", "filters.stars"] } }).pass).toBe(true);
    expect(matchTrajectory(actual, reference, { mode: "strict", overrides: { search: ["q"] } }).pass).toBe(false);
    const sameCity = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.q).toLowerCase() === String(b.q).toLowerCase();
    expect(matchTrajectory(actual, reference, { mode: "strict", overrides: { search: sameCity } }).pass).toBe(true);
    // superset arguments: the actual call holds every reference argument.
    expect(matchTrajectory([call("f", { a: 1, b: 2 })], [call("f", { a: 1 })], { toolArgs: "superset" }).pass).toBe(true);
    expect(matchTrajectory([call("f", { a: 1 })], [call("f", { a: 1, b: 2 })], { toolArgs: "superset" }).pass).toBe(false);
    expect(matchTrajectory([call("f", { a: 1 })], [call("f", { a: 1, b: 2 })], { toolArgs: "subset" }).pass).toBe(true);
  });

  it("compares messages one by one in strict mode, calls inside a message in any order", () => {
    const reference = messages([call("a", {}), call("b", {})], [call("c", {})]);
    expect(matchTrajectory(messages([call("b", {}), call("a", {})], [call("c", {})]), reference, { mode: "strict" }).pass).toBe(true);
    const regrouped = matchTrajectory(messages([call("a", {})], [call("b", {}), call("c", {})]), reference, { mode: "strict" });
    expect(regrouped.pass).toBe(false);
    expect(regrouped.recall).toBe(1);
    expect(matchTrajectory({ messages: reference } as never, reference, { mode: "strict" }).pass).toBe(true);
  });

  it("accepts LangChain messages, trajlab trajectories and reference plans", () => {
    const lc = [
      new HumanMessage("hi"),
      new AIMessage({ content: "", tool_calls: [{ id: "1", name: "find", args: { email: "a@x" }, type: "tool_call" }] }),
      new ToolMessage({ content: "ok", tool_call_id: "1" }),
      new AIMessage("done"),
    ];
    expect(matchTrajectory(lc, messages([call("find", { email: "a@x" })]), { mode: "strict" }).pass).toBe(true);
    const trajectory = buildTrajectory(
      [
        { call: "find", args: { email: "a@x" } },
        { call: "get", args: { id: 1 } },
      ],
      { reference: [call("find", { email: "a@x" })] },
    );
    const result = matchTrajectory(trajectory, trajectory.reference, { mode: "superset" });
    expect(result.pass).toBe(true);
    expect(result.extra).toEqual([{ index: 1, name: "get", args: { id: 1 }, eventId: "e5" }]);
    expect(result.matched[0]!.eventId).toBe("e3");
  });

  it("runs asynchronous matchers through matchTrajectoryAsync and refuses them in the sync call", async () => {
    const asyncMatcher = async (a: Record<string, unknown>, b: Record<string, unknown>) => a.id === b.id;
    const options = { mode: "strict" as const, overrides: { get: asyncMatcher } };
    expect((await matchTrajectoryAsync([call("get", { id: 1, x: 2 })], [call("get", { id: 1 })], options)).pass).toBe(true);
    expect(() => matchTrajectory([call("get", { id: 1 })], [call("get", { id: 1 })], options)).toThrow(/returned a promise/);
  });

  it("says what is wrong with bad input", () => {
    expect(() => matchTrajectory([], null)).toThrow(TrajlabError);
    expect(() => matchTrajectory([], [], { mode: "loose" as never })).toThrow(/strict, unordered, subset, superset/);
    expect(() => matchTrajectory([{ content: "no role" }] as never, [])).toThrow(/message 0 has no "role"/);
    expect(() => matchTrajectory([], [], { overrides: { f: 3 as never } })).toThrow(/override for tool "f"/);
  });

  it("keeps unparsable argument text instead of failing", () => {
    const broken = [
      { role: "assistant", content: "", tool_calls: [{ id: "1", type: "function", function: { name: "f", arguments: "{oops" } }] },
    ];
    const result = matchTrajectory(broken as never, [call("f", { input: "{oops" })], { mode: "superset" });
    expect(result.pass).toBe(true);
  });
});
