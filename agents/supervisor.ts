import type { BaseMessage } from "@langchain/core/messages";
import type { RunnableConfig } from "@langchain/core/runnables";
import { tool, type StructuredToolInterface } from "@langchain/core/tools";
import { Command, END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { createAgent } from "langchain";
import * as z from "zod";
import { handoffTarget, handoffToolName, SUPERVISOR, teamOf, type Scenario, type Team } from "../scenarios/index.js";
import type { AgentDefinition, HandoffToolSpec } from "./agent.js";
import { modelFor } from "./roles.js";

type MessagesAgent = { invoke(input: { messages: BaseMessage[] }, config?: RunnableConfig): Promise<{ messages: BaseMessage[] }> };

/**
 * The supervisor: a router agent that hands work to specialist agents and
 * answers the user. Each agent is a `createAgent` graph run as a subgraph of
 * one `StateGraph` over the shared messages. Handoffs are tools named
 * `transfer_to_<agent>` that end the caller's turn (`returnDirect`); the
 * node running the caller then routes to the target with a `Command`. A
 * specialist that answers instead gives control back to the supervisor.
 *
 * Specialists may hand on directly to the members their team lists, so a
 * detour through an agent that does nothing shows up as two handoffs.
 * Scenarios without a team get one specialist holding every tool.
 */
export const supervisorAgent: AgentDefinition = {
  id: "supervisor",
  description: "supervisor routing to specialist sub-agents with transfer_to_<agent> handoff tools",
  rootAgent: SUPERVISOR,
  multiAgent: true,
  handoffTools: (scenario) => teamHandoffs(teamOf(scenario)),
  build({ model, tools, scenario, checkpointer }) {
    const team = teamOf(scenario);
    const byName = new Map(tools.map((candidate) => [candidate.name, candidate]));
    const handoffs = teamHandoffs(team);
    /** The handoff tools `agent` holds, as {@link teamHandoffs} lists them for the trajectory. */
    const handoffToolsOf = (agent: string): StructuredToolInterface[] =>
      handoffs
        .filter((spec) => spec.from === agent)
        .map((spec) =>
          tool(async () => `Transferred to ${spec.to}.`, {
            name: spec.name,
            description: spec.description,
            schema: z.object({}),
            returnDirect: true,
          }),
        );

    const agents = new Map<string, MessagesAgent>();
    agents.set(
      SUPERVISOR,
      createAgent({
        model: modelFor(model, { agent: SUPERVISOR }),
        tools: handoffToolsOf(SUPERVISOR),
        systemPrompt: supervisorPrompt(team, scenario),
        name: SUPERVISOR,
      }) as unknown as MessagesAgent,
    );
    for (const member of team.members) {
      agents.set(
        member.name,
        createAgent({
          model: modelFor(model, { agent: member.name }),
          tools: [
            ...member.tools.map((name) => byName.get(name)).filter((t): t is StructuredToolInterface => t !== undefined),
            ...handoffToolsOf(member.name),
          ],
          systemPrompt: [
            scenario.environment.instructions,
            member.instructions,
            "When your part is done, reply with a short report for the supervisor; it answers the user.",
          ].join("\n\n"),
          name: member.name,
        }) as unknown as MessagesAgent,
      );
    }

    /** Runs one agent's turn, then routes: to the target of its handoff, or back (or to the end). */
    const activate = (name: string) => async (state: { messages: BaseMessage[] }, config: RunnableConfig) => {
      const result = await agents.get(name)!.invoke({ messages: state.messages }, config);
      const last = result.messages.at(-1);
      const target = last?.getType() === "tool" && last.name ? handoffTarget(last.name) : null;
      const goto = target ?? (name === SUPERVISOR ? END : SUPERVISOR);
      return new Command({ goto, update: { messages: result.messages } });
    };

    const graph = new StateGraph(MessagesAnnotation).addNode(SUPERVISOR, activate(SUPERVISOR), {
      ends: [...team.members.map((member) => member.name), END],
    });
    for (const member of team.members) {
      graph.addNode(member.name, activate(member.name), { ends: [SUPERVISOR, ...member.handoffs] });
    }
    graph.addEdge(START, SUPERVISOR as never);
    return graph.compile(checkpointer ? { checkpointer } : {});
  },
};

function supervisorPrompt(team: Team, scenario: Scenario): string {
  return [
    scenario.environment.instructions,
    team.instructions,
    "Your specialists (hand over with transfer_to_<name>; each reports back to you when done):",
    ...team.members.map((member) => `- ${member.name}: ${member.description}`),
    "Go straight to the specialist who can do the work. Answer the user yourself once the work is done.",
  ].join("\n");
}

/** Every handoff tool of a team, with who holds it. */
export function teamHandoffs(team: Team): HandoffToolSpec[] {
  const descriptions = new Map(team.members.map((member) => [member.name, member.description]));
  const spec = (from: string, to: string): HandoffToolSpec => ({
    name: handoffToolName(to),
    description: `Hand the conversation to ${to}: ${descriptions.get(to) ?? to}`,
    from,
    to,
  });
  return [
    ...team.members.map((member) => spec(SUPERVISOR, member.name)),
    ...team.members.flatMap((member) => member.handoffs.map((to) => spec(member.name, to))),
  ];
}
