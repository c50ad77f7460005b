/**
 * Reading older trajectory files: one step per old version, each turning a
 * line of that version into the next, so readers only ever see the current
 * format. A line of the current version (or anything that is not a
 * trajectory) passes through untouched and is judged by the schema.
 */

type Json = Record<string, unknown>;

/** Upgrades a parsed trajectory line of an older version to the current one; other values pass through. */
export function upgradeTrajectory(value: unknown): unknown {
  if (!isObject(value) || value.schemaVersion !== 1) return value;
  return fromV1(value);
}

/**
 * v1 → v2. v1 always held timing, token counts and state, so they stay; what
 * v2 adds is said explicitly: token counts are marked `estimated` or
 * `provider`, except an all-zero count on a model call, which in v1 meant the
 * provider reported nothing (`unknown`); recorded effects came from the
 * tools' own definitions; and recorded trajectories have no provenance.
 */
function fromV1(v1: Json): Json {
  const events = Array.isArray(v1.events) ? v1.events.map((event) => (isObject(event) ? upgradeEventV1(event) : event)) : v1.events;
  const tools = Array.isArray(v1.tools)
    ? v1.tools.map((tool) => (isObject(tool) ? { ...tool, effectSource: tool.effect === "unknown" ? null : "source" } : tool))
    : v1.tools;
  return {
    ...v1,
    schemaVersion: 2,
    usage: isObject(v1.usage) ? usageV1(v1.usage, false) : v1.usage,
    tools,
    events,
    provenance: null,
  };
}

function upgradeEventV1(event: Json): Json {
  if (event.kind === "llm_call" && isObject(event.usage)) return { ...event, usage: usageV1(event.usage, true) };
  if (event.kind === "tool_call") return { ...event, effectSource: event.effect === "unknown" ? null : "source" };
  return event;
}

function usageV1(usage: Json, oneCall: boolean): Json {
  const { estimated, ...counts } = usage;
  if (estimated === true) return { source: "estimated", ...counts };
  const reported = [counts.inputTokens, counts.outputTokens, counts.totalTokens].some((count) => count !== 0);
  if (oneCall && !reported) return { ...counts, source: "unknown", inputTokens: null, outputTokens: null, totalTokens: null };
  return { source: "provider", ...counts };
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
