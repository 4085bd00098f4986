#!/usr/bin/env node
// c1's launcher in the npm package: runs the binary of the package made for
// this platform (`<this package>-<platform>-<arch>`, an optional dependency
// npm installs on that platform alone), as esbuild and biome ship theirs.
// The binary gets this process's standard input and output as they are,
// so `npx c1-cli mcp serve` speaks MCP over stdio with nothing between.
"use strict";

const { spawnSync } = require("node:child_process");
const { name } = require("../package.json");

function musl() {
  if (process.platform !== "linux") return false;
  const report = process.report && process.report.getReport();
  return Boolean(report && report.header && !report.header.glibcVersionRuntime);
}

const target = `${name}-${process.platform}-${process.arch}${musl() ? "-musl" : ""}`;
const exe = process.platform === "win32" ? "c1.exe" : "c1";
let binary;
try {
  binary = require.resolve(`${target}/bin/${exe}`);
} catch {
  console.error(
    `c1: no binary for ${process.platform} ${process.arch}: the package ${target} is not installed. ` +
      "npm installs it with this one unless optional dependencies are left out (--omit=optional); " +
      "if c1 is released for this platform, install again without that."
  );
  process.exit(1);
}

const run = spawnSync(binary, process.argv.slice(2), { stdio: "inherit", windowsHide: true });
if (run.error) {
  console.error(`c1: cannot run ${binary}: ${run.error.message}`);
  process.exit(1);
}
if (run.signal) {
  process.kill(process.pid, run.signal);
}
process.exit(run.status === null ? 1 : run.status);
