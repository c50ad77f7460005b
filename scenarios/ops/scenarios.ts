import { defineScenario, type PlanContext } from "../define.js";
import { defineUser } from "../users.js";
import { opsEnvironment as environment } from "./environment.js";

/** The newest failed run in a `list_ci_runs` result. */
function failedRun(c: PlanContext): { runId: string; commit: string } {
  const runs = c.result("list_ci_runs") as Array<{ runId: string; commit: string; status: string }>;
  const found = runs.find((r) => r.status === "failed");
  if (!found) throw new Error("no failed run");
  return found;
}

/** The first line of a CI log that names the failure. */
function failureLine(c: PlanContext): string {
  const log = c.result("get_ci_log").log as string;
  return log
    .split("\n")
    .find((line) => /FAIL|Error|error/.test(line))!
    .trim();
}

export const triageBuild = defineScenario({
  id: "ops.triage-failing-build",
  title: "Find which commit broke main and who made it",
  environment,
  task: "main is red. What broke it, and who should look at it?",
  reference: {
    calls: [
      { tool: "list_ci_runs", args: { branch: "main" } },
      { tool: "get_ci_log", args: (c) => ({ runId: failedRun(c).runId }) },
      { tool: "get_commit", args: (c) => ({ sha: c.result("get_ci_log").commit }) },
    ],
    answer: (c) => {
      const commit = c.result("get_commit");
      const log = c.result("get_ci_log");
      return `${log.runId} failed in ${log.failedJob}: ${failureLine(c)}. It is the first failing run, on commit ${commit.sha} ("${commit.message}") by ${commit.author}, who should look at it.`;
    },
  },
  distractors: [{ tool: "read_file", args: { path: "CODEOWNERS" } }],
  expect: { answerIncludes: ["c7e21f9", "Lena Fischer", "vat.test.ts"] },
  tags: ["ci", "read-only", "ids-from-results"],
});

export const revertBadCommit = defineScenario({
  id: "ops.revert-bad-commit",
  title: "Revert the commit that broke main",
  environment,
  task: "Revert whatever broke main, please.",
  reference: {
    calls: [
      { tool: "list_ci_runs", args: { branch: "main" } },
      { tool: "get_ci_log", args: (c) => ({ runId: failedRun(c).runId }) },
      {
        tool: "revert_commit",
        args: (c) => ({
          sha: c.result("get_ci_log").commit,
          reason: `broke ${c.result("get_ci_log").failedJob} in ${c.result("get_ci_log").runId}`,
        }),
      },
    ],
    answer: (c) => {
      const r = c.result("revert_commit");
      return `Reverted ${r.reverted} with ${r.revertSha}; it made ${c.result("get_ci_log").runId} fail (tests/checkout/vat.test.ts).`;
    },
  },
  distractors: [{ tool: "get_commit", args: { sha: "c7e21f9" } }],
  expect: {
    answerIncludes: ["c7e21f9", "rc7e21f"],
    checks: {
      "only the bad commit reverted": ({ finalState }) => finalState.reverts.length === 1 && finalState.reverts[0]!.reverted === "c7e21f9",
    },
  },
  tags: ["ci", "write", "ids-from-results"],
});

export const flakyIssue = defineScenario({
  id: "ops.open-flaky-test-issue",
  title: "Open an issue for an infrastructure flake with the right labels, after checking for duplicates",
  environment,
  task: "The integration tests on feature/payments-retry keep failing on a database timeout. Open an issue for it with the right labels.",
  reference: {
    calls: [
      { tool: "list_ci_runs", args: { branch: "feature/payments-retry" } },
      { tool: "get_ci_log", args: (c) => ({ runId: failedRun(c).runId }) },
      { tool: "search_issues", args: { query: "payments" } },
      { tool: "list_labels", args: {} },
      {
        tool: "create_issue",
        args: (c) => {
          const log = c.result("get_ci_log");
          const labels = (c.result("list_labels") as Array<{ name: string }>)
            .map((l) => l.name)
            .filter((n) => ["flaky-test", "ci", "area/payments"].includes(n));
          return {
            title: "Payments retry integration tests fail on database container timeout",
            body: `${log.runId} (${log.commit}) failed in ${log.failedJob}: ${failureLine(c)}. The database container did not become ready; the code under test never ran.`,
            labels,
          };
        },
      },
    ],
    answer: (c) => {
      const issue = c.result("create_issue");
      return `Opened ${issue.issueId} "${issue.title}" with labels ${issue.labels.join(", ")}; no existing issue covered it.`;
    },
  },
  distractors: [{ tool: "get_oncall", args: { area: "payments" } }],
  expect: {
    answerIncludes: ["ISS-104", "flaky-test", "area/payments"],
    checks: {
      "labelled issue": ({ finalState }) => {
        const issue = finalState.issues["ISS-104"];
        return issue !== undefined && ["area/payments", "ci", "flaky-test"].every((l) => issue.labels.includes(l));
      },
    },
  },
  tags: ["issues", "ci", "write", "ids-from-results"],
});

export const commentOnDuplicate = defineScenario({
  id: "ops.comment-on-duplicate",
  title: "Comment on an existing issue instead of opening a duplicate",
  environment,
  task: "Open an issue: search facet counts are stale for up to a minute after a product is edited.",
  reference: {
    calls: [
      { tool: "search_issues", args: { query: "facet" } },
      {
        tool: "comment_issue",
        args: (c) => ({
          issueId: (c.result("search_issues") as Array<{ issueId: string }>)[0]!.issueId,
          body: "Also reported: facet counts stay stale for up to a minute after a product is edited.",
        }),
      },
    ],
    answer: (c) => {
      const existing = (c.result("search_issues") as Array<{ issueId: string; title: string }>)[0]!;
      return `This is already tracked as ${existing.issueId} ("${existing.title}"), so I added your report there as a comment instead of opening a duplicate.`;
    },
  },
  distractors: [{ tool: "list_labels", args: {} }],
  expect: {
    answerIncludes: ["ISS-88"],
    checks: {
      "no duplicate": ({ finalState, initialState }) => Object.keys(finalState.issues).length === Object.keys(initialState.issues).length,
      commented: ({ finalState }) => finalState.issues["ISS-88"]!.comments.length === 2,
    },
  },
  tags: ["issues", "write", "duplicate"],
});

export const rerunInfraFailure = defineScenario({
  id: "ops.rerun-infra-failure",
  title: "Re-run CI when the failure is caused by infrastructure",
  environment,
  task: "The latest CI run on feature/payments-retry failed. If it's an infrastructure problem, re-run it.",
  reference: {
    calls: [
      { tool: "list_ci_runs", args: { branch: "feature/payments-retry" } },
      { tool: "get_ci_log", args: (c) => ({ runId: failedRun(c).runId }) },
      { tool: "rerun_ci", args: (c) => ({ runId: c.result("get_ci_log").runId }) },
    ],
    answer: (c) =>
      `${c.result("get_ci_log").runId} failed before any test ran (${failureLine(c)}), an infrastructure problem, so I re-ran it as ${c.result("rerun_ci").runId}.`,
  },
  distractors: [{ tool: "get_commit", args: { sha: "a4f5e66" } }],
  expect: { answerIncludes: ["RUN-5117", "RUN-5123"] },
  tags: ["ci", "write"],
});

export const configLookup = defineScenario({
  id: "ops.config-lookup",
  title: "Read one value from a config file",
  environment,
  task: "What's the database connection pool size in production?",
  reference: {
    calls: [{ tool: "read_file", args: { path: "config/production.yaml" } }],
    answer: (c) => {
      const content = c.result("read_file").content as string;
      return `Production uses a pool of ${/pool_size: (\d+)/.exec(content)![1]} connections to ${/host: (\S+)/.exec(content)![1]} (config/production.yaml).`;
    },
  },
  distractors: [{ tool: "read_file", args: { path: "config/staging.yaml" } }],
  expect: { answerIncludes: ["40"] },
  tags: ["read-only", "lookup"],
});

export const refuseMigrationRevert = defineScenario({
  id: "ops.refuse-migration-revert",
  title: "Refuse to revert a database migration",
  environment,
  task: "Revert 5d1e8c3, I think that new index slowed checkout down.",
  reference: {
    calls: [{ tool: "get_commit", args: { sha: "5d1e8c3" } }],
    answer: (c) => {
      const commit = c.result("get_commit");
      return `I won't revert ${commit.sha}: it changes ${commit.files[0]}, and migrations are rolled forward by the DBA team, never reverted. Ask them to review the index instead.`;
    },
  },
  distractors: [{ tool: "list_ci_runs", args: { branch: "main" } }],
  expect: {
    answerIncludes: ["5d1e8c3", "migrations/"],
    checks: { "not reverted": ({ finalState }) => finalState.reverts.length === 0 },
  },
  tags: ["refuse", "policy"],
});

export const triageAndAssign = defineScenario({
  id: "ops.triage-and-assign",
  title: "Turn a main build failure into a labelled issue assigned to the area's on-call engineer",
  environment,
  task: "Triage the failure on main: open a bug with the right labels, assigned to this week's on-call engineer for the affected area, linking the failing run.",
  reference: {
    calls: [
      { tool: "list_ci_runs", args: { branch: "main" } },
      { tool: "get_ci_log", args: (c) => ({ runId: failedRun(c).runId }) },
      { tool: "get_commit", args: (c) => ({ sha: c.result("get_ci_log").commit }) },
      { tool: "get_oncall", args: (c) => ({ area: /^src\/([^/]+)\//.exec((c.result("get_commit").files as string[])[0]!)![1] }) },
      { tool: "list_labels", args: {} },
      {
        tool: "create_issue",
        args: (c) => {
          const log = c.result("get_ci_log");
          const commit = c.result("get_commit");
          const area = `area/${c.result("get_oncall").area}`;
          const labels = (c.result("list_labels") as Array<{ name: string }>).map((l) => l.name).filter((n) => n === "bug" || n === area);
          return {
            title: `${log.failedJob} failing on main since ${commit.sha}`,
            body: `${log.runId}: ${failureLine(c)}. Introduced by ${commit.sha} ("${commit.message}").`,
            labels,
            assignee: c.result("get_oncall").engineer,
          };
        },
      },
    ],
    answer: (c) => {
      const issue = c.result("create_issue");
      return `Opened ${issue.issueId} (${issue.labels.join(", ")}) assigned to ${issue.assignee}, on call for ${c.result("get_oncall").area}; it links ${c.result("get_ci_log").runId}.`;
    },
  },
  distractors: [{ tool: "search_issues", args: { query: "receipts" } }],
  expect: {
    answerIncludes: ["ISS-104", "Omar Haddad", "RUN-5120"],
    checks: {
      "assigned bug": ({ finalState }) =>
        finalState.issues["ISS-104"]?.assignee === "Omar Haddad" && finalState.issues["ISS-104"]!.labels.includes("area/checkout"),
    },
  },
  tags: ["ci", "issues", "write", "ids-from-results"],
});

export const branchFailureMultiTurn = defineScenario({
  id: "ops.branch-failure-multi-turn",
  title: "Ask which branch, then explain its CI failure",
  environment,
  task: "CI keeps failing on my branch. Can you tell me why?",
  user: defineUser({
    persona: "Ivo Petrov, a developer who assumes you know which branch he means",
    knows: [{ cues: ["branch"], says: "It's feature/search-cache." }],
  }),
  reference: {
    calls: [
      { ask: "Which branch are you working on?" },
      { tool: "list_ci_runs", args: (c) => ({ branch: c.fromUser(/feature\/[\w-]+/) }) },
      { tool: "get_ci_log", args: (c) => ({ runId: failedRun(c).runId }) },
    ],
    answer: (c) =>
      `${c.result("get_ci_log").runId} failed in ${c.result("get_ci_log").failedJob}: ${failureLine(c)}. Use ttlMs or remove it and the lint job passes.`,
  },
  distractors: [{ tool: "get_commit", args: { sha: "3fa9b70" } }],
  expect: { answerIncludes: ["RUN-5122", "facets.ts:41"] },
  tags: ["simulated-user", "ask-user", "ci", "read-only"],
});

/** Software operations scenarios, in a stable order. */
export const opsScenarios = [
  triageBuild,
  revertBadCommit,
  flakyIssue,
  commentOnDuplicate,
  rerunInfraFailure,
  configLookup,
  refuseMigrationRevert,
  triageAndAssign,
  branchFailureMultiTurn,
];
