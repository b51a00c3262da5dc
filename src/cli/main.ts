#!/usr/bin/env node
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { CliExit, EXIT_CONFIG } from './run.js';

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
