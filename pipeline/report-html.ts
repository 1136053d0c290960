/**
 * @module Renders the run report as one self-contained HTML page with inline SVG bar charts, so it
 * opens from disk in any browser with no script or network.
 */
import { writeFile } from 'node:fs/promises';
import type { RunReport } from './report.js';

const esc = (s: string | number) => String(s).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);
const fmt = (n: number) => n.toLocaleString('en-US');

/** Horizontal bars: one row per label, scaled to the largest value. */
function hbars(title: string, rows: Array<[string, number]>, color = '#3b6fb6'): string {
  if (rows.length === 0) return `<section><h2>${esc(title)}</h2><p class="none">none</p></section>`;
  const max = Math.max(...rows.map(([, v]) => v), 1);
  const rowH = 22;
  const labelW = 220;
  const barW = 420;
  const h = rows.length * rowH + 4;
  const bars = rows
    .map(([label, v], i) => {
      const w = Math.max(1, Math.round((v / max) * barW));
      const y = i * rowH + 2;
      return `<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${esc(label)}</text><rect x="${labelW}" y="${y + 3}" width="${w}" height="${rowH - 8}" fill="${color}"/><text x="${labelW + w + 6}" y="${y + 15}">${fmt(v)}</text>`;
    })
    .join('');
  return `<section><h2>${esc(title)}</h2><svg width="${labelW + barW + 90}" height="${h}" role="img" aria-label="${esc(title)}">${bars}</svg></section>`;
}

/** Vertical bars for a histogram with labelled buckets. */
function histogram(title: string, buckets: number[], labels: string[]): string {
  const max = Math.max(...buckets, 1);
  const colW = 56;
  const chartH = 160;
  const bars = buckets
    .map((v, i) => {
      const h = Math.round((v / max) * chartH);
      const x = i * colW + 10;
      return `<rect x="${x}" y="${chartH - h + 20}" width="${colW - 8}" height="${h}" fill="#4c9a6a"/><text x="${x + (colW - 8) / 2}" y="${chartH - h + 14}" text-anchor="middle">${fmt(v)}</text><text x="${x + (colW - 8) / 2}" y="${chartH + 36}" text-anchor="middle">${esc(labels[i] ?? '')}</text>`;
    })
    .join('');
  return `<section><h2>${esc(title)}</h2><svg width="${buckets.length * colW + 20}" height="${chartH + 44}" role="img" aria-label="${esc(title)}">${bars}</svg></section>`;
}

const sorted = (o: Record<string, number>) => Object.entries(o).sort((a, b) => b[1] - a[1]);

/** The report as an HTML string. */
export function renderReportHtml(r: RunReport): string {
  const funnelRows: Array<[string, number]> = [['read', r.source.read], ...r.funnel.map((f) => [f.stage, f.out] as [string, number])];
  const drops: Array<[string, number]> = [
    ...Object.entries(r.source.skipped).map(([k, v]) => [`source: ${k}`, v] as [string, number]),
    ...r.funnel.flatMap((f) => Object.entries(f.dropped).map(([k, v]) => [`${f.stage}: ${k}`, v] as [string, number])),
    ...Object.entries(r.runnerDrops).map(([k, v]) => [`runner: ${k}`, v] as [string, number]),
  ].sort((a, b) => b[1] - a[1]);
  const qLabels = r.qualityHistogram.map((_, i) => `${(i / 10).toFixed(1)}–${((i + 1) / 10).toFixed(1)}`);
  const timeRows: Array<[string, number]> = r.funnel.map((f) => [f.stage, Math.round(f.timeShare * 100)]);
  const clusterRows: Array<[string, number]> = sorted(r.dedupe).map(([k, v]) => [
    k.startsWith('clusters_size_') ? `clusters of ${k.slice('clusters_size_'.length)} docs` : k.replace(/^dropped_/, 'dropped: ').replace(/_/g, ' '),
    v,
  ]);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Lumora run ${esc(r.runId)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1000px;color:#222;padding:0 16px}
h1{font-size:22px}h2{font-size:16px;margin:28px 0 8px}svg text{font-size:12px;fill:#333}
.kpis{display:flex;gap:16px;flex-wrap:wrap}.kpi{border:1px solid #ddd;border-radius:6px;padding:8px 14px}
.kpi b{display:block;font-size:20px}.none{color:#888}table{border-collapse:collapse}td,th{padding:2px 10px;text-align:left}
</style></head><body>
<h1>Lumora run report</h1>
<p>Run <code>${esc(r.runId)}</code>${r.resumed ? ' (resumed from a checkpoint)' : ''}: ${esc(r.startedAt)} → ${esc(r.finishedAt)}, inputs: ${r.inputs.map((i) => `<code>${esc(i)}</code>`).join(', ')}</p>
<div class="kpis">
<div class="kpi"><b>${fmt(r.source.read)}</b>documents read</div>
<div class="kpi"><b>${fmt(r.output.rows)}</b>rows written</div>
<div class="kpi"><b>${r.source.read ? ((100 * r.output.rows) / r.source.read).toFixed(1) : '0'}%</b>kept</div>
<div class="kpi"><b>${fmt(r.throughput.docsPerSec)}</b>docs/s</div>
<div class="kpi"><b>${fmt(r.throughput.mbPerSec)}</b>MB/s input</div>
<div class="kpi"><b>${fmt(r.output.parts)}</b>Parquet parts (${(r.output.bytes / 1e6).toFixed(2)} MB)</div>
</div>
${hbars('Documents through each stage', funnelRows)}
${hbars('Drop reasons', drops, '#b6543b')}
${histogram('Quality score histogram (kept rows)', r.qualityHistogram, qLabels)}
${hbars('Quality rules failed (all scored docs)', sorted(r.qualityFlags), '#9a7a4c')}
${hbars('PII redacted, by type', sorted(r.piiCounts), '#7a4c9a')}
${hbars('Languages (kept rows)', sorted(r.languages), '#4c8a9a')}
${hbars('Deduplication: drops and duplicate cluster sizes', clusterRows, '#6a6a6a')}
${hbars('Share of stage time (%)', timeRows, '#999')}
</body></html>
`;
}

export async function writeReportHtml(path: string, report: RunReport): Promise<void> {
  await writeFile(path, renderReportHtml(report));
}
