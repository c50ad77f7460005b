import { defineScenario, type PlanContext } from "../define.js";
import { defineUser } from "../users.js";
import { helpdeskEnvironment as environment, helpdeskTeam as team } from "./environment.js";

const accountId = (c: PlanContext): string => c.result("find_account").accountId;

export const invoiceQuestion = defineScenario({
  id: "helpdesk.invoice-question",
  title: "Explain a higher bill (billing, reached directly)",
  environment,
  team,
  task: "I'm on account ACC-1042. Why is my November bill higher than October's?",
  reference: {
    calls: [
      { agent: "billing", tool: "list_invoices", args: { accountId: "ACC-1042" } },
      {
        agent: "billing",
        tool: "get_invoice",
        args: (c) => ({ invoiceId: (c.result("list_invoices") as Array<{ invoiceId: string }>)[0]!.invoiceId }),
      },
    ],
    answer: (c) => {
      const invoice = c.result("get_invoice");
      const extra = (invoice.lines as Array<{ text: string; amount: number }>).find((line) => line.text.startsWith("Upgrade"))!;
      return `November's invoice ${invoice.id} is ${invoice.amount.toFixed(2)}: the new plan's monthly price plus "${extra.text}" (${extra.amount.toFixed(2)}). From December you pay the plan price only.`;
    },
  },
  distractors: [{ tool: "list_plans", args: {} }],
  expect: { answerIncludes: ["INV-9002", "55.50", "10.50"] },
  tags: ["multi-agent", "direct-route", "billing", "read-only"],
});

export const duplicateCharge = defineScenario({
  id: "helpdesk.duplicate-charge-refund",
  title: "Identify the customer, find the double charge and refund it",
  environment,
  team,
  task: "I was charged twice this month! My email is marcus.lee@mail.example.",
  reference: {
    calls: [
      { agent: "triage", tool: "find_account", args: { email: "marcus.lee@mail.example" } },
      { agent: "billing", tool: "list_invoices", args: (c) => ({ accountId: accountId(c) }) },
      {
        agent: "billing",
        tool: "refund_invoice",
        args: (c) => {
          const invoices = c.result("list_invoices") as Array<{ invoiceId: string; period: string }>;
          const duplicate = invoices.find((inv, i) => invoices.some((other, j) => j !== i && other.period === inv.period));
          if (!duplicate) throw new Error("no double charge");
          return { invoiceId: duplicate.invoiceId, reason: "double charge for the same period" };
        },
      },
    ],
    answer: (c) => {
      const r = c.result("refund_invoice");
      return `You were billed twice for November. I refunded invoice ${r.invoiceId} in full (${r.amount.toFixed(2)}, refund ${r.refundId}); it reaches your card in 3-5 working days.`;
    },
  },
  distractors: [{ tool: "get_account", args: { accountId: "ACC-2210" } }],
  expect: {
    answerIncludes: ["INV-9102", "30.00", "RF-001"],
    checks: { "one refund": ({ finalState }) => finalState.refunds.length === 1 },
  },
  tags: ["multi-agent", "billing", "write", "ids-from-results"],
});

export const outageCheck = defineScenario({
  id: "helpdesk.outage-check",
  title: "Confirm a regional outage (technical, reached directly)",
  environment,
  team,
  task: "Is there an outage in Leeds? My internet has been down since this morning. Account ACC-4415.",
  reference: {
    calls: [{ agent: "technical", tool: "get_service_status", args: { region: "Leeds" } }],
    answer: (c) => {
      const incident = c.result("get_service_status").ongoing[0];
      return `Yes: ${incident.id}, ${incident.summary}, since ${incident.since.replace("T", " ")}. Service should be back by ${incident.eta.replace("T", " ")}.`;
    },
  },
  distractors: [{ tool: "run_diagnostics", args: { deviceId: "DEV-90" } }],
  expect: { answerIncludes: ["INC-311", "18:00"] },
  tags: ["multi-agent", "direct-route", "technical", "read-only"],
});

export const routerReplacement = defineScenario({
  id: "helpdesk.router-replacement",
  title: "Diagnose a faulty router and hand straight on to shipping for a replacement",
  environment,
  team,
  task: "My router keeps dropping the connection every few minutes. Account ACC-4415, the router is DEV-90.",
  reference: {
    calls: [
      { agent: "technical", tool: "run_diagnostics", args: { deviceId: "DEV-90" } },
      { agent: "technical", tool: "transfer_to_shipping", args: {} },
      {
        agent: "shipping",
        tool: "order_replacement",
        args: (c) => ({
          accountId: "ACC-4415",
          deviceId: c.result("run_diagnostics").deviceId,
          reason: c.result("run_diagnostics").result,
        }),
      },
    ],
    answer: (c) => {
      const s = c.result("order_replacement");
      return `Diagnostics found a WAN port hardware fault on your ${c.result("run_diagnostics").model}, so a replacement is on its way: shipment ${s.shipmentId} (${s.status}).`;
    },
  },
  distractors: [{ tool: "get_service_status", args: { region: "Leeds" } }],
  expect: {
    answerIncludes: ["SHP-503", "hardware fault"],
    checks: { "one replacement": ({ finalState }) => Object.keys(finalState.shipments).length === 3 },
  },
  tags: ["multi-agent", "direct-route", "technical", "shipping", "write"],
});

export const changeDeliveryAddress = defineScenario({
  id: "helpdesk.change-delivery-address",
  title: "Re-address a shipment still in the warehouse (shipping, reached directly)",
  environment,
  team,
  task: "Please send my mesh extender (shipment SHP-501) to my office instead: 3 Wharf Street, Leeds LS2 7EE. Account ACC-1042.",
  reference: {
    calls: [
      { agent: "shipping", tool: "get_shipment", args: { shipmentId: "SHP-501" } },
      { agent: "shipping", tool: "update_shipment_address", args: { shipmentId: "SHP-501", address: "3 Wharf Street, Leeds LS2 7EE" } },
    ],
    answer: (c) =>
      `Your ${c.result("get_shipment").item} (SHP-501) hasn't left the warehouse yet, so it will now go to ${c.result("update_shipment_address").address}.`,
  },
  distractors: [{ tool: "list_shipments", args: { accountId: "ACC-1042" } }],
  expect: { answerIncludes: ["SHP-501", "3 Wharf Street"] },
  tags: ["multi-agent", "direct-route", "shipping", "write"],
});

export const downgradePlan = defineScenario({
  id: "helpdesk.downgrade-plan",
  title: "Identify the customer and move them to the cheapest plan",
  environment,
  team,
  task: "Please move me to your cheapest plan. It's ines.duarte@mail.example.",
  reference: {
    calls: [
      { agent: "triage", tool: "find_account", args: { email: "ines.duarte@mail.example" } },
      { agent: "billing", tool: "list_plans", args: {} },
      {
        agent: "billing",
        tool: "change_plan",
        args: (c) => ({
          accountId: accountId(c),
          plan: [...(c.result("list_plans") as Array<{ name: string; monthly: number }>)].sort((a, b) => a.monthly - b.monthly)[0]!.name,
        }),
      },
    ],
    answer: (c) => {
      const change = c.result("change_plan");
      return `Done: from ${change.effective} account ${change.accountId} moves from ${c.result("find_account").plan} to ${change.plan} at ${change.monthly.toFixed(2)} a month.`;
    },
  },
  distractors: [{ tool: "list_invoices", args: { accountId: "ACC-3307" } }],
  expect: {
    answerIncludes: ["Fibre 150", "2026-12-01"],
    checks: { downgraded: ({ finalState }) => finalState.accounts["ACC-3307"]!.pendingPlan === "Fibre 150" },
  },
  tags: ["multi-agent", "billing", "write", "ids-from-results"],
});

export const refundTooOld = defineScenario({
  id: "helpdesk.refund-too-old",
  title: "Refuse to refund an invoice outside the refund window",
  environment,
  team,
  task: "Refund my August invoice INV-9201, I was travelling and didn't use the service. Account ACC-3307.",
  reference: {
    calls: [{ agent: "billing", tool: "get_invoice", args: { invoiceId: "INV-9201" } }],
    answer: (c) => {
      const invoice = c.result("get_invoice");
      return `I'm sorry, I can't refund ${invoice.id}: it was issued on ${invoice.issuedOn}, more than 60 days ago, and invoices can only be refunded within 60 days of issue.`;
    },
  },
  distractors: [{ tool: "list_invoices", args: { accountId: "ACC-3307" } }],
  expect: {
    answerIncludes: ["INV-9201", "60 days"],
    checks: { "no refund": ({ finalState }) => finalState.refunds.length === 0 },
  },
  tags: ["multi-agent", "direct-route", "refuse", "policy", "billing"],
});

export const outageCredit = defineScenario({
  id: "helpdesk.outage-credit",
  title: "Identify the customer, confirm the outage and the router's health, and credit the account",
  environment,
  team,
  task: "Internet is down again and I want a credit for it. If it's not an outage, send someone. hannah.osei@mail.example",
  reference: {
    calls: [
      { agent: "triage", tool: "find_account", args: { email: "hannah.osei@mail.example" } },
      { agent: "technical", tool: "get_service_status", args: (c) => ({ region: c.result("find_account").region }) },
      { agent: "technical", tool: "run_diagnostics", args: (c) => ({ deviceId: c.result("find_account").deviceIds[0] }) },
      {
        agent: "billing",
        tool: "apply_credit",
        args: (c) => ({ accountId: accountId(c), amount: 10, reason: `outage ${c.result("get_service_status").ongoing[0].id}` }),
      },
    ],
    answer: (c) => {
      const incident = c.result("get_service_status").ongoing[0];
      const credit = c.result("apply_credit");
      return `It's outage ${incident.id} (${incident.summary}), expected fixed by ${incident.eta.replace("T", " ")}; your router is fine, so no visit is needed. I added a credit of ${credit.amount.toFixed(2)} (${credit.creditId}) to account ${credit.accountId}.`;
    },
  },
  distractors: [{ tool: "list_shipments", args: { accountId: "ACC-1042" } }],
  expect: {
    answerIncludes: ["INC-311", "10.00", "CR-001"],
    checks: { "no ticket": ({ finalState }) => Object.keys(finalState.tickets).length === 0 },
  },
  tags: ["multi-agent", "technical", "billing", "write", "long"],
});

export const shipmentMultiTurn = defineScenario({
  id: "helpdesk.shipment-status-multi-turn",
  title: "Ask the customer for their email, then track their replacement router",
  environment,
  team,
  task: "Where's my replacement router?",
  user: defineUser({
    persona: "Ines Duarte, waiting for a router, gives details only when asked",
    knows: [{ cues: ["email"], says: "It's ines.duarte@mail.example." }],
  }),
  reference: {
    calls: [
      { ask: "I can check that. What is the email address on your account?" },
      { agent: "triage", tool: "find_account", args: (c) => ({ email: c.fromUser(/[\w.]+@mail\.example/) }) },
      { agent: "shipping", tool: "list_shipments", args: (c) => ({ accountId: accountId(c) }) },
    ],
    answer: (c) => {
      const s = (c.result("list_shipments") as Array<{ id: string; status: string; carrier: string; tracking: string; eta: string }>).find(
        (x) => x.status === "shipped",
      )!;
      return `Your replacement router (${s.id}) has shipped with ${s.carrier}, tracking ${s.tracking}, due on ${s.eta}.`;
    },
  },
  distractors: [{ tool: "get_account", args: { accountId: "ACC-3307" } }],
  expect: { answerIncludes: ["SHP-502", "DPD-15502871", "2026-11-23"] },
  tags: ["multi-agent", "simulated-user", "ask-user", "shipping", "read-only"],
});

/** Multi-agent helpdesk scenarios, in a stable order. */
export const helpdeskScenarios = [
  invoiceQuestion,
  duplicateCharge,
  outageCheck,
  routerReplacement,
  changeDeliveryAddress,
  downgradePlan,
  refundTooOld,
  outageCredit,
  shipmentMultiTurn,
];
