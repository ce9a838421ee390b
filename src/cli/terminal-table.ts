import type { RunSummary } from './run-summary';

/** Rows of the worst-streams table. */
const TABLE_ROWS = 15;
/** Sites longer than this are cut from the left, keeping the file's own name. */
const SITE_WIDTH = 56;

/** The run in a few lines and a table of its worst streams, for a terminal. */
export function formatTerminalSummary(summary: RunSummary): string {
  const lines: string[] = [];
  const span = summary.scans === 0 ? 'no scans' : `${summary.scans} scans`;
  const from = summary.from > 0 ? new Date(summary.from).toISOString() : '-';
  const to = summary.to > 0 ? new Date(summary.to).toISOString() : '-';
  lines.push(`pinwatch run ${from} .. ${to}: ${span}, ${summary.findings.length} findings`);
  lines.push(
    `pinned keys ${summary.pinnedKeys}/${summary.pinLimit}, evictions ${summary.evictions}, ` +
      `budget warnings ${summary.budgetWarnings.length}, dropped records ${summary.dropped}`,
  );
  if (summary.streams.length === 0) {
    lines.push('no streams recorded');
    return `${lines.join('\n')}\n`;
  }
  const header = ['stream', 'label', 'peak', 'last', 'backlog', 'findings', 'site'];
  const rows = summary.streams
    .slice(0, TABLE_ROWS)
    .map((stream) => [
      `#${stream.stream}${stream.closed ? ' (closed)' : ''}`,
      stream.label,
      String(stream.peakLive),
      String(stream.lastLive),
      String(stream.lastBacklog),
      stream.kinds.join(',') || '-',
      shorten(stream.site),
    ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const render = (cells: string[]) =>
    cells
      .map((cell, column) => (column >= 2 && column <= 4 ? cell.padStart(widths[column]) : cell))
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column])))
      .join('  ');
  lines.push('', render(header), render(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) lines.push(render(row));
  if (summary.streams.length > TABLE_ROWS) {
    lines.push(`... and ${summary.streams.length - TABLE_ROWS} more streams`);
  }
  return `${lines.join('\n')}\n`;
}

function shorten(site: string): string {
  return site.length <= SITE_WIDTH ? site : `...${site.slice(site.length - SITE_WIDTH + 3)}`;
}
