import * as z from "zod";
import { defineEnvironment, defineTool, ToolFailure } from "../define.js";
import { defineTeam } from "../team.js";
import { helpdeskData } from "./data.js";

export interface Account {
  id: string;
  name: string;
  email: string;
  plan: string;
  region: string;
  deviceIds: string[];
  credit: number;
  /** Plan that starts at the next billing cycle, if changed. */
  pendingPlan: string | null;
}

export interface Invoice {
  id: string;
  accountId: string;
  period: string;
  issuedOn: string;
  amount: number;
  status: "paid" | "refunded";
  lines: Array<{ text: string; amount: number }>;
}

export interface Shipment {
  id: string;
  accountId: string;
  item: string;
  status: "preparing" | "shipped";
  carrier: string | null;
  tracking: string | null;
  address: string;
  eta?: string;
}

/** A broadband provider's support back office: accounts, billing, devices, outages, shipments. */
export interface HelpdeskState {
  today: string;
  refundWindowDays: number;
  nextCycle: string;
  plans: Array<{ name: string; monthly: number }>;
  accounts: Record<string, Account>;
  invoices: Record<string, Invoice>;
  devices: Record<string, { id: string; accountId: string; model: string; diagnostics: string }>;
  incidents: Array<{ id: string; region: string; status: "ongoing" | "resolved"; summary: string; since: string; eta: string }>;
  shipments: Record<string, Shipment>;
  refunds: Array<{ id: string; invoiceId: string; amount: number; reason: string }>;
  credits: Array<{ id: string; accountId: string; amount: number; reason: string }>;
  tickets: Record<string, { id: string; accountId: string; summary: string }>;
}

function account(state: HelpdeskState, id: string): Account {
  const found = state.accounts[id];
  if (!found) throw new ToolFailure(`account ${id} not found`);
  return found;
}

const daysBetween = (from: string, to: string): number => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

const findAccount = defineTool({
  name: "find_account",
  description: "Find a customer's account by email. Returns account id, name, plan and region.",
  args: z.object({ email: z.string() }),
  effect: "read",
  run: ({ email }, state: HelpdeskState) => {
    const found = Object.values(state.accounts).find((a) => a.email.toLowerCase() === email.toLowerCase());
    if (!found) throw new ToolFailure(`no account with email ${email}`);
    return { accountId: found.id, name: found.name, plan: found.plan, region: found.region, deviceIds: found.deviceIds };
  },
});

const getAccount = defineTool({
  name: "get_account",
  description: "An account's details: name, email, plan, region, devices, credit balance.",
  args: z.object({ accountId: z.string() }),
  effect: "read",
  run: ({ accountId }, state: HelpdeskState) => account(state, accountId),
});

const listInvoices = defineTool({
  name: "list_invoices",
  description: "An account's invoices, newest first.",
  args: z.object({ accountId: z.string() }),
  effect: "read",
  run: ({ accountId }, state: HelpdeskState) => {
    account(state, accountId);
    return Object.values(state.invoices)
      .filter((i) => i.accountId === accountId)
      .sort((a, b) => b.issuedOn.localeCompare(a.issuedOn) || b.id.localeCompare(a.id))
      .map(({ id, period, issuedOn, amount, status }) => ({ invoiceId: id, period, issuedOn, amount, status }));
  },
});

const getInvoice = defineTool({
  name: "get_invoice",
  description: "One invoice with its lines.",
  args: z.object({ invoiceId: z.string() }),
  effect: "read",
  run: ({ invoiceId }, state: HelpdeskState) => {
    const found = state.invoices[invoiceId];
    if (!found) throw new ToolFailure(`invoice ${invoiceId} not found`);
    return found;
  },
});

const listPlans = defineTool({
  name: "list_plans",
  description: "The plans on sale with their monthly price.",
  args: z.object({}),
  effect: "read",
  run: (_args, state: HelpdeskState) => state.plans,
});

const refundInvoice = defineTool({
  name: "refund_invoice",
  description: "Refund a paid invoice in full. Only invoices issued within the last 60 days can be refunded.",
  args: z.object({ invoiceId: z.string(), reason: z.string().min(1) }),
  effect: "write",
  run: ({ invoiceId, reason }, state: HelpdeskState) => {
    const invoice = state.invoices[invoiceId];
    if (!invoice) throw new ToolFailure(`invoice ${invoiceId} not found`);
    if (invoice.status !== "paid") throw new ToolFailure(`invoice ${invoiceId} is ${invoice.status}`);
    const age = daysBetween(invoice.issuedOn, state.today);
    if (age > state.refundWindowDays)
      throw new ToolFailure(`invoice ${invoiceId} was issued ${age} days ago, outside the ${state.refundWindowDays}-day refund window`);
    invoice.status = "refunded";
    const id = `RF-${String(state.refunds.length + 1).padStart(3, "0")}`;
    state.refunds.push({ id, invoiceId, amount: invoice.amount, reason });
    return { refundId: id, invoiceId, amount: invoice.amount };
  },
});

const changePlan = defineTool({
  name: "change_plan",
  description: "Change an account's plan from the next billing cycle.",
  args: z.object({ accountId: z.string(), plan: z.string() }),
  effect: "write",
  run: ({ accountId, plan }, state: HelpdeskState) => {
    const found = account(state, accountId);
    const target = state.plans.find((p) => p.name === plan);
    if (!target) throw new ToolFailure(`no plan called ${plan}; plans: ${state.plans.map((p) => p.name).join(", ")}`);
    if (found.plan === plan) throw new ToolFailure(`${accountId} is already on ${plan}`);
    found.pendingPlan = plan;
    return { accountId, plan, monthly: target.monthly, effective: state.nextCycle };
  },
});

const applyCredit = defineTool({
  name: "apply_credit",
  description: "Add a goodwill credit (at most 20) to an account's balance.",
  args: z.object({ accountId: z.string(), amount: z.number().positive().max(20), reason: z.string().min(1) }),
  effect: "write",
  run: ({ accountId, amount, reason }, state: HelpdeskState) => {
    const found = account(state, accountId);
    found.credit += amount;
    const id = `CR-${String(state.credits.length + 1).padStart(3, "0")}`;
    state.credits.push({ id, accountId, amount, reason });
    return { creditId: id, accountId, amount, balance: found.credit };
  },
});

const getServiceStatus = defineTool({
  name: "get_service_status",
  description: "Outages and maintenance in a region (ongoing and recent).",
  args: z.object({ region: z.string() }),
  effect: "read",
  run: ({ region }, state: HelpdeskState) => {
    const incidents = state.incidents.filter((i) => i.region.toLowerCase() === region.toLowerCase());
    return { region, ongoing: incidents.filter((i) => i.status === "ongoing"), recent: incidents.filter((i) => i.status === "resolved") };
  },
});

const runDiagnostics = defineTool({
  name: "run_diagnostics",
  description: "Run remote diagnostics on a customer's router.",
  args: z.object({ deviceId: z.string() }),
  effect: "read",
  run: ({ deviceId }, state: HelpdeskState) => {
    const device = state.devices[deviceId];
    if (!device) throw new ToolFailure(`device ${deviceId} not found`);
    return { deviceId, model: device.model, result: device.diagnostics };
  },
});

const createTicket = defineTool({
  name: "create_ticket",
  description: "Open a technical ticket for an engineer visit or follow-up.",
  args: z.object({ accountId: z.string(), summary: z.string().min(5) }),
  effect: "write",
  run: ({ accountId, summary }, state: HelpdeskState) => {
    account(state, accountId);
    const id = `TCK-${700 + Object.keys(state.tickets).length + 1}`;
    state.tickets[id] = { id, accountId, summary };
    return { ticketId: id, accountId };
  },
});

const getShipment = defineTool({
  name: "get_shipment",
  description: "A shipment's item, status, carrier, tracking number and delivery address.",
  args: z.object({ shipmentId: z.string() }),
  effect: "read",
  run: ({ shipmentId }, state: HelpdeskState) => {
    const found = state.shipments[shipmentId];
    if (!found) throw new ToolFailure(`shipment ${shipmentId} not found`);
    return found;
  },
});

const listShipments = defineTool({
  name: "list_shipments",
  description: "An account's shipments.",
  args: z.object({ accountId: z.string() }),
  effect: "read",
  run: ({ accountId }, state: HelpdeskState) => {
    account(state, accountId);
    return Object.values(state.shipments).filter((s) => s.accountId === accountId);
  },
});

const orderReplacement = defineTool({
  name: "order_replacement",
  description: "Ship a replacement for a faulty device to the account holder.",
  args: z.object({ accountId: z.string(), deviceId: z.string(), reason: z.string().min(1) }),
  effect: "write",
  run: ({ accountId, deviceId }, state: HelpdeskState) => {
    const found = account(state, accountId);
    const device = state.devices[deviceId];
    if (!device || device.accountId !== accountId) throw new ToolFailure(`device ${deviceId} does not belong to ${accountId}`);
    const id = `SHP-${500 + Object.keys(state.shipments).length + 1}`;
    state.shipments[id] = {
      id,
      accountId,
      item: `${device.model} (replacement)`,
      status: "preparing",
      carrier: null,
      tracking: null,
      address: `${found.name}, ${found.region}`,
    };
    return { shipmentId: id, item: state.shipments[id]!.item, status: "preparing" };
  },
});

const updateShipmentAddress = defineTool({
  name: "update_shipment_address",
  description: "Change the delivery address of a shipment that has not left the warehouse.",
  args: z.object({ shipmentId: z.string(), address: z.string().min(5) }),
  effect: "write",
  run: ({ shipmentId, address }, state: HelpdeskState) => {
    const found = state.shipments[shipmentId];
    if (!found) throw new ToolFailure(`shipment ${shipmentId} not found`);
    if (found.status !== "preparing") throw new ToolFailure(`shipment ${shipmentId} has already ${found.status}`);
    found.address = address;
    return { shipmentId, address };
  },
});

/** Broadband support with specialist teams. */
export const helpdeskEnvironment = defineEnvironment<HelpdeskState>({
  id: "helpdesk",
  description: "Fibrelink broadband support: accounts, invoices and plans, router diagnostics and outages, hardware shipments.",
  instructions: [
    "You work in Fibrelink's customer support. Today is 2026-11-20.",
    "Use the tools; never invent account, invoice, device or shipment ids.",
    "Policy: invoices can be refunded within 60 days of issue, and a double charge is always refunded;",
    "plan changes start at the next billing cycle (2026-12-01); a goodwill credit of 10 is given per day of a confirmed outage.",
  ].join("\n"),
  initialState: helpdeskData,
  tools: [
    findAccount,
    getAccount,
    listInvoices,
    getInvoice,
    listPlans,
    refundInvoice,
    changePlan,
    applyCredit,
    getServiceStatus,
    runDiagnostics,
    createTicket,
    getShipment,
    listShipments,
    orderReplacement,
    updateShipmentAddress,
  ],
});

/** The helpdesk's specialists: triage identifies the customer; billing, technical and shipping do the work. */
export const helpdeskTeam = defineTeam(helpdeskEnvironment, {
  instructions: [
    "You are the support supervisor. You do not use the back-office tools yourself: hand the case to the specialist who can act",
    "(transfer_to_<name>), and answer the customer when the work is done. When the customer's account is already known,",
    "go straight to the specialist; use triage only to identify a customer from their email.",
  ].join(" "),
  members: [
    {
      name: "triage",
      description: "identifies the customer's account from their email and passes the case on",
      tools: ["find_account", "get_account"],
      handoffs: ["billing", "technical", "shipping"],
    },
    {
      name: "billing",
      description: "invoices, refunds, plan changes and credits",
      tools: ["get_account", "list_invoices", "get_invoice", "list_plans", "refund_invoice", "change_plan", "apply_credit"],
    },
    {
      name: "technical",
      description: "outages, router diagnostics and technician tickets",
      tools: ["get_account", "get_service_status", "run_diagnostics", "create_ticket"],
      handoffs: ["shipping"],
    },
    {
      name: "shipping",
      description: "hardware shipments: tracking, replacements, delivery addresses",
      tools: ["get_account", "get_shipment", "list_shipments", "order_replacement", "update_shipment_address"],
    },
  ],
});
