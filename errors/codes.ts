/**
 * Every code a {@link TrajlabError} can carry, each with what it means. The
 * codes are stable: scripts match on them (`error.code === "RUN_NOT_FOUND"`),
 * and the {@link ErrorCode} union derived from this table makes a misspelt or
 * unlisted code a compile error at the `new TrajlabError(...)` that uses it.
 * A new kind of failure gets a new entry here, with its meaning.
 */
export const ERROR_CODES = {
  // Scenarios, environments and users, as their authors define them (scenarios/).
  BAD_TOOL: "defineTool was given a name a model cannot call (1-64 letters, digits, '_' or '-').",
  DUPLICATE_TOOL: "defineEnvironment was given two tools with the same name.",
  BAD_SCENARIO: "defineScenario was given an id that is not '<domain>.<name>' in lower case.",
  BAD_USER: "defineUser was given a fact with no non-empty cue.",
  PLAN_VALUE_MISSING: "A reference plan asked for a result or a user reply that has not happened yet (c.result, c.fromUser).",

  // Agents and models (agents/).
  BAD_AGENT: "defineAgent was given an id that cannot name a file, or no build function.",
  BAD_MODEL_SPEC: "A model spec (--model, --judge) is not '<provider>:<model>' or 'policy:<id>'.",
  UNKNOWN_POLICY: "A 'policy:<id>' model names a policy that is not loaded.",
  UNKNOWN_PROVIDER: "A '<provider>:<model>' spec names a provider initChatModel does not know.",
  PROVIDER_PACKAGE_MISSING: "A model's provider package (such as @langchain/anthropic) is not installed.",
  MISSING_API_KEY: "A model's provider needs an API key, and none of the environment variables that hold it is set.",
  MODEL_UNAVAILABLE: "A provider's chat model could not be created (its package failed to load, or its settings are wrong).",
  MODEL_CALL_TIMEOUT: "One attempt of a model call ran over its time limit (--call-timeout); it is retried like a rate limit.",
  MODEL_WITHOUT_TOOLS: "An agent needs a chat model that can call tools, and the one given cannot.",

  // Configuration and the catalog of scenarios, agents, policies and graders.
  CONFIG_NOT_FOUND: "The config file named by --config or TRAJLAB_CONFIG does not exist.",
  CONFIG_LOAD: "A config file, or a scenario module it names, failed to import.",
  CONFIG_INVALID: "A config file exports something other than a valid defineConfig({...}).",
  DUPLICATE_ID: "Two scenarios, agents, policies or graders in the catalog share an id.",
  NO_SCENARIOS: "The scenario filters (--scenario, --domain, --tag) match no scenario.",
  UNKNOWN_ID: "A flag names a scenario, agent, policy or grader that is not in the catalog.",

  // Graders (harness/graders/).
  UNKNOWN_GRADER: "A built-in grader was asked for by an id that does not exist.",
  BAD_GRADER: "A registered grader is not { id, description, grade }, or declares a label meaning that is not one (defineGrader).",
  DUPLICATE_GRADER: "Two registered graders share an id.",
  BAD_MATCH_MODE: "matchTrajectory was given an unknown mode, toolArgs or per-tool override.",
  ASYNC_MATCHER: "matchTrajectory was given an argument matcher that returns a promise (use matchTrajectoryAsync).",
  NO_TRAJECTORY: "matchTrajectory was given null or undefined for one side.",
  BAD_MATCH_INPUT: "matchTrajectory was given a value that is neither a trajectory, a reference plan, messages nor calls.",
  JUDGE_PROMPT: "An LLM judge's prompt file is missing or uses an unknown placeholder.",
  NO_JUDGES: "The LLM judge was given no model.",
  BAD_JUDGE: "The LLM judge was given an offline policy, which cannot read a trajectory.",

  // Running suites (harness/runner/, trajlab run).
  NO_MODELS: "A run was asked for with neither --policy nor --model.",
  SCENARIOS_INVALID: "A run was asked for scenarios that fail the checks of trajlab check (tools, argument schemas, the reference plan).",
  BAD_RUN_ID: "A run id (--run-id, or a manifest's runId) cannot name a folder: letters, digits, '.', '_' or '-' only, not '.' or '..'.",
  INVALID_TRAJECTORY: "A recorded trajectory failed its own schema before it was written (a tool returned data that is not JSON).",
  RUN_EXISTS: "The run folder asked for (--run-id) already exists; runs are never overwritten.",
  RUN_IN_USE: "Another trajlab process is writing the run (it holds run.lock).",
  RESUME_SETTINGS: "--resume was given with flags that would change the run's recorded settings.",
  RESUME_MISMATCH: "The run to resume cannot be continued as recorded: a scenario, agent or policy is missing or changed.",
  AGENT_BUILD_FAILED: "An agent's build function threw while building its graph for a trial (the user's code at fault).",
  AGENT_NOT_A_GRAPH: "An agent's build function returned something that cannot be invoked like a graph.",
  LOCK_LOST: "A run's lock could not be refreshed in time while the run was written, so another process may have taken it.",
  SHARD_WITHOUT_RUN_ID:
    "trajlab run --shard was given without --run-id: the shards of a suite must share one run id to merge into one run.",
  MERGE_MISMATCH:
    "trajlab merge was given runs that are not parts of one plan (other settings, scenarios, run ids or shard counts), or runs that were not run.",
  MERGE_OVERLAP: "trajlab merge was given runs that recorded the same trials (the same shard twice, or a run beside its own shard).",
  WORKER_FAILED: "A worker thread running trials (--workers) stopped or could not load the catalog; the run stops as on any fatal error.",

  RESUME_IMPORTED: "--resume was given a run of imported trajectories, which was never run and has nothing to resume.",

  // Importing other systems' logs (harness/import/, trajlab import).
  UNKNOWN_FORMAT: "trajlab import was given a format it does not have.",
  BAD_IMPORT: "A record of an imported file does not match its format (the message names the file, record and field).",
  NOTHING_TO_IMPORT: "The files given to trajlab import hold no records of the format.",
  IMPORT_INVALID: "An importer made a trajectory that fails the schema (a bug in the importer).",
  BAD_EFFECTS: 'An --effects file is not a JSON object of tool name to "read" or "write".',
  PORT_IN_USE: "trajlab collect could not listen: another program holds the port given with --port.",
  CANNOT_LISTEN:
    "trajlab collect could not listen on the --host and --port given (not an address of this machine, or a port it may not use).",

  // The file system (harness/store/fs-errors.ts): the user's environment, not a bug.
  FS_PERMISSION: "A file or folder could not be written or read: permission denied, or a read-only file system.",
  FS_NOT_A_FOLDER: "Part of a path is a file where a folder was expected (e.g. --runs-dir names a file).",
  FS_NOT_A_FILE: "A path is a folder where a file was expected.",
  FS_MISSING: "A file or folder that trajlab was about to use does not exist.",
  DISK_FULL: "The disk is full (or a quota exceeded) while writing; what was written before is kept.",
  FS_TOO_MANY_OPEN: "The process or the system has too many open files.",
  FS_PATH_TOO_LONG: "A path is longer than the file system allows.",

  // Run files (harness/store/).
  NO_RUNS: "There is no run to read in the runs folder.",
  RUN_NOT_FOUND: "No run has the id or path given.",
  FILE_MISSING: "A run file that should exist does not, or cannot be read.",
  BAD_JSON: "A JSON file (manifest.json, summary.json) is not valid JSON.",
  BAD_FILE: "A JSON file does not match its format.",
  BAD_JSONL_LINE: "A line of a JSONL file is not valid JSON or does not match its format.",
  BAD_TRAJECTORY: "A line of trajectories.jsonl is not a trajectory.",
  DUPLICATE_TRAJECTORY: "Two trajectories under review share an id.",
  DUPLICATE_TRAJECTORY_ID: "A run's trajectories.jsonl records one trajectory id on more than one line.",

  // Experiments that re-run agents (harness/experiments/).
  NO_POLICY: "Grader validation needs a policy that is not loaded.",
  NO_AGENT: "Grader validation needs an agent that is not loaded.",
  REPLAY_TARGET: "A replay was asked to skip an event that is not a tool call of the trajectory.",
  REPLAY_AGENT: "A replay needs the agent that recorded the trajectory, and it is not loaded.",
  REPLAY_MODEL: "A replay needs the model that recorded the trajectory, and the trajectory does not name one (it was imported).",
  REPLAY_STATE: "A replay could not rebuild the environment: recorded calls gave other results when applied again.",
  REPLAY_UNSUPPORTED: "A call cannot be replayed without: no recorded model call asked for it, or one before it failed.",
  REPLAY_DIVERGED: "A replay did not repeat the recorded run up to the skipped call.",

  // Reviews (reviews/, trajlab review).
  BAD_REVIEWER: "A reviewer name cannot name a file.",
  REVIEW_IN_USE: "Another trajlab review has the reviewer's file open.",
  REVIEW_FILE_CLOSED: "A review was recorded to a reviewer file that was already closed.",
  UNKNOWN_TRAJECTORY: "A review names a trajectory that is not among the runs under review.",
  STILL_INDEXING: "A trajectory's grades were asked for before the review had read the grades of its runs.",
  UNKNOWN_RUN: "A review names a run that is not under review.",
  BAD_REVIEW: "A review record does not match its format.",
  NOT_A_TERMINAL: "trajlab review was started without an interactive terminal.",
  BAD_OVERLAP: "trajlab assign was asked for more (or fewer) reviewers per trajectory than there are reviewers.",
  ASSIGNMENT_EXISTS: "trajlab assign was asked to assign a run that already has an assignment, without --replace.",
  NOT_AN_ADJUDICATOR: "trajlab review --adjudicate was started by a reviewer the run does not name adjudicator.",
  UNKNOWN_EXPORT_KIND: "trajlab export was asked for a kind of output it does not write.",

  // Command line (cli/).
  BAD_ARGUMENT: "A command was given an argument it does not take.",
  CHECK_FAILED: "trajlab check found problems in the scenarios.",
} as const satisfies Record<string, string>;

/** A stable error code: one of the keys of {@link ERROR_CODES}. */
export type ErrorCode = keyof typeof ERROR_CODES;
