#!/usr/bin/env node
// The `crucible` launcher: registers tsx (the repository runs TypeScript through tsx) and runs
// the CLI from its sources. `npx crucible --help` after `npm ci` at the repository root.
"use strict";
/* eslint-disable @typescript-eslint/no-require-imports */
require("tsx/cjs");
require("../src/index.ts");
