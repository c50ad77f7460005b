import type { Environment, Scenario } from "./define.js";

/** Name of the agent that routes work in every team and talks to the user. */
export const SUPERVISOR = "supervisor";

/** A specialist agent of a team: which tools it holds and to whom it may hand work on. */
export interface TeamMember {
  readonly name: string;
  /** What the specialist is for; the supervisor's handoff tool describes it with this. */
  readonly description: string;
  /** Names of the environment's tools this specialist is given. */
  readonly tools: readonly string[];
  /** Other specialists it may transfer to directly (besides answering back to the supervisor). */
  readonly handoffs: readonly string[];
  /** Its system prompt, added after the environment's instructions. */
  readonly instructions: string;
}

/**
 * Specialists a supervisor routes work to. The supervisor (always named
 * {@link SUPERVISOR}) holds one `transfer_to_<member>` tool per member;
 * a member returns control by answering, or hands on with its own handoffs.
 */
export interface Team {
  /** The supervisor's system prompt. */
  readonly instructions: string;
  readonly members: readonly TeamMember[];
}

/** What {@link defineTeam} accepts. */
export interface TeamInput {
  instructions: string;
  members: Array<{ name: string; description: string; tools: string[]; handoffs?: string[]; instructions?: string }>;
}

/**
 * Defines a team over an environment. Member names must be distinct, tools
 * must exist in the environment, and handoffs must name other members.
 */
export function defineTeam(environment: Environment, input: TeamInput): Team {
  const where = `defineTeam for environment "${environment.id}"`;
  const toolNames = new Set(environment.tools.map((tool) => tool.name));
  const names = new Set<string>();
  for (const member of input.members) {
    if (!/^[a-z][a-z0-9_]*$/.test(member.name) || member.name === SUPERVISOR) {
      throw new TypeError(
        `${where}: member name ${JSON.stringify(member.name)} must be lower-case letters, digits and "_", and not "${SUPERVISOR}"`,
      );
    }
    if (names.has(member.name)) throw new TypeError(`${where}: member "${member.name}" is defined twice`);
    names.add(member.name);
    const unknown = member.tools.filter((tool) => !toolNames.has(tool));
    if (unknown.length > 0) {
      throw new TypeError(
        `${where}: member "${member.name}" names unknown tool(s) ${unknown.join(", ")}; tools: ${[...toolNames].join(", ")}`,
      );
    }
  }
  for (const member of input.members) {
    const bad = (member.handoffs ?? []).filter((target) => !names.has(target) || target === member.name);
    if (bad.length > 0)
      throw new TypeError(`${where}: member "${member.name}" hands off to ${bad.join(", ")}, which is not another member`);
  }
  return Object.freeze({
    instructions: input.instructions,
    members: Object.freeze(
      input.members.map((member) =>
        Object.freeze({
          name: member.name,
          description: member.description,
          tools: Object.freeze([...member.tools]),
          handoffs: Object.freeze([...(member.handoffs ?? [])]),
          instructions: member.instructions ?? `You are the ${member.name.replace(/_/g, " ")} specialist: ${member.description}`,
        }),
      ),
    ),
  });
}

const defaultTeams = new WeakMap<Environment, Team>();

/**
 * The team a supervisor uses for a scenario: the scenario's own, or for
 * single-agent scenarios one specialist holding every tool of the environment.
 */
export function teamOf(scenario: Scenario): Team {
  if (scenario.team) return scenario.team;
  let team = defaultTeams.get(scenario.environment);
  if (!team) {
    team = defineTeam(scenario.environment, {
      instructions: [
        "You are a supervisor. You do not call tools of the environment yourself: transfer the work to your specialist,",
        "then answer the user once the specialist reports back. Ask the user when information is missing.",
      ].join(" "),
      members: [
        {
          name: `${scenario.domain.replace(/[^a-z0-9]+/g, "_")}_specialist`,
          description: scenario.environment.description,
          tools: scenario.environment.tools.map((tool) => tool.name),
        },
      ],
    });
    defaultTeams.set(scenario.environment, team);
  }
  return team;
}

/** The name of the tool that transfers control to `agent`. */
export function handoffToolName(agent: string): string {
  return `transfer_to_${agent}`;
}

/** The agent a `transfer_to_<agent>` tool hands to, or null for other tools. */
export function handoffTarget(toolName: string): string | null {
  const match = /^transfer_to_(.+)$/.exec(toolName);
  return match ? match[1]! : null;
}

/** Who may transfer to whom: the supervisor to every member, members along their handoffs. */
export function handoffsOf(team: Team, agent: string): readonly string[] {
  if (agent === SUPERVISOR) return team.members.map((member) => member.name);
  return team.members.find((member) => member.name === agent)?.handoffs ?? [];
}

/** The members that hold a tool. */
export function membersWithTool(team: Team, tool: string): TeamMember[] {
  return team.members.filter((member) => member.tools.includes(tool));
}
