import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import * as z from "zod";
import { parseModelSpec, resolveModel } from "../../../agents/index.js";
import type { Scenario } from "../../../scenarios/index.js";
import { TrajlabError, errorMessage } from "../../../errors/index.js";
import { replyText } from "../../util/message-text.js";
import type { GradableTrajectory } from "../../trajectory/schema.js";
import { BUILTIN_LABELS } from "../builtin-labels.js";
import { defineGrader } from "../define.js";
import type { Grader, StepLabel } from "../grade.js";
import { judgedSteps, renderReference, renderTranscript } from "./transcript.js";

/** Where the built-in judge prompts live; copy them, edit them, point `promptsDir` at the copy. */
export const DEFAULT_PROMPTS_DIR = join(fileURLToPath(new URL(".", import.meta.url)), "prompts");

/** The two prompt files a judge reads. */
export const PROMPT_FILES = { system: "system.md", trajectory: "trajectory.md" } as const;

/** Placeholders `trajectory.md` may use. */
export const PROMPT_PLACEHOLDERS = ["task", "reference", "transcript", "final_answer", "steps"] as const;

/** What one judge must reply (a JSON object). */
export const JudgementSchema = z.object({
  plan: z.object({ score: z.number().min(1).max(5), reason: z.string() }),
  steps: z.array(z.object({ eventId: z.string(), verdict: z.enum(["ok", "skippable", "wrong"]), reason: z.string() })),
});
export type Judgement = z.infer<typeof JudgementSchema>;

/** Options of {@link llmJudgeGrader}. */
export interface JudgeOptions {
  /** Judges: model specs (`openai:gpt-4o-mini`, any provider initChatModel knows) or chat models. */
  readonly models: readonly (string | BaseChatModel)[];
  /** Folder with `system.md` and `trajectory.md`; default the built-in prompts. */
  readonly promptsDir?: string;
  /** Plan score (0..1, from the 1-5 scale) at or above which the grade passes; default 0.5 (3 of 5). */
  readonly passScore?: number;
  /** Environment for provider settings (`OPENAI_BASE_URL`, keys); default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Grader id; default `judge`. */
  readonly id?: string;
}

/** The prompts, read once and checked. */
export interface JudgePrompts {
  readonly system: string;
  readonly trajectory: string;
}

/** Reads and checks the judge prompts of a folder: both files present, only known placeholders. */
export function loadJudgePrompts(dir: string = DEFAULT_PROMPTS_DIR): JudgePrompts {
  const read = (name: string): string => {
    const file = join(dir, name);
    try {
      return readFileSync(file, "utf8");
    } catch {
      throw new TrajlabError("JUDGE_PROMPT", `judge prompt ${file} cannot be read`, {
        hint: `a prompts folder holds ${Object.values(PROMPT_FILES).join(" and ")}; copy them from ${DEFAULT_PROMPTS_DIR}`,
      });
    }
  };
  const trajectory = read(PROMPT_FILES.trajectory);
  const unknown = [...trajectory.matchAll(/\{\{\s*([a-z_]+)\s*\}\}/g)]
    .map((m) => m[1]!)
    .filter((name) => !(PROMPT_PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new TrajlabError(
      "JUDGE_PROMPT",
      `${join(dir, PROMPT_FILES.trajectory)}: unknown placeholder(s) ${unknown.map((n) => `{{${n}}}`).join(", ")}`,
      {
        hint: `placeholders: ${PROMPT_PLACEHOLDERS.map((n) => `{{${n}}}`).join(", ")}`,
      },
    );
  }
  return { system: read(PROMPT_FILES.system), trajectory };
}

/** The user message a judge gets for a trajectory. */
export function judgePrompt(prompts: JudgePrompts, trajectory: GradableTrajectory): string {
  const values: Record<(typeof PROMPT_PLACEHOLDERS)[number], string> = {
    task: trajectory.task ?? "(not recorded)",
    reference: renderReference(trajectory),
    transcript: renderTranscript(trajectory),
    final_answer: trajectory.finalAnswer ?? "(no final answer)",
    steps:
      judgedSteps(trajectory)
        .map((step) => step.line)
        .join("\n") || "(no tool calls or handoffs)",
  };
  return prompts.trajectory.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_, name: keyof typeof values) => values[name]);
}

/** The JSON object in a reply, fenced or not; null when there is none or it does not fit the shape. */
export function parseJudgement(reply: string): { ok: true; judgement: Judgement } | { ok: false; problem: string } {
  const start = reply.indexOf("{");
  const end = reply.lastIndexOf("}");
  if (start === -1 || end <= start) return { ok: false, problem: "no JSON object in the reply" };
  let json: unknown;
  try {
    json = JSON.parse(reply.slice(start, end + 1));
  } catch (error) {
    return { ok: false, problem: `reply is not valid JSON (${errorMessage(error)})` };
  }
  const parsed = JudgementSchema.safeParse(json);
  return parsed.success ? { ok: true, judgement: parsed.data } : { ok: false, problem: z.prettifyError(parsed.error).replace(/\s+/g, " ") };
}

/**
 * An LLM-as-judge grader (off by default; `trajlab grade --judge <model>`):
 * each judge model reads the trajectory and rates the plan (1-5) and every
 * tool call and handoff (`ok`, `skippable`, `wrong`), with reasons. Several
 * judges are aggregated: the score is the mean plan score mapped to 0..1; a
 * step is labelled `skippable` or `wrong_step` when more than half of the
 * judges that answered say so, with each judge's reason. Judges whose reply
 * cannot be parsed are reported and left out of the aggregate.
 */
export function llmJudgeGrader(options: JudgeOptions): Grader {
  if (options.models.length === 0)
    throw new TrajlabError("NO_JUDGES", "the LLM judge needs at least one model", { hint: "e.g. --judge openai:gpt-4o-mini" });
  for (const model of options.models) {
    if (typeof model === "string" && parseModelSpec(model).kind === "policy") {
      throw new TrajlabError("BAD_JUDGE", `judge "${model}" is an offline policy, which cannot read a trajectory`, {
        hint: "judges are language models, e.g. openai:gpt-4o-mini (OPENAI_BASE_URL for local servers)",
      });
    }
  }
  const prompts = loadJudgePrompts(options.promptsDir);
  const passScore = options.passScore ?? 0.5;
  const resolved = new Map<string, Promise<BaseChatModel>>();
  const modelOf = (model: string | BaseChatModel, scenario: Scenario | undefined): Promise<BaseChatModel> => {
    if (typeof model !== "string") return Promise.resolve(model);
    let found = resolved.get(model);
    if (!found) {
      // Provider models do not read the scenario; policy judges were refused above.
      found = resolveModel(model, { scenario: scenario as Scenario, seed: 0, policies: [], env: options.env }).then((r) => r.chatModel);
      resolved.set(model, found);
    }
    return found;
  };
  const nameOf = (model: string | BaseChatModel): string => (typeof model === "string" ? model : model.getName());
  return defineGrader({
    id: options.id ?? "judge",
    description: `LLM judge (${options.models.map(nameOf).join(", ")}): plan score and per-step verdicts`,
    labels: BUILTIN_LABELS.judge,
    async grade(trajectory, scenario) {
      const message = judgePrompt(prompts, trajectory);
      const answers = await Promise.all(
        options.models.map(async (model) => {
          try {
            const chat = await modelOf(model, scenario);
            const reply = await chat.invoke([new SystemMessage(prompts.system), new HumanMessage(message)]);
            return { name: nameOf(model), ...parseJudgement(replyText(reply)) };
          } catch (error) {
            return { name: nameOf(model), ok: false as const, problem: errorMessage(error) };
          }
        }),
      );
      return aggregate(trajectory, answers, passScore);
    },
  });
}

type Answer = { name: string } & ({ ok: true; judgement: Judgement } | { ok: false; problem: string });

function aggregate(trajectory: GradableTrajectory, answers: readonly Answer[], passScore: number) {
  const valid = answers.filter((answer): answer is Answer & { ok: true; judgement: Judgement } => answer.ok);
  const failed = answers.filter((answer): answer is Answer & { ok: false; problem: string } => !answer.ok);
  const problems = failed.map((answer) => `${answer.name}: ${answer.problem}`);
  if (valid.length === 0) return { score: 0, pass: false, comment: `no judge gave a usable verdict: ${problems.join("; ")}`, steps: [] };
  const score = valid.reduce((sum, answer) => sum + (answer.judgement.plan.score - 1) / 4, 0) / valid.length;
  const known = new Set(judgedSteps(trajectory).map((step) => step.eventId));
  const steps: StepLabel[] = [];
  for (const eventId of known) {
    const verdicts = valid
      .map((answer) => ({ name: answer.name, step: answer.judgement.steps.find((step) => step.eventId === eventId) }))
      .filter((v) => v.step);
    const against = verdicts.filter((v) => v.step!.verdict !== "ok");
    if (against.length * 2 <= valid.length) continue;
    const wrong = against.filter((v) => v.step!.verdict === "wrong").length;
    const label = wrong * 2 >= against.length ? "wrong_step" : "skippable";
    steps.push({
      eventId,
      label,
      reason: `${against.length} of ${valid.length} judge(s): ${against.map((v) => `${v.name} (${v.step!.verdict}): ${v.step!.reason}`).join("; ")}`,
    });
  }
  const plans = valid.map((answer) => `${answer.name} ${answer.judgement.plan.score}/5 (${answer.judgement.plan.reason})`).join("; ");
  const mean = 1 + score * 4;
  return {
    score,
    pass: score >= passScore,
    comment: `plan ${mean.toFixed(1)}/5 from ${valid.length} judge(s): ${plans}${problems.length > 0 ? `; left out: ${problems.join("; ")}` : ""}`,
    steps,
  };
}
