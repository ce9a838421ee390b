import type { FindingEntry, RunSummary, StreamHistory } from './run-summary';
import type { LineProblem } from './read-run';
import { escapeHtml } from './escape-html';
import { CHART_SERIES, renderChart, seriesColour } from './svg-chart';

/** Nothing on the page may reach the network: styles and the one script are inline. */
const CONTENT_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1040px; color: #222; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
.facts { color: #555; }
svg { width: 100%; height: auto; border: 1px solid #ddd; background: #fff; }
.grid { stroke: #eee; } .axis { font-size: 11px; fill: #666; }
.series.hidden { display: none; }
#legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 6px 16px; }
#legend li { cursor: pointer; user-select: none; } #legend li.off { opacity: .35; }
#legend .swatch { display: inline-block; width: 12px; height: 12px; margin-right: 4px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eee; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.finding { border-left: 4px solid #999; padding: 4px 12px; margin: 12px 0; }
.kind-leak, .kind-pin-limit { border-color: #d62728; } .kind-growing { border-color: #ff7f0e; }
.kind-held, .kind-slow { border-color: #bcbd22; } .kind-shared { border-color: #1f77b4; }
.site { font-family: ui-monospace, monospace; } pre { background: #f6f6f6; padding: 8px; }
.problems { color: #a00; }`;

/** Clicking a legend entry hides or shows that stream's line. */
const SCRIPT = `
document.querySelectorAll('#legend li').forEach(function (item) {
  item.addEventListener('click', function () {
    var line = document.getElementById('series-' + item.dataset.stream);
    if (!line) return;
    line.classList.toggle('hidden');
    item.classList.toggle('off');
  });
});`;

/** The whole report as one self-contained HTML document. */
export function renderHtmlPage(summary: RunSummary, source: string, problems: LineProblem[]) {
  const charted = summary.streams.filter((stream) => stream.points.length > 0);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_POLICY}">
<title>pinwatch report: ${escapeHtml(source)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>pinwatch report</h1>
<p class="facts">${escapeHtml(facts(summary, source))}</p>
${problemList(problems)}
<h2>Live notifications per stream</h2>
${renderChart(charted, summary.from, summary.to)}
<ul id="legend">
${charted.slice(0, CHART_SERIES).map(legendItem).join('\n')}
</ul>
${moreStreams(charted.length)}
<h2>Findings (${summary.findings.length})</h2>
${findingList(summary.findings)}
${budgetList(summary)}
<h2>Streams</h2>
${streamTable(summary.streams)}
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function moreStreams(charted: number): string {
  if (charted <= CHART_SERIES) return '';
  return `<p>${charted - CHART_SERIES} more streams are in the table below.</p>`;
}

function findingList(findings: FindingEntry[]): string {
  if (findings.length === 0) return '<p>No findings in this run.</p>';
  return findings.map(findingBlock).join('\n');
}

function facts(summary: RunSummary, source: string): string {
  const from = summary.from > 0 ? new Date(summary.from).toISOString() : '-';
  const to = summary.to > 0 ? new Date(summary.to).toISOString() : '-';
  return (
    `${source}: ${from} to ${to}, ${summary.scans} scans, ${summary.streams.length} streams, ` +
    `pinned keys ${summary.pinnedKeys}/${summary.pinLimit}, ${summary.evictions} evictions, ` +
    `${summary.dropped} dropped records`
  );
}

function problemList(problems: LineProblem[]): string {
  if (problems.length === 0) return '';
  const items = problems.map((p) => `<li>line ${p.line}: ${escapeHtml(p.message)}</li>`);
  return `<div class="problems"><p>Lines left out:</p><ul>${items.join('')}</ul></div>`;
}

function legendItem(stream: StreamHistory, index: number): string {
  return (
    `<li data-stream="${stream.stream}"><span class="swatch" style="background:` +
    `${seriesColour(index)}"></span>#${stream.stream} ${escapeHtml(stream.label)} ` +
    `<span class="site">${escapeHtml(stream.site)}</span></li>`
  );
}

function findingBlock(finding: FindingEntry): string {
  const who = finding.stream === 0 ? 'process' : `stream #${finding.stream} (${finding.label})`;
  const related = finding.related.map((line) => `<li class="site">${escapeHtml(line)}</li>`);
  const stack = finding.stack.length
    ? `<details><summary>stack</summary><pre>${escapeHtml(finding.stack.join('\n'))}</pre>` +
      '</details>'
    : '';
  return (
    `<article class="finding kind-${escapeHtml(finding.kind)}">` +
    `<p><strong>${escapeHtml(finding.kind.toUpperCase())}</strong> ${escapeHtml(who)} at ` +
    `${escapeHtml(new Date(finding.time).toISOString())}</p>` +
    `<p>${escapeHtml(finding.message)}</p>` +
    `<p>created at <span class="site">${escapeHtml(finding.site)}</span></p>` +
    (related.length ? `<ul>${related.join('')}</ul>` : '') +
    `${stack}</article>`
  );
}

function budgetList(summary: RunSummary): string {
  if (summary.budgetWarnings.length === 0) return '';
  const items = summary.budgetWarnings.map((line) => {
    const eta =
      typeof line.exhaustedInMs === 'number'
        ? `${Math.round(line.exhaustedInMs / 1000)} s`
        : 'not growing';
    return (
      `<li>${escapeHtml(line.time)}: ${String(line.pinnedKeys)} of ${String(line.budget)} ` +
      `keys pinned, ${String(line.growthPerMinute)} keys/min, used up in ${eta}</li>`
    );
  });
  return `<h2>Pin budget warnings</h2><ul>${items.join('')}</ul>`;
}

function streamTable(streams: StreamHistory[]): string {
  if (streams.length === 0) return '<p>No streams recorded.</p>';
  const rows = streams.map(
    (s) =>
      `<tr><td>#${s.stream}${s.closed ? ' (closed)' : ''}</td><td>${escapeHtml(s.label)}</td>` +
      `<td class="n">${s.peakLive}</td><td class="n">${s.lastLive}</td>` +
      `<td class="n">${s.lastBacklog}</td><td>${escapeHtml(s.kinds.join(', ') || '-')}</td>` +
      `<td class="site">${escapeHtml(s.site)}</td></tr>`,
  );
  return (
    '<table id="streams"><thead><tr><th>stream</th><th>label</th><th>peak live</th>' +
    '<th>last live</th><th>backlog</th><th>findings</th><th>site</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}
