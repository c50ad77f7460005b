import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { JsonlAppender, readJsonl, readJsonlForAppend, streamJsonlRecords } from "../../../harness/core.js";
import { tempFolder } from "../../support/cli.js";

const Line = z.object({ id: z.string(), text: z.string().optional() });

async function records(file: string) {
  const skipped: number[] = [];
  const read = [];
  for await (const record of streamJsonlRecords(file, Line, { onSkip: (problem) => skipped.push(problem.line) })) read.push(record);
  return { read, skipped };
}

describe("streaming a JSONL file", () => {
  it("reads what readJsonl reads: lines longer than a block, characters split between blocks, blank lines, CRLF", async () => {
    const file = join(await tempFolder(), "lines.jsonl");
    // The é's two bytes straddle the first 1 MB block boundary.
    const long = `{"id":"long","text":"${"x".repeat(1024 * 1024 - 22)}é and more"}`;
    const text = `${long}\n\n{"id":"b"}\r\n${JSON.stringify({ id: "c", text: "ü".repeat(3000) })}\n`;
    await writeFile(file, text);
    const { read, skipped } = await records(file);
    expect(read.map((record) => record.line)).toEqual([1, 3, 4]);
    expect(read.map((record) => record.value)).toEqual(await readJsonl(file, Line));
    expect(read[0]!.value.text!.endsWith("é and more")).toBe(true);
    expect(skipped).toEqual([]);
  });

  it("skips a torn last line with its number, and refuses a bad line elsewhere naming file and line", async () => {
    const file = join(await tempFolder(), "torn.jsonl");
    await writeFile(file, `{"id":"a"}\n{"id":"b"}\n{"id":"c","te`);
    const { read, skipped } = await records(file);
    expect(read.map((record) => record.value.id)).toEqual(["a", "b"]);
    expect(skipped).toEqual([3]);
    await writeFile(file, `{"id":"a"}\n{"id":\n{"id":"c"}\n`);
    await expect(records(file)).rejects.toThrow(`${file}:2: not valid JSON`);
  });

  it("for an append, cuts a torn tail longer than the block it reads backwards into <file>.torn, and ends a whole last line", async () => {
    const folder = await tempFolder();
    const file = join(folder, "append.jsonl");
    const torn = `{"id":"c","text":"${"y".repeat(200_000)}`;
    await writeFile(file, `{"id":"a"}\n{"id":"b"}\n${torn}`);
    const cut: number[] = [];
    const values = await readJsonlForAppend(file, Line, (tail) => cut.push(tail.line));
    expect(values.map((value) => value.id)).toEqual(["a", "b"]);
    expect(cut).toEqual([3]);
    expect(await readFile(file, "utf8")).toBe(`{"id":"a"}\n{"id":"b"}\n`);
    expect(await readFile(`${file}.torn`, "utf8")).toBe(`${torn}\n`);
    await writeFile(file, `{"id":"a"}\n{"id":"b"}`);
    expect((await readJsonlForAppend(file, Line)).map((value) => value.id)).toEqual(["a", "b"]);
    expect(await readFile(file, "utf8")).toBe(`{"id":"a"}\n{"id":"b"}\n`);
  });
});

describe("appending to a JSONL file", () => {
  it("writes appends made at once in the order they were made, each on disk when it resolves", async () => {
    const file = join(await tempFolder(), "appended.jsonl");
    const appender = new JsonlAppender(file);
    const seen: string[][] = [];
    await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        (index % 3 === 0 ? appender.appendMany([{ id: `${index}a` }, { id: `${index}b` }]) : appender.append({ id: `${index}` })).then(
          async () => seen.push((await readFile(file, "utf8")).trimEnd().split("\n")),
        ),
      ),
    );
    const expected = Array.from({ length: 40 }, (_, index) =>
      index % 3 === 0 ? [`{"id":"${index}a"}`, `{"id":"${index}b"}`] : [`{"id":"${index}"}`],
    ).flat();
    expect((await readFile(file, "utf8")).trimEnd().split("\n")).toEqual(expected);
    // Each append found its own line, and every line before it, in the file.
    expect(seen.every((lines) => lines.length > 0 && lines.every((line, at) => line === expected[at]))).toBe(true);
    await appender.appendMany([]);
    expect((await readFile(file, "utf8")).trimEnd().split("\n")).toHaveLength(expected.length);
  });

  it("rejects every append a failed write held, and writes later ones", async () => {
    const folder = join(await tempFolder(), "not-yet");
    const appender = new JsonlAppender(join(folder, "lines.jsonl"));
    const failed = await Promise.allSettled(Array.from({ length: 5 }, (_, index) => appender.append({ id: `${index}` })));
    expect(failed.map((result) => result.status)).toEqual(Array(5).fill("rejected"));
    expect(failed.map((result) => (result as PromiseRejectedResult).reason.code)).toEqual(Array(5).fill("ENOENT"));
    await mkdir(folder);
    await appender.append({ id: "after" });
    expect(await readFile(join(folder, "lines.jsonl"), "utf8")).toBe(`{"id":"after"}\n`);
  });
});
