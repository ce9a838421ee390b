import { mapSourcePosition } from 'source-map-support';

/** A generated position to map; line 1-based, column 0-based as source-map-support wants. */
export interface GeneratedPosition {
  line: number;
  column: number;
}

/** Where a generated position came from, or null when the map does not cover it. */
export type OriginalPosition = { source: string; line: number; column: number } | null;

export interface SymbolicateTask {
  file: string;
  positions: GeneratedPosition[];
}

/**
 * Maps positions of one generated file through its source map. It runs in the piscina
 * thread for large maps, so their parse (seconds for tens of MB) never stalls the pinning
 * worker, and on the pinning worker itself for small ones. It never throws.
 */
export function symbolicate(task: SymbolicateTask): OriginalPosition[] {
  return task.positions.map((position) => {
    try {
      const mapped = mapSourcePosition({ source: task.file, ...position });
      if (!mapped || mapped.source === task.file) return null;
      return { source: mapped.source, line: mapped.line, column: mapped.column };
    } catch {
      return null;
    }
  });
}
