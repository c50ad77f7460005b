import type { HelpdeskState } from "./environment.js";

/** Fibrelink's support back office on 2026-11-20. */
export const helpdeskData: HelpdeskState = {
  today: "2026-11-20",
  refundWindowDays: 60,
  nextCycle: "2026-12-01",
  plans: [
    { name: "Fibre 150", monthly: 30 },
    { name: "Fibre 500", monthly: 45 },
    { name: "Fibre 1000", monthly: 65 },
  ],
  accounts: {
    "ACC-1042": { id: "ACC-1042", name: "Hannah Osei", email: "hannah.osei@mail.example", plan: "Fibre 500", region: "Leeds", deviceIds: ["DEV-12"], credit: 0, pendingPlan: null },
    "ACC-2210": { id: "ACC-2210", name: "Marcus Lee", email: "marcus.lee@mail.example", plan: "Fibre 150", region: "Bristol", deviceIds: ["DEV-31"], credit: 0, pendingPlan: null },
    "ACC-3307": { id: "ACC-3307", name: "Ines Duarte", email: "ines.duarte@mail.example", plan: "Fibre 1000", region: "Cardiff", deviceIds: ["DEV-47"], credit: 0, pendingPlan: null },
    "ACC-4415": { id: "ACC-4415", name: "Samir Haddad", email: "samir.haddad@mail.example", plan: "Fibre 500", region: "Leeds", deviceIds: ["DEV-90"], credit: 0, pendingPlan: null },
  },
  invoices: {
    "INV-9001": { id: "INV-9001", accountId: "ACC-1042", period: "2026-10", issuedOn: "2026-10-01", amount: 30, status: "paid", lines: [{ text: "Fibre 150, October", amount: 30 }] },
    "INV-9002": {
      id: "INV-9002", accountId: "ACC-1042", period: "2026-11", issuedOn: "2026-11-01", amount: 55.5, status: "paid",
      lines: [
        { text: "Fibre 500, November", amount: 45 },
        { text: "Upgrade from Fibre 150 on 2026-10-10: prorated difference for October", amount: 10.5 },
      ],
    },
    "INV-9101": { id: "INV-9101", accountId: "ACC-2210", period: "2026-11", issuedOn: "2026-11-01", amount: 30, status: "paid", lines: [{ text: "Fibre 150, November", amount: 30 }] },
    "INV-9102": { id: "INV-9102", accountId: "ACC-2210", period: "2026-11", issuedOn: "2026-11-01", amount: 30, status: "paid", lines: [{ text: "Fibre 150, November (charged twice by a payment retry)", amount: 30 }] },
    "INV-9201": { id: "INV-9201", accountId: "ACC-3307", period: "2026-08", issuedOn: "2026-08-01", amount: 65, status: "paid", lines: [{ text: "Fibre 1000, August", amount: 65 }] },
    "INV-9202": { id: "INV-9202", accountId: "ACC-3307", period: "2026-11", issuedOn: "2026-11-01", amount: 65, status: "paid", lines: [{ text: "Fibre 1000, November", amount: 65 }] },
  },
  devices: {
    "DEV-12": { id: "DEV-12", accountId: "ACC-1042", model: "FL-R6 router", diagnostics: "No light on the fibre line: upstream fault outside the home; the router itself is healthy." },
    "DEV-31": { id: "DEV-31", accountId: "ACC-2210", model: "FL-R6 router", diagnostics: "All checks passed." },
    "DEV-47": { id: "DEV-47", accountId: "ACC-3307", model: "FL-R7 router", diagnostics: "All checks passed." },
    "DEV-90": { id: "DEV-90", accountId: "ACC-4415", model: "FL-R6 router", diagnostics: "WAN port hardware fault: link drops every few minutes. Replace the router." },
  },
  incidents: [
    { id: "INC-311", region: "Leeds", status: "ongoing", summary: "Fibre cut on the LS2 backbone", since: "2026-11-20T06:40", eta: "2026-11-20T18:00" },
    { id: "INC-305", region: "Cardiff", status: "resolved", summary: "Planned maintenance", since: "2026-11-14T01:00", eta: "2026-11-14T04:00" },
  ],
  shipments: {
    "SHP-501": { id: "SHP-501", accountId: "ACC-1042", item: "Mesh extender", status: "preparing", carrier: null, tracking: null, address: "14 Park Row, Leeds LS1 5HD" },
    "SHP-502": { id: "SHP-502", accountId: "ACC-3307", item: "FL-R7 router (replacement)", status: "shipped", carrier: "DPD", tracking: "DPD-15502871", address: "22 Bute Street, Cardiff CF10 5AL", eta: "2026-11-23" },
  },
  refunds: [],
  credits: [],
  tickets: {},
};
