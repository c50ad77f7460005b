import { defineScenario, type PlanContext } from "../define.js";
import { defineUser } from "../users.js";
import { retailEnvironment as environment } from "./environment.js";

const customerId = (c: PlanContext): string => c.result("find_customer").customerId;

/** The order in a `list_orders` result whose items include `word`. */
function orderWithItem(c: PlanContext, word: string): string {
  const orders = c.result("list_orders") as Array<{ orderId: string; items: string[]; status: string }>;
  const found = orders.find((o) => o.items.some((name) => name.toLowerCase().includes(word)));
  if (!found) throw new Error(`no order with ${word}`);
  return found.orderId;
}

/** The SKU of the ordered item whose name includes `word`. */
function skuOf(c: PlanContext, word: string): string {
  const items = c.result("get_order").items as Array<{ sku: string; name: string }>;
  const found = items.find((item) => item.name.toLowerCase().includes(word));
  if (!found) throw new Error(`no ${word} in the order`);
  return found.sku;
}

export const exchangeShoeSize = defineScenario({
  id: "retail.exchange-shoe-size",
  title: "Exchange shoes for the next size up when it is in stock",
  environment,
  task: "The trail running shoes I got are a size too small. Can I swap them for a 42? My email is dana.reyes@example.com.",
  reference: {
    calls: [
      { tool: "find_customer", args: { email: "dana.reyes@example.com" } },
      { tool: "list_orders", args: (c) => ({ customerId: customerId(c) }) },
      { tool: "get_order", args: (c) => ({ orderId: orderWithItem(c, "shoes") }) },
      { tool: "check_stock", args: (c) => ({ sku: skuOf(c, "shoes") }) },
      {
        tool: "create_exchange",
        args: (c) => {
          const variants = c.result("check_stock").variants as Array<{ sku: string; name: string; stock: number }>;
          const wanted = variants.find((v) => v.name.endsWith("size 42") && v.stock > 0);
          if (!wanted) throw new Error("size 42 not in stock");
          return { orderId: c.result("get_order").id, returnSku: skuOf(c, "shoes"), sendSku: wanted.sku };
        },
      },
    ],
    answer: (c) => {
      const e = c.result("create_exchange");
      return `Exchange ${e.exchangeId} is open: send back the size 41 pair from order ${e.orderId} and we will ship ${e.sendName} (${e.sendSku}) at no extra cost.`;
    },
  },
  distractors: [{ tool: "get_return_policy", args: {} }],
  expect: { answerIncludes: ["EXC-0001", "O-4001", "SHO-TR-42"] },
  tags: ["write", "exchange", "ids-from-results"],
});

export const exchangeOutOfStock = defineScenario({
  id: "retail.exchange-out-of-stock",
  title: "Decline an exchange when the wanted colour is out of stock",
  environment,
  task: "Could I exchange the blue mugs from my last delivered order for green ones? ana.lima@example.com",
  reference: {
    calls: [
      { tool: "find_customer", args: { email: "ana.lima@example.com" } },
      { tool: "list_orders", args: (c) => ({ customerId: customerId(c) }) },
      { tool: "get_order", args: (c) => ({ orderId: orderWithItem(c, "mug") }) },
      { tool: "check_stock", args: (c) => ({ sku: skuOf(c, "mug") }) },
    ],
    answer: (c) => {
      const green = (c.result("check_stock").variants as Array<{ sku: string; name: string; stock: number }>).find((v) =>
        v.name.startsWith("Green"),
      )!;
      return `Sorry: the ${green.name} (${green.sku}) is out of stock, so I can't exchange the mugs from order ${c.result("get_order").id}. I can open a return for a refund instead if you like.`;
    },
  },
  distractors: [{ tool: "track_shipment", args: { orderId: "O-1001" } }],
  expect: {
    answerIncludes: ["MUG-GRN", "out of stock", "O-1001"],
    checks: { "no exchange opened": ({ finalState }) => Object.keys(finalState.exchanges).length === 0 },
  },
  tags: ["refuse", "exchange", "policy"],
});

export const compensationAlreadyPaid = defineScenario({
  id: "retail.compensation-already-paid",
  title: "Refuse a second late-delivery compensation on the same order",
  environment,
  task: "Order O-2001 is late again. You owe me another 10% back for the delay. Ben Okafor",
  setup: (state) => {
    state.refunds["RF-0001"] = { id: "RF-0001", orderId: "O-2001", amount: 4, reason: "late delivery compensation (10%)" };
  },
  reference: {
    calls: [{ tool: "get_order", args: { orderId: "O-2001" } }],
    answer: (c) => {
      const o = c.result("get_order");
      return `Order ${o.id} (placed ${o.placedOn}) already received its late-delivery compensation: ${o.refunded.toFixed(2)} was refunded, and the policy pays it once per order, so I can't refund it again.`;
    },
  },
  distractors: [{ tool: "track_shipment", args: { orderId: "O-2001" } }],
  expect: {
    answerIncludes: ["O-2001", "4.00", "once per order"],
    checks: { "no second refund": ({ finalState }) => Object.keys(finalState.refunds).length === 1 },
  },
  tags: ["refuse", "policy"],
});

export const cancelMultiTurn = defineScenario({
  id: "retail.cancel-order-multi-turn",
  title: "Ask which account and order, then cancel it",
  environment,
  task: "Hi, I need to cancel an order please.",
  user: defineUser({
    persona: "Ben Okafor, polite, answers only what he is asked",
    knows: [
      { cues: ["email"], says: "It's ben.okafor@example.com." },
      { cues: ["which order", "which item", "what did you order", "which one"], says: "The oak chairs." },
    ],
  }),
  reference: {
    calls: [
      { ask: "Of course. What is the email address on your account, and which order (or which item) is it?" },
      { tool: "find_customer", args: (c) => ({ email: c.fromUser(/[\w.]+@example\.com/) }) },
      { tool: "list_orders", args: (c) => ({ customerId: customerId(c) }) },
      { tool: "cancel_order", args: (c) => ({ orderId: orderWithItem(c, "chair"), reason: "customer asked to cancel" }) },
    ],
    answer: (c) => `Done: order ${c.result("cancel_order").orderId} (the oak chairs) is cancelled and you will not be charged.`,
  },
  distractors: [{ tool: "get_customer", args: { customerId: "C-200" } }],
  expect: { answerIncludes: ["O-2002", "cancelled"] },
  tags: ["simulated-user", "ask-user", "write"],
});

/** Retail scenarios about exchanges, policy limits and conversations. */
export const retailPolicyScenarios = [exchangeShoeSize, exchangeOutOfStock, compensationAlreadyPaid, cancelMultiTurn];
