/** Resolved configuration. The host builds it from the environment and hands it to the worker. */
export interface Settings {
  /** Scan period of the pinning worker. */
  intervalMs: number;
  /** An open stream with more queued (delivered, not taken) notifications is slow. */
  slowThreshold: number;
  /** An open stream whose oldest queued notification is older than this is slow. */
  slowAgeMs: number;
  /** An open stream holding more taken, unreleased notifications is a hoarder. */
  heldThreshold: number;
  /** An open stream whose oldest held notification is older than this is a hoarder. */
  heldAgeMs: number;
  /** Consecutive scans of rising live count that make a stream `growing`. */
  growingScans: number;
  /** Live count a stream must reach before `growing` is considered. */
  growingMin: number;
  /** Keys pinned at once before the least recently pinned one is force-unpinned. */
  pinLimit: number;
  /** Time a full GC is given to deliver its callbacks before holdings count. */
  gcSettleMs: number;
  /** A closed stream's holdings are judged only by a full GC this long after the close. */
  closeGraceMs: number;
  /** Where JSON lines go; empty for none. */
  reportFile: string;
  logLevel: LogLevel;
  /** Frames kept per creation stack. 0 turns stack capture off. */
  stackDepth: number;
  /** Track release by garbage collection: 0 off, 1 every notification, N one in N. */
  gcSampleEvery: number;
  /** Frames under these path fragments are not the user's own code when picking a site. */
  ignoreSitePaths: string[];
  /** Working directory, to print sites relative to it. */
  cwd: string;
  /** Port of the Prometheus endpoint served by the pinning worker; 0 for none. */
  metricsPort: number;
  /** Address the metrics endpoint binds to. */
  metricsHost: string;
  /** Streams given their own metric series; the rest are summed per creation site. */
  metricsTopStreams: number;
  /** Keys the node lets this client keep pinned; 0 means the pin limit. */
  pinBudget: number;
  /** Percentage of the pin budget at which the worker warns. */
  budgetWarnPercent: number;
}

export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';

export const LOG_LEVELS: readonly LogLevel[] = ['silent', 'error', 'warn', 'info', 'debug'];

export const DEFAULT_SETTINGS: Settings = {
  intervalMs: 60_000,
  slowThreshold: 1000,
  slowAgeMs: 60_000,
  heldThreshold: 1000,
  heldAgeMs: 300_000,
  growingScans: 3,
  growingMin: 64,
  pinLimit: 1024,
  gcSettleMs: 500,
  closeGraceMs: 2000,
  reportFile: '',
  logLevel: 'info',
  stackDepth: 16,
  gcSampleEvery: 1,
  ignoreSitePaths: ['node_modules'],
  cwd: process.cwd(),
  metricsPort: 0,
  metricsHost: '127.0.0.1',
  metricsTopStreams: 20,
  pinBudget: 0,
  budgetWarnPercent: 80,
};
