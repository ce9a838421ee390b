/** How the simulated node runs; every field has a DEMO_* variable. */
export interface NodeSettings {
  seconds: number;
  blockMs: number;
  burstEveryMs: number;
  burstBlocks: number;
  burstSpacingMs: number;
  bodyKb: number;
  slowWorkMs: number;
  initialSyncBlocks: number;
  statusMs: number;
  pinLimit: number;
}

const DEFAULTS: NodeSettings = {
  seconds: 20,
  blockMs: 250,
  burstEveryMs: 6000,
  burstBlocks: 24,
  burstSpacingMs: 10,
  bodyKb: 64,
  slowWorkMs: 120,
  initialSyncBlocks: 8,
  statusMs: 1000,
  pinLimit: 1024,
};

const VARIABLES: Record<keyof NodeSettings, string> = {
  seconds: 'DEMO_SECONDS',
  blockMs: 'DEMO_BLOCK_MS',
  burstEveryMs: 'DEMO_BURST_EVERY_MS',
  burstBlocks: 'DEMO_BURST_BLOCKS',
  burstSpacingMs: 'DEMO_BURST_SPACING_MS',
  bodyKb: 'DEMO_BODY_KB',
  slowWorkMs: 'DEMO_SLOW_WORK_MS',
  initialSyncBlocks: 'DEMO_INITIAL_SYNC_BLOCKS',
  statusMs: 'DEMO_STATUS_MS',
  pinLimit: 'DEMO_PIN_LIMIT',
};

/** Reads the DEMO_* variables; a bad value is said in one line and the default is used. */
export function readNodeSettings(env: NodeJS.ProcessEnv): NodeSettings {
  const settings = { ...DEFAULTS };
  for (const key of Object.keys(VARIABLES) as (keyof NodeSettings)[]) {
    const name = VARIABLES[key];
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') continue;
    const value = Number(raw);
    if (Number.isFinite(value) && value > 0) {
      settings[key] = value;
      continue;
    }
    console.error(`demo: ${name}=${raw} must be a positive number; using ${DEFAULTS[key]}`);
  }
  return settings;
}
