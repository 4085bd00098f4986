#!/usr/bin/env node
// c1's launcher in the npm package: runs the binary of the package made for
// this platform (`<this package>-<platform>-<arch>`, an optional dependency
// npm installs on that platform alone), as esbuild and biome ship theirs.
// The binary gets this process's standard input and output as they are,
// so `npx c1-cli mcp serve` speaks MCP over stdio with nothing between.
"use strict";

const { spawnSync } = require("node:child_process");
const { name } = require("../package.json");

// npm installed the one package whose os, cpu and libc fit this machine:
// on Linux, the glibc build's or the musl build's.
const base = `${name}-${process.platform}-${process.arch}`;
const candidates = process.platform === "linux" ? [base, `${base}-musl`] : [base];
const exe = process.platform === "win32" ? "c1.exe" : "c1";
let binary;
for (const candidate of candidates) {
  try {
    binary = require.resolve(`${candidate}/bin/${exe}`);
    break;
  } catch {
    // not this one
  }
}
if (!binary) {
  console.error(
    `c1: no binary for ${process.platform} ${process.arch}: the package ${base} is not installed. ` +
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
