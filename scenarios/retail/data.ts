import type { Address, RetailState } from "./environment.js";

const home: Address = { line1: "12 Elm Street", city: "Leeds", postcode: "LS1 4AB", country: "GB" };
const flat: Address = { line1: "Flat 3, 8 Canal Wharf", city: "Bristol", postcode: "BS1 6UQ", country: "GB" };

/** The shop on 2026-11-20: customers, their orders, the catalogue. */
export const retailData: RetailState = {
  today: "2026-11-20",
  returnWindowDays: 30,
  customers: {
    "C-100": { id: "C-100", name: "Ana Lima", email: "ana.lima@example.com", address: home },
    "C-200": { id: "C-200", name: "Ben Okafor", email: "ben.okafor@example.com", address: flat },
    "C-300": { id: "C-300", name: "Chen Wei", email: "chen.wei@example.com", address: { line1: "4 Harbour Road", city: "Glasgow", postcode: "G2 5DX", country: "GB" } },
    "C-400": { id: "C-400", name: "Dana Reyes", email: "dana.reyes@example.com", address: { line1: "19 Mill Lane", city: "York", postcode: "YO1 7HH", country: "GB" } },
  },
  orders: {
    "O-1001": {
      id: "O-1001", customerId: "C-100", status: "delivered", placedOn: "2026-11-02", deliveredOn: "2026-11-06",
      items: [
        { sku: "MUG-BLU", name: "Blue ceramic mug", quantity: 2, unitPrice: 12.5 },
        { sku: "TEA-EG", name: "Earl Grey tea, 100 bags", quantity: 1, unitPrice: 8 },
      ],
      total: 33, shippingAddress: home, shipment: { carrier: "RoyalPost", trackingNumber: "RP123456789GB", estimatedDelivery: "2026-11-06" },
    },
    "O-1002": {
      id: "O-1002", customerId: "C-100", status: "pending", placedOn: "2026-11-18", deliveredOn: null,
      items: [{ sku: "KTL-STL", name: "Steel kettle", quantity: 1, unitPrice: 45 }],
      total: 45, shippingAddress: home, shipment: null,
    },
    "O-2001": {
      id: "O-2001", customerId: "C-200", status: "shipped", placedOn: "2026-11-15", deliveredOn: null,
      items: [{ sku: "LMP-DSK", name: "Desk lamp", quantity: 1, unitPrice: 39.99 }],
      total: 39.99, shippingAddress: flat, shipment: { carrier: "ParcelCo", trackingNumber: "PC-88-4411", estimatedDelivery: "2026-11-22" },
    },
    "O-2002": {
      id: "O-2002", customerId: "C-200", status: "processing", placedOn: "2026-11-19", deliveredOn: null,
      items: [{ sku: "CHR-OAK", name: "Oak chair", quantity: 2, unitPrice: 89 }],
      total: 178, shippingAddress: flat, shipment: null,
    },
    "O-3001": {
      id: "O-3001", customerId: "C-300", status: "delivered", placedOn: "2026-09-20", deliveredOn: "2026-09-25",
      items: [{ sku: "JKT-RN-M", name: "Rain jacket, size M", quantity: 1, unitPrice: 120 }],
      total: 120, shippingAddress: { line1: "4 Harbour Road", city: "Glasgow", postcode: "G2 5DX", country: "GB" },
      shipment: { carrier: "RoyalPost", trackingNumber: "RP998877665GB", estimatedDelivery: "2026-09-25" },
    },
    "O-3002": {
      id: "O-3002", customerId: "C-300", status: "delivered", placedOn: "2026-11-10", deliveredOn: "2026-11-14",
      items: [
        { sku: "BTL-H2O", name: "Water bottle", quantity: 1, unitPrice: 18 },
        { sku: "SCK-WL", name: "Wool socks, 3 pairs", quantity: 1, unitPrice: 21 },
      ],
      total: 39, shippingAddress: { line1: "4 Harbour Road", city: "Glasgow", postcode: "G2 5DX", country: "GB" },
      shipment: { carrier: "ParcelCo", trackingNumber: "PC-12-0099", estimatedDelivery: "2026-11-14" },
    },
    "O-4001": {
      id: "O-4001", customerId: "C-400", status: "delivered", placedOn: "2026-11-08", deliveredOn: "2026-11-12",
      items: [{ sku: "SHO-TR-41", name: "Trail running shoes, size 41", quantity: 1, unitPrice: 95 }],
      total: 95, shippingAddress: { line1: "19 Mill Lane", city: "York", postcode: "YO1 7HH", country: "GB" },
      shipment: { carrier: "RoyalPost", trackingNumber: "RP550012377GB", estimatedDelivery: "2026-11-12" },
    },
  },
  returns: {},
  refunds: {},
  products: {
    "MUG-BLU": { sku: "MUG-BLU", name: "Blue ceramic mug", family: "mug", price: 12.5, stock: 40 },
    "MUG-GRN": { sku: "MUG-GRN", name: "Green ceramic mug", family: "mug", price: 12.5, stock: 0 },
    "MUG-WHT": { sku: "MUG-WHT", name: "White ceramic mug", family: "mug", price: 12.5, stock: 0 },
    "TEA-EG": { sku: "TEA-EG", name: "Earl Grey tea, 100 bags", family: "tea-eg", price: 8, stock: 120 },
    "KTL-STL": { sku: "KTL-STL", name: "Steel kettle", family: "kettle", price: 45, stock: 11 },
    "LMP-DSK": { sku: "LMP-DSK", name: "Desk lamp", family: "lamp", price: 39.99, stock: 7 },
    "CHR-OAK": { sku: "CHR-OAK", name: "Oak chair", family: "chair", price: 89, stock: 16 },
    "JKT-RN-S": { sku: "JKT-RN-S", name: "Rain jacket, size S", family: "rain-jacket", price: 120, stock: 3 },
    "JKT-RN-M": { sku: "JKT-RN-M", name: "Rain jacket, size M", family: "rain-jacket", price: 120, stock: 0 },
    "JKT-RN-L": { sku: "JKT-RN-L", name: "Rain jacket, size L", family: "rain-jacket", price: 120, stock: 5 },
    "BTL-H2O": { sku: "BTL-H2O", name: "Water bottle", family: "bottle", price: 18, stock: 64 },
    "SCK-WL": { sku: "SCK-WL", name: "Wool socks, 3 pairs", family: "socks", price: 21, stock: 30 },
    "SHO-TR-41": { sku: "SHO-TR-41", name: "Trail running shoes, size 41", family: "trail-shoe", price: 95, stock: 2 },
    "SHO-TR-42": { sku: "SHO-TR-42", name: "Trail running shoes, size 42", family: "trail-shoe", price: 95, stock: 3 },
    "SHO-TR-43": { sku: "SHO-TR-43", name: "Trail running shoes, size 43", family: "trail-shoe", price: 95, stock: 0 },
  },
  exchanges: {},
};
