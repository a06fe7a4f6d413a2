#!/usr/bin/env node
// ci-medic command line: one verb per module under src/cli/, loaded on demand so `lint` never
// pays for the server's dependencies.
import { processIo, UsageError, type CliCommand } from './cli/io.js';

interface LoadedCommand {
  run: CliCommand;
  usage: string;
}

const COMMANDS: Record<string, { summary: string; load: () => Promise<LoadedCommand> }> = {
  serve: { summary: 'run the webhook service', load: async () => { const m = await import('./cli/serve.js'); return { run: m.serve, usage: m.USAGE }; } },
  lint: { summary: 'lint CI files and Dockerfiles offline', load: async () => { const m = await import('./cli/lint.js'); return { run: m.lint, usage: m.USAGE }; } },
  diagnose: { summary: 'explain a saved job log', load: async () => { const m = await import('./cli/diagnose.js'); return { run: m.diagnose, usage: m.USAGE }; } },
  config: { summary: 'print the effective (merged) CI configuration', load: async () => { const m = await import('./cli/config.js'); return { run: m.config, usage: m.USAGE }; } },
  tasks: { summary: 'list queued, failed and dead-letter tasks', load: async () => { const m = await import('./cli/tasks.js'); return { run: m.tasks, usage: m.USAGE }; } },
  hooks: { summary: 'register the webhook and show its deliveries', load: async () => { const m = await import('./cli/hooks.js'); return { run: m.hooks, usage: m.USAGE }; } },
  replay: { summary: 'deliver a saved webhook payload again', load: async () => { const m = await import('./cli/replay.js'); return { run: m.replay, usage: m.USAGE }; } },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: ci-medic <command> [options]\n       ci-medic --version\n\ncommands:\n${lines.join('\n')}\n`;
}

export async function runCli(argv: string[]): Promise<number> {
  const io = processIo();
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    // Read, not imported: a JSON import would need the whole package.json parsed as a module anyway.
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    io.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`ci-medic: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  const loaded = await command.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${loaded.usage}\n`);
    return 0;
  }
  try {
    return await loaded.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`ci-medic ${name}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

runCli(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`ci-medic: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
