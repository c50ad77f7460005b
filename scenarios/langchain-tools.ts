import { tool, type StructuredToolInterface } from "@langchain/core/tools";
import type { ToolDefinition } from "./define.js";
import { normaliseResult } from "./execute.js";

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
        const result = definition.run(args, state);
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
