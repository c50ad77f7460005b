/**
 * What `trajlab` costs to start: CPU time (user + system) of `trajlab
 * --version`, `--help` and `trajlab <command> --help` for every command
 * (which loads that command's declaration alone), against `node -e 0`
 * measured the same way in the same run. Each
 * process reports its own CPU time when it exits (a one-line module loaded
 * with --import into every one of them, the baseline included), so the figure
 * is the program's alone, whatever else the machine is doing; wall time is
 * printed beside it. Medians of several runs.
 *
 * Leaves out: the shell's fork and exec, and the terminal drawing the output.
 *
 *   npx tsx bench/start-up.ts [runs]
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { COMMANDS } from "../cli/main.js";

const BIN = resolve(import.meta.dirname, "../bin/trajlab.js");
const RUNS = Number(process.argv[2] ?? 9);
const PROBE = `data:text/javascript,process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write("\\ncpu-us "+(u.user+u.system)+"\\n")})`;

interface Cost {
  readonly cpuMs: number;
  readonly wallMs: number;
}

function cost(args: string[]): Cost {
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, ["--import", PROBE, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    wall.push(performance.now() - started);
    const reported = /cpu-us (\d+)/.exec(result.stderr);
    if (!reported) throw new Error(`${args.join(" ")} reported no CPU time:\n${result.stderr}`);
    cpu.push(Number(reported[1]) / 1000);
  }
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { cpuMs: median(cpu), wallMs: median(wall) };
}

const baseline = cost(["-e", "0"]);
const cases: [string, string[]][] = [
  ["trajlab --version", [BIN, "--version"]],
  ["trajlab --help", [BIN, "--help"]],
  ...Object.keys(COMMANDS).map((name): [string, string[]] => [`trajlab ${name} --help`, [BIN, name, "--help"]]),
];
console.log(`node -e 0: ${baseline.cpuMs.toFixed(0)} ms CPU, ${baseline.wallMs.toFixed(0)} ms wall (median of ${RUNS})`);
console.log(`${"command".padEnd(33)} CPU ms   × node -e 0   wall ms`);
for (const [name, args] of cases) {
  const measured = cost(args);
  console.log(
    `${name.padEnd(33)} ${measured.cpuMs.toFixed(0).padStart(6)}   ${(measured.cpuMs / baseline.cpuMs).toFixed(2).padStart(10)}x   ${measured.wallMs.toFixed(0).padStart(7)}`,
  );
}
console.log("target: --version and --help ≤ 150 ms CPU (a command's own --help: the same, since it loads no command code)");
