/**
 * OTLP/JSON traces written for the import tests from the OTLP spec and the
 * two conventions (OpenTelemetry GenAI, OpenInference). `collector: true`
 * writes integers as strings, as the Collector's file exporter does.
 */

interface SpanSpec {
  id: string;
  parent?: string;
  name: string;
  start: number;
  end: number;
  attributes: Record<string, string | number | boolean>;
  error?: string;
}

function anyValue(value: string | number | boolean, collector: boolean) {
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  if (Number.isInteger(value)) return { intValue: collector ? String(value) : value };
  return { doubleValue: value };
}

const BASE_NS = 1_767_225_600_000_000_000n; // 2026-01-01T00:00:00Z

/** One ExportTraceServiceRequest holding the spans (times in ms from the base). */
export function traceRequest(traceId: string, spans: SpanSpec[], options: { collector?: boolean; service?: string } = {}) {
  const collector = options.collector ?? false;
  const ns = (ms: number) => (collector ? String(BASE_NS + BigInt(ms) * 1_000_000n) : String(BASE_NS + BigInt(ms) * 1_000_000n));
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: options.service ?? "weather-app" } }] },
        scopeSpans: [
          {
            scope: { name: "test" },
            spans: spans.map((span) => ({
              traceId,
              spanId: span.id,
              ...(span.parent ? { parentSpanId: span.parent } : {}),
              name: span.name,
              kind: collector ? 1 : 1,
              startTimeUnixNano: ns(span.start),
              endTimeUnixNano: ns(span.end),
              attributes: Object.entries(span.attributes).map(([key, value]) => ({ key, value: anyValue(value, collector) })),
              status: span.error ? { code: 2, message: span.error } : { code: 0 },
            })),
          },
        ],
      },
    ],
  };
}

const TRACE_A = "0af7651916cd43dd8448eb211c80319c";

/** A GenAI-convention trace: an agent asks a model, runs a tool, hands a sub-task to a nested agent, and answers. */
export function genAiTrace(collector = true) {
  const input = (messages: unknown[]) => JSON.stringify(messages);
  return traceRequest(
    TRACE_A,
    [
      {
        id: "a000000000000001",
        name: "invoke_agent Planner",
        start: 0,
        end: 100,
        attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "Planner" },
      },
      {
        id: "a000000000000002",
        parent: "a000000000000001",
        name: "chat gpt-test",
        start: 1,
        end: 11,
        attributes: {
          "gen_ai.operation.name": "chat",
          "gen_ai.request.model": "gpt-test",
          "gen_ai.usage.input_tokens": 30,
          "gen_ai.usage.output_tokens": 7,
          "gen_ai.system_instructions": JSON.stringify([{ type: "text", content: "Plan trips." }]),
          "gen_ai.input.messages": input([{ role: "user", parts: [{ type: "text", content: "Weather in Oslo, then a packing list?" }] }]),
          "gen_ai.output.messages": input([
            {
              role: "assistant",
              parts: [{ type: "tool_call", id: "call_w", name: "get_weather", arguments: { city: "Oslo" } }],
              finish_reason: "tool_call",
            },
          ]),
        },
      },
      {
        id: "a000000000000003",
        parent: "a000000000000001",
        name: "execute_tool get_weather",
        start: 12,
        end: 20,
        attributes: {
          "gen_ai.operation.name": "execute_tool",
          "gen_ai.tool.name": "get_weather",
          "gen_ai.tool.call.id": "call_w",
          "gen_ai.tool.call.arguments": '{"city":"Oslo"}',
          "gen_ai.tool.call.result": '{"sky":"snow"}',
        },
      },
      {
        id: "a000000000000004",
        parent: "a000000000000001",
        name: "invoke_agent Packer",
        start: 21,
        end: 60,
        attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "Packer" },
      },
      {
        id: "a000000000000005",
        parent: "a000000000000004",
        name: "chat gpt-test",
        start: 22,
        end: 40,
        attributes: {
          "gen_ai.operation.name": "chat",
          "gen_ai.request.model": "gpt-test",
          "gen_ai.input.messages": input([{ role: "user", parts: [{ type: "text", content: "Packing list for snow" }] }]),
          "gen_ai.output.messages": input([
            { role: "assistant", parts: [{ type: "text", content: "Coat, boots." }], finish_reason: "stop" },
          ]),
        },
      },
      {
        id: "a000000000000006",
        parent: "a000000000000004",
        name: "execute_tool lookup_store",
        start: 41,
        end: 50,
        error: "store closed",
        attributes: {
          "gen_ai.operation.name": "execute_tool",
          "gen_ai.tool.name": "lookup_store",
          "gen_ai.tool.call.arguments": '{"item":"coat"}',
        },
      },
      {
        id: "a000000000000007",
        parent: "a000000000000001",
        name: "chat gpt-test",
        start: 61,
        end: 99,
        attributes: {
          "gen_ai.operation.name": "chat",
          "gen_ai.request.model": "gpt-test",
          "gen_ai.input.messages": input([
            { role: "user", parts: [{ type: "text", content: "Weather in Oslo, then a packing list?" }] },
            { role: "assistant", parts: [{ type: "tool_call", id: "call_w", name: "get_weather", arguments: { city: "Oslo" } }] },
            { role: "tool", parts: [{ type: "tool_call_response", id: "call_w", response: '{"sky":"snow"}' }] },
          ]),
          "gen_ai.output.messages": input([
            { role: "assistant", parts: [{ type: "text", content: "Snow in Oslo: pack a coat and boots." }], finish_reason: "stop" },
          ]),
        },
      },
    ],
    { collector },
  );
}

/** An OpenInference trace as LangChain's instrumentation writes it: CHAIN, LLM and TOOL spans, no tool-call ids. */
export function openInferenceTrace(traceId = "1bf7651916cd43dd8448eb211c80319d") {
  return traceRequest(traceId, [
    {
      id: "b000000000000001",
      name: "LangGraph",
      start: 0,
      end: 50,
      attributes: { "openinference.span.kind": "CHAIN", "input.value": '{"messages":[]}' },
    },
    {
      id: "b000000000000002",
      parent: "b000000000000001",
      name: "ChatPolicy",
      start: 1,
      end: 5,
      attributes: {
        "openinference.span.kind": "LLM",
        "llm.model_name": "policy:reference",
        "llm.input_messages.0.message.role": "system",
        "llm.input_messages.0.message.content": "You help.",
        "llm.input_messages.1.message.role": "user",
        "llm.input_messages.1.message.content": "Where is order 7?",
        "llm.output_messages.0.message.role": "assistant",
        "llm.output_messages.0.message.content": "",
        "llm.output_messages.0.message.tool_calls.0.tool_call.function.name": "get_order",
        "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments": '{"id":7}',
        "llm.token_count.prompt": 12,
        "llm.token_count.completion": 3,
        "llm.token_count.total": 15,
        metadata: JSON.stringify({ langgraph_node: "model_request", lc_agent_name: "shop_agent" }),
      },
    },
    {
      id: "b000000000000003",
      parent: "b000000000000001",
      name: "get_order",
      start: 5,
      end: 6,
      attributes: {
        "openinference.span.kind": "TOOL",
        "tool.name": "get_order",
        "input.value": '{"id":7}',
        "output.value": JSON.stringify({
          output: {
            lc: 1,
            type: "constructor",
            id: ["langchain_core", "messages", "ToolMessage"],
            kwargs: { content: '{"status":"shipped"}', tool_call_id: "call_1" },
          },
        }),
        metadata: JSON.stringify({ langgraph_node: "tools", lc_agent_name: "shop_agent" }),
      },
    },
    {
      id: "b000000000000004",
      parent: "b000000000000001",
      name: "ChatPolicy",
      start: 5,
      end: 9,
      attributes: {
        "openinference.span.kind": "LLM",
        "llm.model_name": "policy:reference",
        "llm.input_messages.0.message.role": "system",
        "llm.input_messages.0.message.content": "You help.",
        "llm.input_messages.1.message.role": "user",
        "llm.input_messages.1.message.content": "Where is order 7?",
        "llm.input_messages.2.message.role": "assistant",
        "llm.input_messages.2.message.content": "",
        "llm.input_messages.2.message.tool_calls.0.tool_call.function.name": "get_order",
        "llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments": '{"id":7}',
        "llm.input_messages.3.message.role": "tool",
        "llm.input_messages.3.message.content": '{"status":"shipped"}',
        "llm.input_messages.3.message.tool_call_id": "call_1",
        "llm.output_messages.0.message.role": "assistant",
        "llm.output_messages.0.message.content": "Order 7 has shipped.",
        metadata: JSON.stringify({ langgraph_node: "model_request", lc_agent_name: "shop_agent" }),
      },
    },
  ]);
}
