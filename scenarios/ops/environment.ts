import * as z from "zod";
import { defineEnvironment, defineTool, ToolFailure } from "../define.js";
import { opsData } from "./data.js";

export interface Commit {
  sha: string;
  branch: string;
  author: string;
  date: string;
  message: string;
  files: string[];
}

export interface CiRun {
  id: string;
  branch: string;
  commit: string;
  status: "passed" | "failed" | "queued";
  failedJob: string | null;
  startedAt: string;
  log: string;
  /** The run this one re-runs, for re-runs. */
  rerunOf?: string;
}

export interface Issue {
  id: string;
  title: string;
  status: "open" | "closed";
  labels: string[];
  assignee: string | null;
  comments: string[];
  body?: string;
}

/** A software team's repository, CI and issue tracker. */
export interface OpsState {
  today: string;
  repository: string;
  commits: Record<string, Commit>;
  runs: Record<string, CiRun>;
  issues: Record<string, Issue>;
  labels: Array<{ name: string; description: string }>;
  oncall: Record<string, { area: string; engineer: string; handle: string }>;
  files: Record<string, string>;
  reverts: Array<{ revertSha: string; reverted: string; reason: string }>;
}

function commit(state: OpsState, sha: string): Commit {
  const found = state.commits[sha];
  if (!found) throw new ToolFailure(`commit ${sha} not found`);
  return found;
}

const listCiRuns = defineTool({
  name: "list_ci_runs",
  description: "CI runs of a branch, newest first, with commit, status and the failed job.",
  args: z.object({ branch: z.string() }),
  effect: "read",
  run: ({ branch }, state: OpsState) => {
    const runs = Object.values(state.runs).filter((r) => r.branch === branch);
    if (runs.length === 0) throw new ToolFailure(`no CI runs on branch ${branch}`);
    return runs
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
      .map(({ id, commit: sha, status, failedJob, startedAt }) => ({ runId: id, commit: sha, status, failedJob, startedAt }));
  },
});

const getCiLog = defineTool({
  name: "get_ci_log",
  description: "The log of a CI run's failed job (or summary of a passing run).",
  args: z.object({ runId: z.string() }),
  effect: "read",
  run: ({ runId }, state: OpsState) => {
    const run = state.runs[runId];
    if (!run) throw new ToolFailure(`run ${runId} not found`);
    return { runId, branch: run.branch, commit: run.commit, status: run.status, failedJob: run.failedJob, log: run.log };
  },
});

const rerunCi = defineTool({
  name: "rerun_ci",
  description: "Queue a failed CI run again on the same commit.",
  args: z.object({ runId: z.string() }),
  effect: "write",
  run: ({ runId }, state: OpsState) => {
    const run = state.runs[runId];
    if (!run) throw new ToolFailure(`run ${runId} not found`);
    if (run.status !== "failed") throw new ToolFailure(`run ${runId} is ${run.status}; only failed runs can be re-run`);
    const id = `RUN-${5122 + Object.values(state.runs).filter((r) => r.rerunOf).length + 1}`;
    state.runs[id] = {
      id,
      branch: run.branch,
      commit: run.commit,
      status: "queued",
      failedJob: null,
      startedAt: `${state.today}T12:00`,
      log: "",
      rerunOf: runId,
    };
    return { runId: id, rerunOf: runId, status: "queued" };
  },
});

const getCommit = defineTool({
  name: "get_commit",
  description: "A commit's author, date, message and changed files.",
  args: z.object({ sha: z.string().min(6) }),
  effect: "read",
  run: ({ sha }, state: OpsState) => commit(state, sha),
});

const readFile = defineTool({
  name: "read_file",
  description: "Read a file of the repository at the head of main.",
  args: z.object({ path: z.string() }),
  effect: "read",
  run: ({ path }, state: OpsState) => {
    const content = state.files[path];
    if (content === undefined) throw new ToolFailure(`no file ${path}; files: ${Object.keys(state.files).join(", ")}`);
    return { path, content };
  },
});

const revertCommit = defineTool({
  name: "revert_commit",
  description: "Push a commit to main that reverts the given commit.",
  args: z.object({ sha: z.string().min(6), reason: z.string().min(1) }),
  effect: "write",
  run: ({ sha, reason }, state: OpsState) => {
    const target = commit(state, sha);
    if (target.branch !== "main") throw new ToolFailure(`${sha} is on ${target.branch}, not main`);
    if (state.reverts.some((r) => r.reverted === sha)) throw new ToolFailure(`${sha} is already reverted`);
    const revertSha = `r${sha.slice(0, 6)}`;
    state.reverts.push({ revertSha, reverted: sha, reason });
    return { revertSha, reverted: sha };
  },
});

const searchIssues = defineTool({
  name: "search_issues",
  description: "Search issues (open and closed) by words in the title.",
  args: z.object({ query: z.string().min(2) }),
  effect: "read",
  run: ({ query }, state: OpsState) => {
    const words = query.toLowerCase().split(/\s+/);
    return Object.values(state.issues)
      .filter((i) => words.every((w) => i.title.toLowerCase().includes(w)))
      .map(({ id, title, status, labels, assignee }) => ({ issueId: id, title, status, labels, assignee }));
  },
});

const listLabels = defineTool({
  name: "list_labels",
  description: "The labels issues can carry, with what each is for.",
  args: z.object({}),
  effect: "read",
  run: (_args, state: OpsState) => state.labels,
});

const getOncall = defineTool({
  name: "get_oncall",
  description: "Who is on call this week for an area of the code (checkout, payments, search).",
  args: z.object({ area: z.string() }),
  effect: "read",
  run: ({ area }, state: OpsState) => {
    const found = state.oncall[area];
    if (!found) throw new ToolFailure(`no on-call rota for ${area}; areas: ${Object.keys(state.oncall).join(", ")}`);
    return found;
  },
});

const createIssue = defineTool({
  name: "create_issue",
  description: "Open an issue. Labels must be existing label names.",
  args: z.object({
    title: z.string().min(5),
    body: z.string().min(1),
    labels: z.array(z.string()).min(1),
    assignee: z.string().optional(),
  }),
  effect: "write",
  run: ({ title, body, labels, assignee }, state: OpsState) => {
    const unknown = labels.filter((l) => !state.labels.some((known) => known.name === l));
    if (unknown.length > 0) throw new ToolFailure(`unknown label(s) ${unknown.join(", ")}`);
    const id = `ISS-${100 + Object.keys(state.issues).length + 1}`;
    state.issues[id] = { id, title, body, status: "open", labels: [...labels].sort(), assignee: assignee ?? null, comments: [] };
    return { issueId: id, title, labels: state.issues[id]!.labels, assignee: assignee ?? null };
  },
});

const commentIssue = defineTool({
  name: "comment_issue",
  description: "Add a comment to an existing issue.",
  args: z.object({ issueId: z.string(), body: z.string().min(1) }),
  effect: "write",
  run: ({ issueId, body }, state: OpsState) => {
    const issue = state.issues[issueId];
    if (!issue) throw new ToolFailure(`issue ${issueId} not found`);
    issue.comments.push(body);
    return { issueId, comments: issue.comments.length };
  },
});

/** Software operations: CI, commits, files and issues of one repository. */
export const opsEnvironment = defineEnvironment<OpsState>({
  id: "ops",
  description: "A software team's repository (northwind/shop-api): CI runs and logs, commits, files, issues, labels and the on-call rota.",
  instructions: [
    "You are an operations assistant for the northwind/shop-api repository. Today is 2026-11-20.",
    "Use the tools to investigate and act; quote run ids, commit shas and issue ids exactly.",
    "Rules: never revert a commit that touches migrations/ (database changes are rolled forward by the DBA team);",
    "search for an existing issue before opening a new one, and comment on it instead of opening a duplicate;",
    "re-run CI only when a failure is caused by infrastructure, not by the code.",
    "Finish with a short answer that states what you found and did.",
  ].join("\n"),
  initialState: opsData,
  tools: [listCiRuns, getCiLog, rerunCi, getCommit, readFile, revertCommit, searchIssues, listLabels, getOncall, createIssue, commentIssue],
});
