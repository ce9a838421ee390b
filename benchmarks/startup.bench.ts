import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Row, Section } from './section';
import type { SubjectOptions } from './subject';
import { nowNs } from './harness';
import { spreadOf } from './stats';
import { runSubject } from './subject';

const ROOT = resolve(__dirname, '..', '..');
const REGISTER = join(ROOT, 'dist', 'src', 'main', 'register.js');
const APP = join(__dirname, 'startup-app.js');

interface Launch {
  name: string;
  args: string[];
  pinwatch: string | null;
}

const LAUNCHES: Launch[] = [
  { name: 'no preload (baseline)', args: [APP], pinwatch: null },
  {
    name: '--require pinwatch/register, PINWATCH=0',
    args: ['--require', REGISTER, APP],
    pinwatch: '0',
  },
  {
    name: '--require pinwatch/register, PINWATCH=1, nothing tracked',
    args: ['--require', REGISTER, APP],
    pinwatch: '1',
  },
  {
    name: 'no preload, app tracks one stream (agent off)',
    args: [APP, 'track'],
    pinwatch: null,
  },
  {
    name: '--require pinwatch/register, PINWATCH=1, app tracks one stream (worker starts)',
    args: ['--require', REGISTER, APP, 'track'],
    pinwatch: '1',
  },
];

/** Wall time of one launch to exit, in ms; throws if the child failed or hung. */
function launch(entry: Launch): number {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '' };
  delete env.PINWATCH;
  if (entry.pinwatch !== null) env.PINWATCH = entry.pinwatch;
  const start = nowNs();
  const child = spawnSync(process.execPath, entry.args, {
    env,
    stdio: 'ignore',
    timeout: 20_000,
    killSignal: 'SIGKILL',
  });
  const elapsed = (nowNs() - start) / 1e6;
  if (child.status !== 0) throw new Error(`${entry.name}: exited ${child.status} ${child.signal}`);
  return elapsed;
}

async function measure(options: SubjectOptions): Promise<Section> {
  const rounds = options.quick ? 2 : 5;
  const perRound = options.quick ? 2 : 6;
  const times: number[][] = LAUNCHES.map(() => []);
  for (const entry of LAUNCHES) launch(entry);
  for (let round = 0; round < rounds; round++) {
    const sums = LAUNCHES.map(() => [] as number[]);
    for (let run = 0; run < perRound; run++) {
      const shift = (round * perRound + run) % LAUNCHES.length;
      for (let k = 0; k < LAUNCHES.length; k++) {
        const index = (k + shift) % LAUNCHES.length;
        sums[index].push(launch(LAUNCHES[index]));
      }
    }
    sums.forEach((values, index) => times[index].push(spreadOf(values).median));
  }
  const rows: Row[] = LAUNCHES.map((entry, index) => {
    const base = index >= 3 ? times[3] : times[0];
    const added = spreadOf(times[index].map((ms, round) => ms - base[round]));
    const row: Row = {
      measure: entry.name,
      unit: 'ms to exit',
      value: spreadOf(times[index]),
      ratio: spreadOf(times[index].map((ms, round) => ms / base[round])),
      added,
    };
    if (index === 1) {
      row.goal = 'within noise of no preload (±3 ms)';
      row.met = Math.abs(added.median) <= 3;
    }
    return row;
  });
  return {
    subject: 'startup',
    title: 'Start-up cost of the preload',
    method:
      `Wall time from spawn to exit of a node process running an empty app (or one that ` +
      `tracks a single stream), ${perRound} launches per variant per round in rotating ` +
      `order, the round's median per variant, median [min-max] of ${rounds} rounds. ` +
      'Ratio and +ms against no preload in the same round (the tracking rows: against the ' +
      'same app without preload).',
    rows,
    notes: [],
  };
}

runSubject(measure);
