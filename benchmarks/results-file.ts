import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { format, resolveConfig } from 'prettier';
import type { Row, Section } from './section';
import { formatSpread } from './stats';

/** Where and when the suite ran; written at the top of both result files. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  platform: string;
  loadAverage: number[];
}

export interface SuiteResults {
  date: string;
  mode: 'full' | 'quick';
  command: string;
  machine: Machine;
  seconds: number;
  sections: Section[];
}

export function describeMachine(): Machine {
  const cores = cpus();
  return {
    cpu: cores[0]?.model.trim() ?? 'unknown',
    cores: cores.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: loadavg(),
  };
}

function verdict(row: Row): string {
  if (row.met === true) return 'met';
  if (row.met === false) return '**missed**';
  return '';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function tableOf(section: Section, judged: boolean): string[] {
  const lines = [
    '| Measure | Median [min-max] | Unit | x baseline | + over baseline | Goal | |',
    '|---|---:|---|---:|---:|---|---|',
  ];
  for (const row of section.rows) {
    const value = row.value === null ? (row.note ?? 'not measured') : formatSpread(row.value);
    const ratio = row.ratio ? formatSpread(row.ratio) : '';
    const added = row.added ? formatSpread(row.added) : '';
    const goal = row.goal ?? '';
    const cells = [row.measure, value, row.unit, ratio, added, goal, judged ? verdict(row) : ''];
    lines.push(`| ${cells.map(cell).join(' | ')} |`);
  }
  return lines;
}

/** The Markdown page: machine and date, then one table per subject with its method. */
export function formatResults(results: SuiteResults): string {
  const { machine } = results;
  const lines = [
    '# pinwatch benchmark results',
    '',
    'Written by `npm run bench` (benchmarks/run.ts); nothing here is edited by hand.',
    '',
    `- Date: ${results.date}`,
    `- Mode: ${results.mode} (\`${results.command}\`), ${Math.round(results.seconds)} s`,
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, ` +
      `${machine.platform}, Node ${machine.node}`,
    `- Load average at start: ${machine.loadAverage.map((load) => load.toFixed(2)).join(', ')}`,
    '',
    'Each figure is a median over repeats with [min-max]; "x baseline" and "+ over baseline" ' +
      'are taken per round against the baseline measured in the same round. How each table ' +
      'was measured is said under its title.',
  ];
  if (results.mode === 'quick') {
    lines.push(
      '',
      '**Quick mode**: small sizes and few repeats; a smoke run, so no goal is judged.',
    );
  }
  for (const section of results.sections) {
    lines.push('', `## ${section.title}`, '', section.method, '');
    if (section.error !== undefined) {
      lines.push(`**Not measured: the subject failed**: ${section.error}`);
      continue;
    }
    lines.push(...tableOf(section, results.mode === 'full'));
    for (const note of section.notes) lines.push('', `- ${note}`);
    if (section.seconds !== undefined) lines.push('', `_${Math.round(section.seconds)} s_`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Writes both files. The JSON goes through the repo's prettier settings, so `prettier
 * --check .` passes on whatever a run left behind (prettier is a dev dependency, as the
 * benchmarks are).
 */
export async function writeResults(results: SuiteResults, markdownPath: string, jsonPath: string) {
  writeFileSync(markdownPath, formatResults(results));
  const json = JSON.stringify(results, null, 2);
  const config = (await resolveConfig(jsonPath)) ?? {};
  writeFileSync(jsonPath, await format(json, { ...config, parser: 'json' }));
}
