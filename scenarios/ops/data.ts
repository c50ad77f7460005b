import type { OpsState } from "./environment.js";

/** The shop-api repository, its CI and issue tracker on 2026-11-20. */
export const opsData: OpsState = {
  today: "2026-11-20",
  repository: "northwind/shop-api",
  commits: {
    c7e21f9: { sha: "c7e21f9", branch: "main", author: "Lena Fischer", date: "2026-11-20T08:12", message: "checkout: round VAT per line instead of per order", files: ["src/checkout/vat.ts", "tests/checkout/vat.test.ts"] },
    "9b04d2a": { sha: "9b04d2a", branch: "main", author: "Omar Haddad", date: "2026-11-19T17:40", message: "deps: bump pg to 8.13.1", files: ["package.json", "package-lock.json"] },
    "5d1e8c3": { sha: "5d1e8c3", branch: "main", author: "Lena Fischer", date: "2026-11-19T15:02", message: "migrations: add index on orders.created_at", files: ["migrations/0042_orders_created_at_idx.sql"] },
    "1c6d0e4": { sha: "1c6d0e4", branch: "main", author: "Mei Chen", date: "2026-11-18T10:05", message: "docs: update the incident runbook", files: ["docs/runbook.md"] },
    a4f5e66: { sha: "a4f5e66", branch: "feature/payments-retry", author: "Omar Haddad", date: "2026-11-19T16:30", message: "payments: retry declined-by-timeout charges once", files: ["src/payments/retry.ts", "tests/payments/retry.int.test.ts"] },
    "3fa9b70": { sha: "3fa9b70", branch: "feature/search-cache", author: "Ivo Petrov", date: "2026-11-19T11:20", message: "search: cache facet counts for 60s", files: ["src/search/facets.ts"] },
  },
  runs: {
    "RUN-5122": { id: "RUN-5122", branch: "feature/search-cache", commit: "3fa9b70", status: "failed", failedJob: "lint", startedAt: "2026-11-19T11:24", log: "> eslint src\nsrc/search/facets.ts:41:7  error  'ttlMs' is assigned a value but never used  no-unused-vars\n1 problem (1 error)" },
    "RUN-5120": { id: "RUN-5120", branch: "main", commit: "c7e21f9", status: "failed", failedJob: "unit-tests", startedAt: "2026-11-20T08:14", log: "FAIL tests/checkout/vat.test.ts > totals > applies VAT to the order total\n  AssertionError: expected 21.00, received 20.99\n    at tests/checkout/vat.test.ts:57:31\nTests: 1 failed, 412 passed" },
    "RUN-5119": { id: "RUN-5119", branch: "main", commit: "9b04d2a", status: "passed", failedJob: null, startedAt: "2026-11-19T17:43", log: "Tests: 413 passed" },
    "RUN-5118": { id: "RUN-5118", branch: "main", commit: "5d1e8c3", status: "passed", failedJob: null, startedAt: "2026-11-19T15:06", log: "Tests: 413 passed" },
    "RUN-5117": { id: "RUN-5117", branch: "feature/payments-retry", commit: "a4f5e66", status: "failed", failedJob: "integration-tests", startedAt: "2026-11-19T16:34", log: "tests/payments/retry.int.test.ts\n  Error: connect ETIMEDOUT 10.0.4.17:5432 (postgres) before any test ran\nRunner ci-runner-07: database container did not become ready in 60s" },
  },
  issues: {
    "ISS-88": { id: "ISS-88", title: "Search facet counts stale after product edits", status: "open", labels: ["bug", "area/search"], assignee: "Ivo Petrov", comments: ["Seen on staging: counts lag behind edits."] },
    "ISS-91": { id: "ISS-91", title: "Checkout: show VAT per line on receipts", status: "closed", labels: ["feature", "area/checkout"], assignee: "Lena Fischer", comments: [] },
    "ISS-93": { id: "ISS-93", title: "Runbook: add database failover steps", status: "open", labels: ["docs"], assignee: null, comments: [] },
  },
  labels: [
    { name: "bug", description: "Something is broken" },
    { name: "feature", description: "New behaviour" },
    { name: "docs", description: "Documentation" },
    { name: "flaky-test", description: "A test that fails intermittently" },
    { name: "ci", description: "Build and CI infrastructure: runners, containers, pipelines" },
    { name: "area/checkout", description: "Cart, checkout, VAT" },
    { name: "area/payments", description: "Payment providers and retries" },
    { name: "area/search", description: "Search and facets" },
  ],
  oncall: {
    checkout: { area: "checkout", engineer: "Omar Haddad", handle: "@omar.haddad" },
    payments: { area: "payments", engineer: "Mei Chen", handle: "@mei.chen" },
    search: { area: "search", engineer: "Ivo Petrov", handle: "@ivo.petrov" },
  },
  files: {
    "config/production.yaml": "database:\n  host: db-prod.internal\n  pool_size: 40\n  statement_timeout_ms: 15000\ncache:\n  facets_ttl_s: 60\n",
    "config/staging.yaml": "database:\n  host: db-staging.internal\n  pool_size: 10\n  statement_timeout_ms: 30000\ncache:\n  facets_ttl_s: 5\n",
    CODEOWNERS: "src/checkout/ @lena.fischer @omar.haddad\nsrc/payments/ @mei.chen\nsrc/search/ @ivo.petrov\nmigrations/ @dba-team\n",
    "docs/runbook.md": "# Incident runbook\nPage the on-call engineer of the affected area first.\n",
  },
  reverts: [],
};
