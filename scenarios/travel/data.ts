import type { TravelState } from "./environment.js";

/** Corporate travel desk on 2026-11-20: travellers, flights, hotels and existing bookings. */
export const travelData: TravelState = {
  today: "2026-11-20",
  policy: {
    hotelNightlyCap: { default: 160, London: 220, Paris: 210, Lisbon: 150, Berlin: 170 },
    businessClassMinHours: 6,
    rules: [
      "Economy class for flights shorter than 6 hours; business class allowed from 6 hours.",
      "Hotels must stay within the nightly cap of the destination city.",
      "Book the cheapest fare that fits the requested time window.",
      "Non-refundable fares cannot be cancelled for a refund.",
    ],
  },
  travellers: {
    "T-01": { id: "T-01", name: "Priya Raman", email: "priya.raman@northwind.example", homeAirport: "LHR", loyalty: "BA-5521908" },
    "T-02": { id: "T-02", name: "Tom Becker", email: "tom.becker@northwind.example", homeAirport: "LHR", loyalty: null },
    "T-03": { id: "T-03", name: "Sofia Marques", email: "sofia.marques@northwind.example", homeAirport: "MAN", loyalty: "TP-0093317" },
    "T-04": { id: "T-04", name: "Kenji Watanabe", email: "kenji.watanabe@northwind.example", homeAirport: "LHR", loyalty: null },
  },
  flights: {
    "FL-AMS-0705": { id: "FL-AMS-0705", airline: "KLM", number: "KL1000", from: "LHR", to: "AMS", date: "2026-12-03", departs: "07:05", arrives: "09:20", hours: 1.25, cabin: "economy", price: 142, seatsLeft: 9, refundable: false },
    "FL-AMS-0940": { id: "FL-AMS-0940", airline: "British Airways", number: "BA428", from: "LHR", to: "AMS", date: "2026-12-03", departs: "09:40", arrives: "11:55", hours: 1.25, cabin: "economy", price: 118, seatsLeft: 4, refundable: true },
    "FL-AMS-1315": { id: "FL-AMS-1315", airline: "easyJet", number: "U28807", from: "LHR", to: "AMS", date: "2026-12-03", departs: "13:15", arrives: "15:30", hours: 1.25, cabin: "economy", price: 89, seatsLeft: 12, refundable: false },
    "FL-AMS-1850": { id: "FL-AMS-1850", airline: "KLM", number: "KL1030", from: "LHR", to: "AMS", date: "2026-12-03", departs: "18:50", arrives: "21:05", hours: 1.25, cabin: "economy", price: 131, seatsLeft: 2, refundable: true },
    "FL-DUB-0810J": { id: "FL-DUB-0810J", airline: "Aer Lingus", number: "EI151", from: "LHR", to: "DUB", date: "2026-12-01", departs: "08:10", arrives: "09:25", hours: 1.25, cabin: "business", price: 412, seatsLeft: 3, refundable: true },
    "FL-DUB-0810Y": { id: "FL-DUB-0810Y", airline: "Aer Lingus", number: "EI151", from: "LHR", to: "DUB", date: "2026-12-01", departs: "08:10", arrives: "09:25", hours: 1.25, cabin: "economy", price: 96, seatsLeft: 21, refundable: false },
    "FL-DUB-1130Y": { id: "FL-DUB-1130Y", airline: "Ryanair", number: "FR207", from: "LHR", to: "DUB", date: "2026-12-01", departs: "11:30", arrives: "12:45", hours: 1.25, cabin: "economy", price: 74, seatsLeft: 30, refundable: false },
    "FL-BER-0655": { id: "FL-BER-0655", airline: "Eurowings", number: "EW9461", from: "MAN", to: "BER", date: "2026-11-26", departs: "06:55", arrives: "09:50", hours: 1.9, cabin: "economy", price: 104, seatsLeft: 6, refundable: false },
    "FL-BER-0840": { id: "FL-BER-0840", airline: "easyJet", number: "U22151", from: "MAN", to: "BER", date: "2026-11-26", departs: "08:40", arrives: "11:35", hours: 1.9, cabin: "economy", price: 129, seatsLeft: 5, refundable: true },
    "FL-BER-1710": { id: "FL-BER-1710", airline: "Eurowings", number: "EW9463", from: "MAN", to: "BER", date: "2026-11-26", departs: "17:10", arrives: "20:05", hours: 1.9, cabin: "economy", price: 77, seatsLeft: 14, refundable: false },
    "FL-LIS-0725": { id: "FL-LIS-0725", airline: "TAP", number: "TP1351", from: "LHR", to: "LIS", date: "2026-12-08", departs: "07:25", arrives: "10:15", hours: 2.8, cabin: "economy", price: 164, seatsLeft: 1, refundable: true },
    "FL-LIS-1005": { id: "FL-LIS-1005", airline: "British Airways", number: "BA500", from: "LHR", to: "LIS", date: "2026-12-08", departs: "10:05", arrives: "12:55", hours: 2.8, cabin: "economy", price: 149, seatsLeft: 7, refundable: true },
    "FL-LIS-1540": { id: "FL-LIS-1540", airline: "TAP", number: "TP1359", from: "LHR", to: "LIS", date: "2026-12-08", departs: "15:40", arrives: "18:30", hours: 2.8, cabin: "economy", price: 171, seatsLeft: 9, refundable: false },
    "FL-LHR-1110": { id: "FL-LHR-1110", airline: "TAP", number: "TP1350", from: "LIS", to: "LHR", date: "2026-12-10", departs: "11:10", arrives: "13:55", hours: 2.75, cabin: "economy", price: 158, seatsLeft: 6, refundable: true },
    "FL-LHR-1920": { id: "FL-LHR-1920", airline: "British Airways", number: "BA503", from: "LIS", to: "LHR", date: "2026-12-10", departs: "19:20", arrives: "22:05", hours: 2.75, cabin: "economy", price: 137, seatsLeft: 8, refundable: true },
    "FL-JFK-1020J": { id: "FL-JFK-1020J", airline: "Virgin Atlantic", number: "VS3", from: "LHR", to: "JFK", date: "2026-12-14", departs: "10:20", arrives: "13:15", hours: 7.9, cabin: "business", price: 2890, seatsLeft: 2, refundable: true },
  },
  hotels: {
    "H-PAR-01": { id: "H-PAR-01", city: "Paris", name: "Hôtel Lumen Marais", rating: 4.6, nightly: 245, roomsLeft: 3 },
    "H-PAR-02": { id: "H-PAR-02", city: "Paris", name: "Citadines Gare de Lyon", rating: 4.1, nightly: 189, roomsLeft: 8 },
    "H-PAR-03": { id: "H-PAR-03", city: "Paris", name: "Ibis Bastille Opéra", rating: 3.7, nightly: 132, roomsLeft: 12 },
    "H-BER-01": { id: "H-BER-01", city: "Berlin", name: "Motel One Alexanderplatz", rating: 4.3, nightly: 118, roomsLeft: 10 },
    "H-BER-02": { id: "H-BER-02", city: "Berlin", name: "Hotel Adlon Kempinski", rating: 4.8, nightly: 520, roomsLeft: 2 },
    "H-LIS-01": { id: "H-LIS-01", city: "Lisbon", name: "Memmo Alfama", rating: 4.7, nightly: 210, roomsLeft: 4 },
    "H-LIS-02": { id: "H-LIS-02", city: "Lisbon", name: "Lisboa Tejo", rating: 4.4, nightly: 139, roomsLeft: 6 },
    "H-LIS-03": { id: "H-LIS-03", city: "Lisbon", name: "Star Inn Lisbon Airport", rating: 3.9, nightly: 96, roomsLeft: 15 },
  },
  bookings: {
    "BK-7Q2M": { ref: "BK-7Q2M", travellerId: "T-04", kind: "flight", itemId: "FL-JFK-1020J", status: "booked", price: 2890, refundable: true, detail: "LHR→JFK 2026-12-14 VS3 business" },
    "BK-3ZX9": { ref: "BK-3ZX9", travellerId: "T-02", kind: "flight", itemId: "FL-DUB-1130Y", status: "booked", price: 74, refundable: false, detail: "LHR→DUB 2026-12-01 FR207 economy" },
    "BK-5HN4": { ref: "BK-5HN4", travellerId: "T-03", kind: "hotel", itemId: "H-BER-01", status: "booked", price: 236, refundable: true, detail: "Motel One Alexanderplatz, 2 nights from 2026-11-26" },
  },
  nextBooking: 1,
};
