import { writeFileSync } from 'node:fs';
import type { Section } from './section';

/** What every subject is told by the runner. */
export interface SubjectOptions {
  /** Smoke run: small sizes, few repeats; figures are not for the table of goals. */
  quick: boolean;
  /** Run the heap-snapshot comparison at the real 200 MB and 800 MB (minutes, GBs of RSS). */
  heapSnapshotFull: boolean;
}

export function readSubjectOptions(argv: readonly string[]): SubjectOptions & { out: string } {
  const outIndex = argv.indexOf('--out');
  return {
    quick: argv.includes('--quick'),
    heapSnapshotFull: argv.includes('--heap-snapshot-full'),
    out: outIndex >= 0 ? (argv[outIndex + 1] ?? '') : '',
  };
}

/**
 * The entry of a `<subject>.bench.js` child process: runs the subject and writes its
 * section as JSON to the `--out` file (or stdout). Each subject gets a process of its own,
 * so the agent's global state, rxjs-spy's patches and heap growth never leak across.
 */
export function runSubject(measure: (options: SubjectOptions) => Promise<Section>): void {
  const options = readSubjectOptions(process.argv.slice(2));
  measure(options).then(
    (section) => {
      const json = JSON.stringify(section);
      if (options.out === '') process.stdout.write(`${json}\n`);
      else writeFileSync(options.out, json);
      // Workers, timers and the agent may linger; the figures are written, so end here.
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
