/**
 * Small source logs written for the import tests from the published formats
 * (τ-bench's EnvRunResult, τ²-bench's SimulationRun and Results, OpenAI chat
 * completions). The shop, its customers and tools are made up here.
 */

/** An assistant message asking for one tool call, in chat-completions form. */
export function callMessage(id: string, name: string, args: Record<string, unknown>, content: string | null = null) {
  return { role: "assistant", content, tool_calls: [{ id, type: "function", function: { name, arguments: JSON.stringify(args) } }] };
}

/** A tool message answering a call. */
export function toolMessage(id: string, name: string, content: string) {
  return { role: "tool", tool_call_id: id, name, content };
}

/**
 * A τ-bench run of a made-up shop: a lookup, a failed cancel (τ-bench's
 * "Error:" result), a `think` call, a retry that reuses the model's earlier
 * tool_call_id, and the user ending the conversation.
 */
export function tauRun(taskId: number, trial: number, reward: number) {
  return {
    task_id: taskId,
    trial,
    reward,
    info: {
      task: {
        user_id: "ada_42",
        actions: [{ name: "cancel_order", kwargs: { order_id: "#W1", reason: "no longer needed" } }],
        instruction: "You are ada_42. Cancel order #W1.",
        outputs: [],
      },
      source: "user",
      user_cost: 0.001,
      reward_info: { reward, info: { r_actions: reward, gt_data_hash: "abc" }, actions: [] },
    },
    traj: [
      { role: "system", content: "# Shop policy\nBe helpful." },
      { role: "user", content: "Please cancel my order #W1." },
      callMessage("call_a", "get_order_details", { order_id: "#W1" }),
      toolMessage("call_a", "get_order_details", JSON.stringify({ order_id: "#W1", status: "pending" })),
      callMessage("call_b", "cancel_order", { order_id: "#W1", reason: "changed mind" }),
      toolMessage("call_b", "cancel_order", "Error: reason must be 'no longer needed' or 'ordered by mistake'"),
      callMessage("call_c", "think", { thought: "Use an allowed reason." }),
      toolMessage("call_c", "think", ""),
      // GPT-4o reuses ids: this call has the id of the failed one.
      callMessage("call_b", "cancel_order", { order_id: "#W1", reason: "no longer needed" }),
      toolMessage("call_b", "cancel_order", JSON.stringify({ order_id: "#W1", status: "cancelled" })),
      { role: "assistant", content: "Your order #W1 is cancelled." },
      { role: "user", content: "Thanks! ###STOP###" },
    ],
  };
}

/** A τ-bench run that hit the step limit: no reward_info, and the last call got no answer in the log. */
export function tauRunCutShort(taskId: number, trial: number) {
  const run = tauRun(taskId, trial, 0);
  run.info.reward_info = null as never;
  run.traj = run.traj.slice(0, 5);
  return run;
}

/** A τ²-bench results file: tasks, info, and one simulation with timestamps, usage, a user tool and an error. */
export function tau2Results() {
  return {
    timestamp: "2026-01-02T10:00:00.000000",
    info: {
      git_commit: "0000000",
      num_trials: 1,
      max_steps: 100,
      max_errors: 10,
      user_info: { implementation: "user_simulator", llm: "user-model" },
      agent_info: { implementation: "llm_agent", llm: "agent-model-1" },
      environment_info: { domain_name: "shop", policy: "..." },
    },
    tasks: [
      {
        id: "7",
        user_scenario: { instructions: "reset your router, then ask for a refund" },
        evaluation_criteria: {
          actions: [
            { action_id: "a1", requestor: "user", name: "reboot_router", arguments: {} },
            { action_id: "a2", requestor: "assistant", name: "issue_refund", arguments: { order_id: "#W2" } },
          ],
          communicate_info: ["refund of 20"],
        },
      },
    ],
    simulations: [
      {
        id: "sim-1",
        task_id: "7",
        timestamp: "2026-01-02T10:00:00.000000",
        start_time: "2026-01-02T10:00:00.000000",
        end_time: "2026-01-02T10:00:09.000000",
        duration: 9.0,
        termination_reason: "user_stop",
        agent_cost: 0.01,
        user_cost: 0.002,
        trial: 2,
        seed: 300,
        reward_info: {
          reward: 0.0,
          db_check: { db_match: false, db_reward: 0.0 },
          action_checks: [
            {
              action: { action_id: "a2", name: "issue_refund", arguments: { order_id: "#W2" } },
              action_match: false,
              action_reward: 0,
              tool_type: "write",
            },
          ],
          communicate_checks: [{ info: "refund of 20", met: false, justification: "never said" }],
        },
        messages: [
          { role: "system", content: "policy", turn_idx: 0, timestamp: "2026-01-02T10:00:00.000000" },
          {
            role: "assistant",
            content: "Hi! How can I help?",
            turn_idx: 1,
            timestamp: "2026-01-02T10:00:01.000000",
            usage: { prompt_tokens: 50, completion_tokens: 8 },
            cost: 0.0001,
          },
          { role: "user", content: "My router is broken; I'll reboot it.", turn_idx: 2, timestamp: "2026-01-02T10:00:02.000000" },
          {
            role: "user",
            content: null,
            tool_calls: [{ id: "u1", name: "reboot_router", arguments: {}, requestor: "user" }],
            turn_idx: 3,
            timestamp: "2026-01-02T10:00:03.000000",
          },
          {
            id: "u1",
            role: "tool",
            content: "rebooted",
            requestor: "user",
            error: false,
            turn_idx: 4,
            timestamp: "2026-01-02T10:00:04.000000",
          },
          {
            role: "assistant",
            content: null,
            tool_calls: [{ id: "t1", name: "issue_refund", arguments: { order_id: "#W9" }, requestor: "assistant" }],
            turn_idx: 5,
            timestamp: "2026-01-02T10:00:06.000000",
            usage: { prompt_tokens: 90, completion_tokens: 12 },
            generation_time_seconds: 1.5,
          },
          {
            id: "t1",
            role: "tool",
            content: "order #W9 not found",
            requestor: "assistant",
            error: true,
            turn_idx: 6,
            timestamp: "2026-01-02T10:00:07.000000",
          },
          {
            role: "assistant",
            content: "Sorry, I could not refund.",
            turn_idx: 7,
            timestamp: "2026-01-02T10:00:08.000000",
            usage: { prompt_tokens: 120, completion_tokens: 9 },
          },
          { role: "user", content: "###STOP###", turn_idx: 8, timestamp: "2026-01-02T10:00:09.000000" },
        ],
      },
    ],
  };
}

/** A chat-completions conversation with tools, parallel calls and metadata. */
export function openaiConversation(id: string) {
  return {
    id,
    model: "gpt-test",
    metadata: { task_id: "lookup-weather", trial: 1, reward: 1 },
    tools: [
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "Weather for a city",
          parameters: { type: "object", properties: { city: { type: "string" } } },
        },
      },
      { type: "function", function: { name: "send_postcard", parameters: { type: "object", properties: {} } } },
    ],
    messages: [
      { role: "developer", content: "You are a travel helper." },
      { role: "user", content: [{ type: "text", text: "Weather in Oslo and Lima?" }] },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "p1", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } },
          { id: "p2", type: "function", function: { name: "get_weather", arguments: '{"city":"Lima"}' } },
        ],
      },
      // Results come back in the other order: joined by id.
      toolMessage("p2", "get_weather", '{"city":"Lima","sky":"sun"}'),
      toolMessage("p1", "get_weather", '{"city":"Oslo","sky":"snow"}'),
      { role: "assistant", content: "Oslo: snow. Lima: sun." },
    ],
  };
}

/** A multi-agent chat log: named speakers, a transfer tool followed by its target speaking, and a plain change of speaker. */
export function groupChat() {
  return {
    messages: [
      { role: "user", content: "Book me a table and tell me a joke." },
      {
        role: "assistant",
        name: "triage",
        content: null,
        tool_calls: [{ id: "h1", type: "function", function: { name: "transfer_to_booker", arguments: "{}" } }],
      },
      { role: "tool", tool_call_id: "h1", content: "Transferred to booker" },
      callMessage("b1", "book_table", { people: 2 }),
      toolMessage("b1", "book_table", '{"table":12}'),
      { role: "assistant", name: "booker", content: "Table 12 is yours." },
      { role: "assistant", name: "jester", content: "Why did the chef quit? Too many stirring lines." },
    ].map((message, index) => (index === 3 ? { ...message, name: "booker" } : message)),
  };
}

/** An OpenAI Agents SDK-style history: the handoff tool answers with the next assistant's name. */
export function agentsSdkHistory() {
  return [
    { role: "user", content: "I need a refund." },
    {
      role: "assistant",
      content: null,
      tool_calls: [{ id: "x1", type: "function", function: { name: "transfer_to_refunds", arguments: "{}" } }],
    },
    { role: "tool", tool_call_id: "x1", content: '{"assistant": "Refunds agent"}' },
    { role: "assistant", content: "I can help with your refund." },
  ];
}
