#!/usr/bin/env node
// The `planner` command. Node 24 runs the TypeScript sources directly.
import { main } from "../src/main.ts";
import { nodeIo } from "../src/io.ts";

process.exitCode = await main(process.argv.slice(2), nodeIo());
