import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { PolicyChatModel, type PolicyRole } from "./policy-model.js";

/**
 * The model one agent of a multi-agent graph (or one part of a
 * plan-and-execute agent) should use. Offline policy models learn whom they
 * speak for, so each replays only its own steps; any other model is returned
 * unchanged. Call it in custom multi-agent builders too.
 */
export function modelFor(model: BaseChatModel, who: { agent?: string; role?: PolicyRole }): BaseChatModel {
  return model instanceof PolicyChatModel ? model.with(who) : model;
}
