import * as z from "zod";
import { defineEnvironment, defineTool, ToolFailure } from "../define.js";
import { retailData } from "./data.js";

/** A postal address. */
export interface Address {
  line1: string;
  city: string;
  postcode: string;
  country: string;
}

export interface Customer {
  id: string;
  name: string;
  email: string;
  address: Address;
}

export type OrderStatus = "pending" | "processing" | "shipped" | "delivered" | "cancelled";

export interface OrderItem {
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
}

export interface Order {
  id: string;
  customerId: string;
  status: OrderStatus;
  placedOn: string;
  deliveredOn: string | null;
  items: OrderItem[];
  total: number;
  shippingAddress: Address;
  shipment: { carrier: string; trackingNumber: string; estimatedDelivery: string } | null;
}

export interface ReturnRequest {
  id: string;
  orderId: string;
  skus: string[];
  reason: string;
  status: "open";
}

export interface Refund {
  id: string;
  orderId: string;
  amount: number;
  reason: string;
}

/** A product in the catalogue; `family` groups variants (sizes, colours) that can be exchanged for each other. */
export interface Product {
  sku: string;
  name: string;
  family: string;
  price: number;
  stock: number;
}

export interface Exchange {
  id: string;
  orderId: string;
  returnSku: string;
  sendSku: string;
  status: "open";
}

/** The shop's back office: customers, orders, returns and refunds. */
export interface RetailState {
  today: string;
  returnWindowDays: number;
  customers: Record<string, Customer>;
  orders: Record<string, Order>;
  returns: Record<string, ReturnRequest>;
  refunds: Record<string, Refund>;
  products: Record<string, Product>;
  exchanges: Record<string, Exchange>;
}

const AddressSchema = z.object({
  line1: z.string().min(1),
  city: z.string().min(1),
  postcode: z.string().min(1),
  country: z.string().length(2).describe("ISO country code, e.g. GB"),
});

function order(state: RetailState, orderId: string): Order {
  const found = state.orders[orderId];
  if (!found) throw new ToolFailure(`order ${orderId} not found`);
  return found;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

/** Fails unless the order was delivered within the return window, which returns and exchanges share. */
function ensureWithinReturnWindow(state: RetailState, found: Order, action: "returned" | "exchanged"): void {
  if (found.status !== "delivered" || !found.deliveredOn) {
    throw new ToolFailure(`order ${found.id} is ${found.status}; only delivered orders can be ${action}`);
  }
  const age = daysBetween(found.deliveredOn, state.today);
  if (age > state.returnWindowDays) {
    throw new ToolFailure(`order ${found.id} was delivered ${age} days ago, outside the ${state.returnWindowDays}-day return window`);
  }
}

function refundedSoFar(state: RetailState, orderId: string): number {
  return Object.values(state.refunds)
    .filter((refund) => refund.orderId === orderId)
    .reduce((sum, refund) => sum + refund.amount, 0);
}

function nextId(prefix: string, existing: Record<string, unknown>): string {
  return `${prefix}-${String(Object.keys(existing).length + 1).padStart(4, "0")}`;
}

const findCustomer = defineTool({
  name: "find_customer",
  description: "Find a customer by email address. Returns the customer id and name.",
  args: z.object({ email: z.string().describe("The customer's email address") }),
  effect: "read",
  run: ({ email }, state: RetailState) => {
    const customer = Object.values(state.customers).find((c) => c.email.toLowerCase() === email.toLowerCase());
    if (!customer) throw new ToolFailure(`no customer with email ${email}`);
    return { customerId: customer.id, name: customer.name };
  },
});

const getCustomer = defineTool({
  name: "get_customer",
  description: "Get a customer's profile, including their default address.",
  args: z.object({ customerId: z.string() }),
  effect: "read",
  run: ({ customerId }, state: RetailState) => {
    const customer = state.customers[customerId];
    if (!customer) throw new ToolFailure(`customer ${customerId} not found`);
    return customer;
  },
});

const listOrders = defineTool({
  name: "list_orders",
  description: "List a customer's orders, newest first, with status, date and total.",
  args: z.object({ customerId: z.string() }),
  effect: "read",
  run: ({ customerId }, state: RetailState) => {
    if (!state.customers[customerId]) throw new ToolFailure(`customer ${customerId} not found`);
    return Object.values(state.orders)
      .filter((o) => o.customerId === customerId)
      .sort((a, b) => b.placedOn.localeCompare(a.placedOn) || b.id.localeCompare(a.id))
      .map((o) => ({ orderId: o.id, status: o.status, placedOn: o.placedOn, total: o.total, items: o.items.map((i) => i.name) }));
  },
});

const getOrder = defineTool({
  name: "get_order",
  description: "Get one order in full: items with SKUs and prices, status, dates, shipping address.",
  args: z.object({ orderId: z.string() }),
  effect: "read",
  run: ({ orderId }, state: RetailState) => {
    const found = order(state, orderId);
    return { ...found, refunded: refundedSoFar(state, orderId) };
  },
});

const trackShipment = defineTool({
  name: "track_shipment",
  description: "Get the carrier, tracking number and estimated delivery date of a shipped order.",
  args: z.object({ orderId: z.string() }),
  effect: "read",
  run: ({ orderId }, state: RetailState) => {
    const found = order(state, orderId);
    if (!found.shipment) throw new ToolFailure(`order ${orderId} has not shipped (status: ${found.status})`);
    return { orderId, status: found.status, ...found.shipment };
  },
});

const checkStock = defineTool({
  name: "check_stock",
  description:
    "Look up a product by SKU: name, price, stock, and the other variants (sizes, colours) of the same product with their stock.",
  args: z.object({ sku: z.string() }),
  effect: "read",
  run: ({ sku }, state: RetailState) => {
    const product = state.products[sku];
    if (!product) throw new ToolFailure(`no product with SKU ${sku}`);
    const variants = Object.values(state.products)
      .filter((p) => p.family === product.family && p.sku !== sku)
      .map(({ sku: variant, name, price, stock }) => ({ sku: variant, name, price, stock }));
    return { sku, name: product.name, price: product.price, stock: product.stock, variants };
  },
});

const createExchange = defineTool({
  name: "create_exchange",
  description:
    "Exchange one delivered item for another variant of the same product (same price), within the return window. Reserves the new item.",
  args: z.object({ orderId: z.string(), returnSku: z.string(), sendSku: z.string() }),
  effect: "write",
  run: ({ orderId, returnSku, sendSku }, state: RetailState) => {
    const found = order(state, orderId);
    ensureWithinReturnWindow(state, found, "exchanged");
    if (!found.items.some((item) => item.sku === returnSku)) throw new ToolFailure(`order ${orderId} has no item with SKU ${returnSku}`);
    const from = state.products[returnSku];
    const to = state.products[sendSku];
    if (!from || !to) throw new ToolFailure(`unknown SKU ${!from ? returnSku : sendSku}`);
    if (from.family !== to.family)
      throw new ToolFailure(`${sendSku} is a different product; exchanges are for another size or colour of the same product`);
    if (to.stock < 1) throw new ToolFailure(`${sendSku} is out of stock`);
    to.stock -= 1;
    const id = nextId("EXC", state.exchanges);
    state.exchanges[id] = { id, orderId, returnSku, sendSku, status: "open" };
    return { exchangeId: id, orderId, returnSku, sendSku, sendName: to.name };
  },
});

const getReturnPolicy = defineTool({
  name: "get_return_policy",
  description: "Read the shop's return and refund policy.",
  args: z.object({}),
  effect: "read",
  run: (_args, state: RetailState) => ({
    returnWindowDays: state.returnWindowDays,
    rules: [
      `Delivered items can be returned within ${state.returnWindowDays} days of delivery.`,
      "Refunds never exceed the amount paid for the order.",
      "Orders can be cancelled until they ship.",
      "Items can be swapped for another size or colour of the same product during those 30 days, if in stock.",
      "Late-delivery compensation (10% of the order) is paid once per order.",
    ],
  }),
});

const cancelOrder = defineTool({
  name: "cancel_order",
  description: "Cancel an order that has not shipped yet (status pending or processing).",
  args: z.object({ orderId: z.string(), reason: z.string().min(1) }),
  effect: "write",
  run: ({ orderId }, state: RetailState) => {
    const found = order(state, orderId);
    if (found.status !== "pending" && found.status !== "processing") {
      throw new ToolFailure(`order ${orderId} is ${found.status} and can no longer be cancelled`);
    }
    found.status = "cancelled";
    return { orderId, status: found.status };
  },
});

const updateShippingAddress = defineTool({
  name: "update_shipping_address",
  description: "Change the shipping address of an order that has not shipped yet.",
  args: z.object({ orderId: z.string(), address: AddressSchema }),
  effect: "write",
  run: ({ orderId, address }, state: RetailState) => {
    const found = order(state, orderId);
    if (found.status !== "pending" && found.status !== "processing") {
      throw new ToolFailure(`order ${orderId} is ${found.status}; its address can no longer change`);
    }
    found.shippingAddress = { ...address };
    return { orderId, shippingAddress: found.shippingAddress };
  },
});

const createReturn = defineTool({
  name: "create_return",
  description: `Open a return for items of a delivered order, within the return window. Returns the return id.`,
  args: z.object({ orderId: z.string(), skus: z.array(z.string()).min(1), reason: z.string().min(1) }),
  effect: "write",
  run: ({ orderId, skus, reason }, state: RetailState) => {
    const found = order(state, orderId);
    ensureWithinReturnWindow(state, found, "returned");
    const unknown = skus.filter((sku) => !found.items.some((item) => item.sku === sku));
    if (unknown.length > 0) throw new ToolFailure(`order ${orderId} has no item with SKU ${unknown.join(", ")}`);
    const id = nextId("RET", state.returns);
    state.returns[id] = { id, orderId, skus: [...skus].sort(), reason, status: "open" };
    return { returnId: id, orderId, skus: state.returns[id]!.skus };
  },
});

const issueRefund = defineTool({
  name: "issue_refund",
  description: "Refund an amount to the order's payment method. The total refunded can never exceed the order total.",
  args: z.object({ orderId: z.string(), amount: z.number().positive(), reason: z.string().min(1) }),
  effect: "write",
  run: ({ orderId, amount, reason }, state: RetailState) => {
    const found = order(state, orderId);
    const remaining = Math.round((found.total - refundedSoFar(state, orderId)) * 100) / 100;
    if (amount > remaining) throw new ToolFailure(`refund of ${amount} exceeds the ${remaining} left to refund on ${orderId}`);
    const id = nextId("RF", state.refunds);
    state.refunds[id] = { id, orderId, amount, reason };
    return { refundId: id, orderId, amount };
  },
});

/** Retail customer support: orders, returns, refunds and address changes. */
export const retailEnvironment = defineEnvironment<RetailState>({
  id: "retail",
  description: "An online shop's support back office: customers, orders, shipments, returns and refunds.",
  instructions: [
    "You are a customer-support agent for an online shop. Today is 2026-11-20.",
    "Use the tools to look things up and to act; never invent ids, amounts or dates.",
    "Policy: delivered items can be returned or exchanged (another size or colour, if in stock) within 30 days",
    "of delivery; orders can be cancelled or re-addressed only before they ship; refunds never exceed what was paid;",
    "late-delivery compensation is paid once per order.",
    "When you are done, reply to the customer with a short answer that states the ids and amounts involved.",
  ].join("\n"),
  initialState: retailData,
  tools: [
    findCustomer,
    getCustomer,
    listOrders,
    getOrder,
    trackShipment,
    getReturnPolicy,
    cancelOrder,
    updateShippingAddress,
    createReturn,
    issueRefund,
    checkStock,
    createExchange,
  ],
});
