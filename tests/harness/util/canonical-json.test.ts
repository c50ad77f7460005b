import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../../harness/util/canonical-json.js";

describe("canonicalJson", () => {
  it("sorts keys at every level, inside arrays too", () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
  });

  it("gives equal values the same text whatever their key order", () => {
    const sorted = { a: 1, b: { c: [1, { d: "x", e: true }] } };
    const shuffled = { b: { c: [1, { e: true, d: "x" }] }, a: 1 };
    expect(canonicalJson(shuffled)).toBe(canonicalJson(sorted));
    expect(canonicalJson(sorted)).toBe(JSON.stringify(sorted));
  });

  it("writes what is not a plain object or array as a plain copy of its own keys would be, sorted or not", () => {
    const date = new Date(0);
    expect(canonicalJson({ a: date })).toBe('{"a":{}}');
    expect(canonicalJson({ b: date, a: 1 })).toBe('{"a":1,"b":{}}');
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
      toJSON() {
        return "point";
      }
    }
    expect(canonicalJson([new Point(1, 2)])).toBe('[{"x":1,"y":2}]');
    const own = { a: 1, toJSON: () => "own" };
    expect(canonicalJson(own)).toBe('"own"');
  });

  it("leaves out what JSON leaves out, and writes holes and non-finite numbers as null", () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(canonicalJson({ a: undefined, b: [1, , Infinity], c: () => 1 })).toBe('{"b":[1,null,null]}');
  });
});
