import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { MODEL_PROVIDER_CONFIG, initChatModel } from "langchain/chat_models/universal";
import { TrajlabError, errorMessage } from "../errors/index.js";
import { nodeHttpFetch } from "./model-calls/node-http-fetch.js";

/** A `<provider>:<model>` spec, parsed. */
export interface ProviderModelSpec {
  readonly spec: string;
  readonly provider: string;
  readonly model: string;
}

/**
 * Environment variables that hold each provider's API key (any one of them is
 * enough), checked before a run starts. Providers not listed authenticate in
 * other ways (Ollama needs nothing; Vertex AI and Bedrock use their cloud's
 * credential chain) and are left to the provider's package.
 */
export const PROVIDER_KEYS: Readonly<Record<string, readonly string[]>> = {
  openai: ["OPENAI_API_KEY"],
  anthropic: ["ANTHROPIC_API_KEY"],
  azure_openai: ["AZURE_OPENAI_API_KEY"],
  cohere: ["COHERE_API_KEY"],
  "google-genai": ["GOOGLE_API_KEY"],
  mistralai: ["MISTRAL_API_KEY"],
  mistral: ["MISTRAL_API_KEY"],
  groq: ["GROQ_API_KEY"],
  deepseek: ["DEEPSEEK_API_KEY"],
  xai: ["XAI_API_KEY"],
  fireworks: ["FIREWORKS_API_KEY"],
  together: ["TOGETHER_AI_API_KEY"],
  langsmith: ["LANGSMITH_GATEWAY_API_KEY", "LANGSMITH_API_KEY"],
};

/** The package a provider's chat model lives in, as `initChatModel` knows it. */
function providerPackage(spec: ProviderModelSpec): string {
  const config = (MODEL_PROVIDER_CONFIG as Record<string, { package: string } | undefined>)[spec.provider];
  if (!config) {
    throw new TrajlabError("UNKNOWN_PROVIDER", `model "${spec.spec}": no provider is called "${spec.provider}"`, {
      hint: `providers: ${Object.keys(MODEL_PROVIDER_CONFIG).join(", ")}; offline: policy:<id>`,
    });
  }
  return config.package;
}

/** Imports the provider's package, so that a missing one is reported before anything runs. */
async function importProviderPackage(spec: ProviderModelSpec, name: string): Promise<void> {
  try {
    await import(name);
  } catch (error) {
    const missing = (error as { code?: string }).code === "ERR_MODULE_NOT_FOUND" && errorMessage(error).includes(`'${name}'`);
    if (missing) {
      throw new TrajlabError("PROVIDER_PACKAGE_MISSING", `model "${spec.spec}" needs the package ${name}, which is not installed`, {
        hint: `npm install ${name}`,
      });
    }
    throw new TrajlabError("MODEL_UNAVAILABLE", `model "${spec.spec}": ${name} could not be loaded: ${errorMessage(error)}`, {
      hint: `reinstall it (npm install ${name})`,
      cause: error,
    });
  }
}

/** The OpenAI-compatible server `openai:` models talk to instead of OpenAI's, if any. */
export function openAIBaseURL(spec: ProviderModelSpec, env: NodeJS.ProcessEnv): string | undefined {
  return spec.provider === "openai" ? env.OPENAI_BASE_URL || undefined : undefined;
}

function checkKey(spec: ProviderModelSpec, env: NodeJS.ProcessEnv): void {
  const keys = PROVIDER_KEYS[spec.provider];
  if (!keys || keys.some((name) => env[name]) || openAIBaseURL(spec, env)) return;
  const local = spec.provider === "openai" ? "; for a local OpenAI-compatible server, set OPENAI_BASE_URL instead" : "";
  throw new TrajlabError("MISSING_API_KEY", `model "${spec.spec}" needs an API key: ${keys.join(" or ")} is not set`, {
    hint: `export ${keys[0]}=...${local}; or run offline with --policy`,
  });
}

/**
 * Creates a provider's chat model at temperature 0, after checking that the
 * provider exists, its package is installed and its key is set. The model is
 * the provider's own class (ChatOpenAI, ChatAnthropic, ...), not the
 * configurable wrapper `initChatModel` returns, so binding tools for each
 * trial is cheap and never imports the package again.
 */
export async function createProviderModel(spec: ProviderModelSpec, env: NodeJS.ProcessEnv): Promise<BaseChatModel> {
  const name = providerPackage(spec);
  await importProviderPackage(spec, name);
  checkKey(spec, env);
  // One attempt per call: ManagedChatModel retries, and records each attempt.
  const fields: Record<string, unknown> = { modelProvider: spec.provider, temperature: 0, maxRetries: 0 };
  const baseURL = openAIBaseURL(spec, env);
  // The openai package calls through node:http (see nodeHttpFetch): Node's fetch costs several
  // times the CPU, which dozens of trials at once on a few cores feel.
  if (spec.provider === "openai") fields.configuration = { fetch: nodeHttpFetch };
  if (baseURL) {
    fields.configuration = { ...(fields.configuration as object), baseURL };
    // Local servers need no real key, but the client insists on one.
    fields.apiKey = env.OPENAI_API_KEY || "not-needed-for-local-servers";
  } else if (spec.provider === "openai" && env.OPENAI_API_KEY) {
    fields.apiKey = env.OPENAI_API_KEY;
  }
  try {
    const configurable = await initChatModel(spec.model, fields);
    return await configurable._getModelInstance();
  } catch (error) {
    throw new TrajlabError("MODEL_UNAVAILABLE", `model "${spec.spec}" could not be created: ${errorMessage(error)}`, {
      hint: "check the model name and the provider's settings, or run offline with --policy",
      cause: error,
    });
  }
}

/** A cache key for a provider model: the spec and the settings read from the environment. */
export function providerModelKey(spec: ProviderModelSpec, env: NodeJS.ProcessEnv): string {
  return `${spec.spec}\u0000${openAIBaseURL(spec, env) ?? ""}`;
}
