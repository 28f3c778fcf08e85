import { runCli } from './cli.js';

// The bin entry: everything lives in cli.ts so tests can run it in-process.
const code = await runCli(process.argv.slice(2));
process.exitCode = code;
// Let pending stdout drain, then leave even if a stray handle lingers.
setImmediate(() => process.exit(code));
