#!/usr/bin/env node
// The CLI's entry: its TypeScript source runs through tsx (as the repo's tools do).
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv.slice(2));
