import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { TrajlabError } from "../errors/index.js";
import { routeScript, teamOf, type Policy, type PolicyScript, type Scenario } from "../scenarios/index.js";
import { PolicyChatModel } from "./policy-model.js";
import { ManagedChatModel } from "./model-calls/managed-model.js";
import { createProviderModel, openAIBaseURL, providerModelKey } from "./providers.js";

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
 * with temperature 0, created once per spec, and are called through
 * {@link ManagedChatModel} (cache, per-provider limit, retries, cost; see
 * `configureModelCalls`). `OPENAI_BASE_URL` points the `openai` provider at any
 * OpenAI-compatible server (vLLM, Ollama, llama.cpp); such servers need no
 * real key, so a placeholder is used when `OPENAI_API_KEY` is unset.
 */
export async function resolveModel(spec: string, options: ResolveModelOptions): Promise<ResolvedModel> {
  const parsed = parseModelSpec(spec);
  if (parsed.kind === "policy") {
    const policy = policyNamed(parsed.policy, options.policies);
    // Routed once here so every agent builder replays the same steps: a team
    // plays them agent by agent, a single agent skips the handoffs.
    const script = routeScript(policy.script(options.scenario, { seed: options.seed }), teamOf(options.scenario));
    return { spec, chatModel: new PolicyChatModel({ script, modelName: spec }), script };
  }
  const env = options.env ?? process.env;
  const inner = await providerModel(parsed, env);
  const target = { spec, provider: parsed.provider, server: openAIBaseURL(parsed, env) ?? null, seed: options.seed };
  return { spec, chatModel: new ManagedChatModel(inner, target), script: null };
}

function policyNamed(id: string, policies: readonly Policy[]): Policy {
  const policy = policies.find((candidate) => candidate.id === id);
  if (!policy)
    throw new TrajlabError("UNKNOWN_POLICY", `policy "${id}" does not exist`, {
      hint: `policies: ${policies.map((p) => p.id).join(", ")}`,
    });
  return policy;
}

const providerModels = new Map<string, Promise<BaseChatModel>>();

function providerModel(spec: Extract<ModelSpec, { kind: "provider" }>, env: NodeJS.ProcessEnv): Promise<BaseChatModel> {
  const key = providerModelKey(spec, env);
  let model = providerModels.get(key);
  if (!model) {
    model = createProviderModel(spec, env);
    // A failure is not kept: the next trial (or a rerun in the same process) tries again.
    model.catch(() => providerModels.delete(key));
    providerModels.set(key, model);
  }
  return model;
}

/** What {@link checkModels} needs to know. */
export interface CheckModelsOptions {
  /** The policies `policy:<id>` specs may name. */
  readonly policies: readonly Policy[];
  /** Environment variables to read keys and settings from (defaults to process.env). */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Checks model specs before anything runs, so that a run never starts (and
 * never leaves a folder of failed trials behind) on a model it cannot use:
 * each spec must parse, a policy must exist, and a provider must be known,
 * with its package installed and its API key set. Provider models are created
 * here and kept for the trials. Every problem is reported at once, one line
 * per model; the error's code is the first problem's.
 */
export async function checkModels(specs: readonly string[], options: CheckModelsOptions): Promise<void> {
  const env = options.env ?? process.env;
  const problems: TrajlabError[] = [];
  for (const spec of new Set(specs)) {
    try {
      const parsed = parseModelSpec(spec);
      if (parsed.kind === "policy") policyNamed(parsed.policy, options.policies);
      else await providerModel(parsed, env);
    } catch (error) {
      if (!(error instanceof TrajlabError)) throw error;
      problems.push(error);
    }
  }
  const [first] = problems;
  if (!first) return;
  if (problems.length === 1) throw first;
  throw new TrajlabError(first.code, `${problems.length} models cannot be used:\n${problems.map((p) => `  ${p.message}`).join("\n")}`, {
    // Models of one provider share a fix: say it once.
    hint: [...new Set(problems.map((p) => p.hint).filter(Boolean))].join("; "),
  });
}
