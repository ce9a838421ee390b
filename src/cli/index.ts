#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { renderHtmlPage } from './html-page';
import { readRun } from './read-run';
import { summarise } from './run-summary';
import { formatTerminalSummary } from './terminal-table';

const USAGE = 'usage: pinwatch report <file.jsonl> [-o report.html]\n';
/** Bad lines named on stderr at most; the rest are counted. */
const PROBLEMS_SHOWN = 20;

/** Exit codes: 0 all lines used, 1 some lines left out (report still written), 2 unusable. */
export function main(argv: string[]): number {
  const [command, ...rest] = argv;
  if (command === '-h' || command === '--help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command !== 'report') return fail(`unknown command ${JSON.stringify(command ?? '')}`);
  const args = parseReportArgs(rest);
  if (typeof args === 'string') return fail(args);

  let text: string;
  try {
    text = readFileSync(args.input, 'utf8');
  } catch (error) {
    return fail(`cannot read ${args.input}: ${(error as Error).message}`, false);
  }
  const run = readRun(text);
  for (const problem of run.problems.slice(0, PROBLEMS_SHOWN)) {
    process.stderr.write(`pinwatch: ${args.input}:${problem.line}: ${problem.message}\n`);
  }
  if (run.problems.length > PROBLEMS_SHOWN) {
    process.stderr.write(`pinwatch: ... ${run.problems.length - PROBLEMS_SHOWN} more bad lines\n`);
  }
  if (run.problems.length > 0) {
    process.stderr.write(
      `pinwatch: ${run.problems.length} bad lines left out; ${run.lines.length} good lines used\n`,
    );
  }

  const summary = summarise(run);
  process.stdout.write(formatTerminalSummary(summary));
  if (args.output !== '') {
    try {
      writeFileSync(args.output, renderHtmlPage(summary, basename(args.input), run.problems));
    } catch (error) {
      return fail(`cannot write ${args.output}: ${(error as Error).message}`, false);
    }
    process.stdout.write(`report page written to ${args.output}\n`);
  }
  return run.problems.length > 0 ? 1 : 0;
}

function parseReportArgs(args: string[]): { input: string; output: string } | string {
  let input = '';
  let output = '';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-o' || arg === '--output') {
      output = args[++i] ?? '';
      if (output === '') return `${arg} needs a file name`;
    } else if (arg.startsWith('-')) {
      return `unknown option ${arg}`;
    } else if (input === '') {
      input = arg;
    } else {
      return `one report file at a time, got also ${arg}`;
    }
  }
  return input === '' ? 'no report file given' : { input, output };
}

function fail(message: string, showUsage = true): number {
  process.stderr.write(`pinwatch: ${message}\n${showUsage ? USAGE : ''}`);
  return 2;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
