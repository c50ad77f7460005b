import { tool, type StructuredToolInterface } from "@langchain/core/tools";
import { ToolFailure, type ToolDefinition } from "./define.js";
import { normaliseResult, runTool, toolErrorMessage } from "./execute.js";

/**
 * Turns tool definitions into LangChain tools bound to one trial's state.
 * Results reach the model as JSON text. A {@link ToolFailure} becomes a tool
 * error the agent sees; argument validation is LangChain's own, against the
 * same zod schema the model was shown.
 */
export function toLangChainTools<S>(definitions: readonly ToolDefinition<S>[], state: S): StructuredToolInterface[] {
  return definitions.map((definition) =>
    tool(
      async (args: Record<string, unknown>) => {
        let result: unknown;
        try {
          result = runTool(definition, args, state);
        } catch (error) {
          // LangChain's tool node expects an Error; anything else thrown (null, a plain object) breaks it.
          throw error instanceof Error ? error : new ToolFailure(toolErrorMessage(definition.name, error));
        }
        return typeof result === "string" ? result : JSON.stringify(normaliseResult(result));
      },
      {
        name: definition.name,
        description: definition.description,
        schema: definition.args,
        metadata: { trajlab_effect: definition.effect },
      },
    ),
  );
}
