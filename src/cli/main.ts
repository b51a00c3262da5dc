#!/usr/bin/env node
import fs from 'node:fs';
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { CliExit, EXIT_CONFIG } from './run.js';

// A .env file in the working directory fills in what the environment does not set.
if (fs.existsSync('.env')) process.loadEnvFile('.env');

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version exit 0; a usage error already printed its message.
    process.exitCode = error.exitCode === 0 ? 0 : EXIT_CONFIG;
  } else if (!(error instanceof CliExit)) {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 70;
  }
}
