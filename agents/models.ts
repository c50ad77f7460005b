import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { initChatModel } from "langchain";
import { TrajlabError, errorMessage } from "../errors/index.js";
import { routeScript, teamOf, type Policy, type PolicyScript, type Scenario } from "../scenarios/index.js";
import { PolicyChatModel } from "./policy-model.js";

/** A model for one trial: the chat model and, for policy models, the script it replays. */
export interface ResolvedModel {
  /** The spec as written, e.g. `policy:reference` or `openai:gpt-4o-mini`. */
  readonly spec: string;
  readonly chatModel: BaseChatModel;
  /** Present for offline policy models, routed over the scenario's team; its faults become ground truth. */
  readonly script: PolicyScript | null;
}

/** A parsed model spec. */
export type ModelSpec =
  { kind: "policy"; spec: string; policy: string } | { kind: "provider"; spec: string; provider: string; model: string };

/**
 * Parses `policy:<id>` (offline scripted policy) or `<provider>:<model>`
 * (any provider `initChatModel` knows, such as `openai:gpt-4o-mini`,
 * `anthropic:claude-sonnet-4-5`, `ollama:llama3.1`).
 */
export function parseModelSpec(spec: string): ModelSpec {
  const colon = spec.indexOf(":");
  if (colon <= 0 || colon === spec.length - 1) {
    throw new TrajlabError("BAD_MODEL_SPEC", `model "${spec}" is not of the form <provider>:<model>`, {
      hint: "examples: openai:gpt-4o-mini, anthropic:claude-sonnet-4-5, policy:reference",
    });
  }
  const provider = spec.slice(0, colon);
  const name = spec.slice(colon + 1);
  return provider === "policy" ? { kind: "policy", spec, policy: name } : { kind: "provider", spec, provider, model: name };
}

/** Options for resolving models. */
export interface ResolveModelOptions {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly policies: readonly Policy[];
  /** Environment variables to read provider settings from (defaults to process.env). */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Resolves a model spec for one trial. Policy models are built from the
 * scenario (they replay its plan); provider models come from `initChatModel`
 * with temperature 0. `OPENAI_BASE_URL` points the `openai` provider at any
 * OpenAI-compatible server (vLLM, Ollama, llama.cpp); such servers need no
 * real key, so a placeholder is used when `OPENAI_API_KEY` is unset.
 */
export async function resolveModel(spec: string, options: ResolveModelOptions): Promise<ResolvedModel> {
  const parsed = parseModelSpec(spec);
  if (parsed.kind === "policy") {
    const policy = options.policies.find((candidate) => candidate.id === parsed.policy);
    if (!policy) {
      throw new TrajlabError("UNKNOWN_POLICY", `policy "${parsed.policy}" does not exist`, {
        hint: `policies: ${options.policies.map((p) => p.id).join(", ")}`,
      });
    }
    // Routed once here so every agent builder replays the same steps: a team
    // plays them agent by agent, a single agent skips the handoffs.
    const script = routeScript(policy.script(options.scenario, { seed: options.seed }), teamOf(options.scenario));
    return { spec, chatModel: new PolicyChatModel({ script, modelName: spec }), script };
  }
  return { spec, chatModel: await providerModel(parsed, options.env ?? process.env), script: null };
}

const providerModels = new Map<string, Promise<BaseChatModel>>();

async function providerModel(spec: Extract<ModelSpec, { kind: "provider" }>, env: NodeJS.ProcessEnv): Promise<BaseChatModel> {
  const baseURL = spec.provider === "openai" ? env.OPENAI_BASE_URL || undefined : undefined;
  const cacheKey = `${spec.spec}\u0000${baseURL ?? ""}`;
  let model = providerModels.get(cacheKey);
  if (!model) {
    const fields: Record<string, unknown> = { modelProvider: spec.provider, temperature: 0 };
    if (baseURL) {
      fields.configuration = { baseURL };
      fields.apiKey = env.OPENAI_API_KEY || "not-needed-for-local-servers";
    }
    model = initChatModel(spec.model, fields).then(
      (m) => m as unknown as BaseChatModel,
      (error: unknown) => {
        providerModels.delete(cacheKey);
        const message = errorMessage(error);
        throw new TrajlabError("MODEL_UNAVAILABLE", `model "${spec.spec}" could not be loaded: ${message}`, {
          hint: `install the provider's package (for example npm install @langchain/${spec.provider}) and set its API key, or use --policy for offline runs`,
          cause: error,
        });
      },
    );
    providerModels.set(cacheKey, model);
  }
  return model;
}
