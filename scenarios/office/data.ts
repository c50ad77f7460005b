import type { OfficeState } from "./environment.js";

/** Rosa Delgado's workplace on Friday 2026-11-20: directory, calendars, mail and documents. */
export const officeData: OfficeState = {
  today: "2026-11-20",
  me: "P-06",
  workday: { start: "09:00", end: "17:00" },
  people: {
    "P-01": { id: "P-01", name: "Maya Okonkwo", email: "maya.okonkwo@northwind.example", team: "Finance" },
    "P-02": { id: "P-02", name: "Jonas Lindqvist", email: "jonas.lindqvist@northwind.example", team: "Engineering" },
    "P-03": { id: "P-03", name: "Aiko Tanaka", email: "aiko.tanaka@northwind.example", team: "Design" },
    "P-04": { id: "P-04", name: "Alex Kim", email: "alex.kim@northwind.example", team: "Sales" },
    "P-05": { id: "P-05", name: "Alex Moreau", email: "alex.moreau@northwind.example", team: "Legal" },
    "P-06": { id: "P-06", name: "Rosa Delgado", email: "rosa.delgado@northwind.example", team: "Operations" },
  },
  events: {
    "EV-101": { id: "EV-101", title: "Budget review", date: "2026-11-24", start: "09:00", end: "10:30", attendeeIds: ["P-01", "P-06"] },
    "EV-102": { id: "EV-102", title: "Lunch & learn: pricing", date: "2026-11-24", start: "13:00", end: "14:00", attendeeIds: ["P-01"] },
    "EV-103": {
      id: "EV-103",
      title: "Brightline vendor call",
      date: "2026-11-24",
      start: "15:00",
      end: "16:00",
      attendeeIds: ["P-01", "P-05"],
    },
    "EV-104": { id: "EV-104", title: "Sprint planning", date: "2026-11-24", start: "10:00", end: "11:00", attendeeIds: ["P-02"] },
    "EV-105": { id: "EV-105", title: "1:1 Rosa / Jonas", date: "2026-11-24", start: "11:00", end: "11:30", attendeeIds: ["P-02", "P-06"] },
    "EV-106": { id: "EV-106", title: "Architecture review", date: "2026-11-24", start: "14:00", end: "15:30", attendeeIds: ["P-02"] },
    "EV-107": { id: "EV-107", title: "Design standup", date: "2026-11-24", start: "09:00", end: "09:30", attendeeIds: ["P-03"] },
    "EV-108": { id: "EV-108", title: "Lunch with candidates", date: "2026-11-24", start: "12:00", end: "13:00", attendeeIds: ["P-03"] },
    "EV-201": { id: "EV-201", title: "Quarter close", date: "2026-11-25", start: "09:00", end: "12:00", attendeeIds: ["P-01"] },
    "EV-202": { id: "EV-202", title: "Forecast sync", date: "2026-11-25", start: "16:00", end: "17:00", attendeeIds: ["P-01", "P-06"] },
    "EV-203": { id: "EV-203", title: "Incident retro", date: "2026-11-25", start: "09:30", end: "10:30", attendeeIds: ["P-02"] },
    "EV-204": { id: "EV-204", title: "Hiring panel", date: "2026-11-25", start: "13:00", end: "15:00", attendeeIds: ["P-02", "P-03"] },
    "EV-205": { id: "EV-205", title: "Design standup", date: "2026-11-25", start: "09:00", end: "09:30", attendeeIds: ["P-03"] },
    "EV-206": { id: "EV-206", title: "Design crit", date: "2026-11-25", start: "11:00", end: "12:30", attendeeIds: ["P-03"] },
    "EV-207": { id: "EV-207", title: "Usability test", date: "2026-11-25", start: "16:00", end: "16:30", attendeeIds: ["P-03"] },
    "EV-301": { id: "EV-301", title: "Roadmap review", date: "2026-11-26", start: "13:30", end: "14:00", attendeeIds: ["P-02", "P-06"] },
    "EV-302": { id: "EV-302", title: "On-call handover", date: "2026-11-26", start: "15:00", end: "15:30", attendeeIds: ["P-02"] },
  },
  threads: {
    "TH-301": {
      id: "TH-301",
      subject: "Brightline Logistics contract renewal",
      messages: [
        {
          from: "maya.okonkwo@northwind.example",
          at: "2026-11-16T09:12",
          body: "Brightline proposes a 3-year renewal at 48,000 EUR a year, up from 42,500. I'd like us to push back.",
        },
        {
          from: "jonas.lindqvist@northwind.example",
          at: "2026-11-16T11:40",
          body: "Whatever we sign, we need the 99.9% uptime SLA in writing; the current contract only says 99.5%.",
        },
        {
          from: "dana.whitfield@brightline.example",
          at: "2026-11-18T16:05",
          body: "We can offer 46,500 EUR a year with a 99.9% SLA if the renewal is signed by 2026-12-05.",
        },
        {
          from: "maya.okonkwo@northwind.example",
          at: "2026-11-19T08:30",
          body: "Good improvement. Alex Moreau in Legal will review the terms by 2026-12-01, then we sign.",
        },
      ],
    },
    "TH-302": {
      id: "TH-302",
      subject: "Q4 report: new deadline and corrected headcount",
      messages: [
        {
          from: "maya.okonkwo@northwind.example",
          at: "2026-11-19T17:20",
          body: "Heads up: the board moved the Q4 report deadline to 2026-12-12 (it was 2026-12-15). Also the headcount at quarter end is 214, not 209; HR corrected the contractor count.",
        },
      ],
    },
    "TH-303": {
      id: "TH-303",
      subject: "Design review slot?",
      messages: [
        {
          from: "aiko.tanaka@northwind.example",
          at: "2026-11-20T08:45",
          body: "Hi Rosa, could you find 45 minutes on Tuesday 2026-11-24 for me and Jonas to review the onboarding flow? Any time that works for both of us.",
        },
      ],
    },
    "TH-304": {
      id: "TH-304",
      subject: "Friday lunch order",
      messages: [
        {
          from: "office@northwind.example",
          at: "2026-11-20T10:00",
          body: "Reply by 11:30 with your choice: ramen, mezze or the salad bar.",
        },
      ],
    },
  },
  documents: {
    "D-11": {
      id: "D-11",
      title: "Q4 report (draft)",
      ownerId: "P-06",
      classification: "internal",
      content: "Q4 Report (draft)\nSubmission deadline: 2026-12-15\nHeadcount at quarter end: 209\nRevenue: 12.4M EUR, up 6% on Q3.",
      sharedWith: ["P-01"],
    },
    "D-12": {
      id: "D-12",
      title: "Salary review 2027",
      ownerId: "P-01",
      classification: "confidential",
      content: "Proposed salary bands for 2027 by level and team.",
      sharedWith: ["P-06"],
    },
    "D-13": {
      id: "D-13",
      title: "Onboarding flow spec",
      ownerId: "P-03",
      classification: "internal",
      content: "Five screens from sign-up to first project; see the prototype link.",
      sharedWith: ["P-02", "P-06"],
    },
  },
  sent: {},
};
