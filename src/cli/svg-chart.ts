import type { StreamHistory } from './run-summary';
import { escapeHtml } from './escape-html';

/** Streams drawn at most; more lines than this cannot be told apart. */
export const CHART_SERIES = 12;
const WIDTH = 960;
const HEIGHT = 360;
const MARGIN = { top: 16, right: 16, bottom: 36, left: 56 };
const PALETTE = [
  '#d62728',
  '#1f77b4',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#393b79',
  '#637939',
];

/** The colour of the n-th drawn series, shared by the chart and its legend. */
export function seriesColour(index: number): string {
  return PALETTE[index % PALETTE.length];
}

/**
 * Live notifications per stream over time as an inline SVG: one polyline per stream,
 * axes with a few ticks, and a `<title>` per line so hovering names the stream. It is
 * drawn here, in Node, so the page needs no script to show it.
 */
export function renderChart(streams: StreamHistory[], from: number, to: number): string {
  const drawn = streams.filter((stream) => stream.points.length > 0).slice(0, CHART_SERIES);
  const peak = Math.max(1, ...drawn.map((stream) => stream.peakLive));
  const span = Math.max(1, to - from);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (time: number) => MARGIN.left + ((time - from) / span) * plotWidth;
  const y = (live: number) => MARGIN.top + plotHeight - (live / peak) * plotHeight;

  const parts: string[] = [];
  parts.push(
    `<svg id="live-chart" role="img" viewBox="0 0 ${WIDTH} ${HEIGHT}" ` +
      `aria-label="Live notifications per stream over time">`,
  );
  for (let tick = 0; tick <= 4; tick++) {
    const value = Math.round((peak * tick) / 4);
    const top = y(value).toFixed(1);
    parts.push(
      `<line class="grid" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${top}" ` +
        `y2="${top}"/><text class="axis" x="${MARGIN.left - 6}" y="${top}" ` +
        `text-anchor="end" dominant-baseline="middle">${value}</text>`,
    );
  }
  for (let tick = 0; tick <= 4; tick++) {
    const time = from + (span * tick) / 4;
    const anchor = tick === 0 ? 'start' : tick === 4 ? 'end' : 'middle';
    parts.push(
      `<text class="axis" x="${x(time).toFixed(1)}" y="${HEIGHT - 12}" text-anchor="${anchor}">` +
        `${escapeHtml(clock(time, span))}</text>`,
    );
  }
  drawn.forEach((stream, index) => {
    const name = `#${stream.stream} ${stream.label} at ${stream.site}: peak ${stream.peakLive}`;
    const points = stream.points.map(
      ([time, live]) => `${x(time).toFixed(1)},${y(live).toFixed(1)}`,
    );
    // A single scan draws as a dot rather than an invisible one-point line.
    if (points.length === 1) points.push(points[0]);
    parts.push(
      `<polyline class="series" id="series-${stream.stream}" data-stream="${stream.stream}" ` +
        `fill="none" stroke="${seriesColour(index)}" stroke-width="2" ` +
        `stroke-linecap="round" points="${points.join(' ')}"><title>` +
        `${escapeHtml(name)}</title></polyline>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** UTC time of day; with milliseconds when the whole run is shorter than a minute. */
function clock(time: number, span: number): string {
  return new Date(time).toISOString().slice(11, span < 60_000 ? 23 : 19);
}
