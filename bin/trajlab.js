#!/usr/bin/env node
// trajlab's command line. The project is TypeScript; tsx compiles it on the fly
// (and loads users' trajlab.config.ts the same way), so there is no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
