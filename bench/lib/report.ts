/**
 * Results: the table printed to the console, bench/results.json (shape fixed by the performance issue)
 * and a hand-written SVG chart, one panel of bars per scenario (each panel on its own scale).
 */

export const SERVER_KEYS = ['ours', 'nodeSoap', 'metro', 'expressFloor', 'httpFloor'] as const;
export type ServerKey = (typeof SERVER_KEYS)[number];

export const SERVER_LABELS: Record<ServerKey, string> = {
  ours: 'ours',
  nodeSoap: 'node-soap',
  metro: 'metro',
  expressFloor: 'express-floor',
  httpFloor: 'http-floor',
};

const COLORS: Record<ServerKey, string> = {
  ours: '#1f77b4',
  nodeSoap: '#d62728',
  metro: '#ff7f0e',
  expressFloor: '#7f7f7f',
  httpFloor: '#2ca02c',
};

export interface ServerStats {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  rssMB: number;
}

/**
 * CPU time the server process used per request during the measured run, and the share of its core it
 * got (CPU time / wall time). On a shared machine the share shows how much a run was disturbed; the
 * CPU time per request is much less sensitive to that than requests per second.
 */
export interface CpuUse {
  usPerRequest: number;
  coreShare: number;
}

export type RatioKey = 'oursVsNodeSoap' | 'oursVsMetro' | 'oursVsExpressFloor' | 'oursVsHttpFloor';

export type ScenarioResult = { name: string } & Partial<Record<ServerKey, ServerStats>> & Partial<Record<RatioKey, number>>;

const RATIOS: readonly [RatioKey, ServerKey][] = [
  ['oursVsNodeSoap', 'nodeSoap'],
  ['oursVsMetro', 'metro'],
  ['oursVsExpressFloor', 'expressFloor'],
  ['oursVsHttpFloor', 'httpFloor'],
];

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/** Orders the keys as the issue lists them and adds the ratios of ours to every other server present. */
export function scenarioResult(name: string, stats: Partial<Record<ServerKey, ServerStats>>): ScenarioResult {
  const result: ScenarioResult = { name };
  for (const key of SERVER_KEYS) {
    const s = stats[key];
    if (s !== undefined) result[key] = { rps: Math.round(s.rps), p50Ms: round(s.p50Ms, 2), p99Ms: round(s.p99Ms, 2), rssMB: round(s.rssMB, 1) };
  }
  const ours = stats.ours;
  for (const [ratio, other] of RATIOS) {
    const theirs = stats[other];
    if (ours !== undefined && theirs !== undefined && theirs.rps > 0) result[ratio] = round(ours.rps / theirs.rps, 2);
  }
  return result;
}

export type CpuTable = Record<string, Partial<Record<ServerKey, CpuUse>>>;

/** ours' CPU time per request relative to another server's (>1: ours needs less CPU per request). */
export function cpuRatio(cpu: CpuTable, scenario: string, other: ServerKey): number | undefined {
  const ours = cpu[scenario]?.ours;
  const theirs = cpu[scenario]?.[other];
  return ours === undefined || theirs === undefined || ours.usPerRequest === 0 ? undefined : round(theirs.usPerRequest / ours.usPerRequest, 2);
}

export function formatTable(scenarios: readonly ScenarioResult[], cpu: CpuTable = {}): string {
  const rows: string[][] = [['scenario', 'server', 'req/s', 'p50 ms', 'p99 ms', 'peak RSS MB', 'ours / this', 'CPU us/req', 'core share', 'ours / this by CPU']];
  for (const scenario of scenarios) {
    for (const key of SERVER_KEYS) {
      const s = scenario[key];
      if (s === undefined) continue;
      const ratio = key === 'ours' ? '' : RATIOS.find(([, k]) => k === key)?.[0];
      const ratioValue = ratio ? scenario[ratio] : undefined;
      const use = cpu[scenario.name]?.[key];
      const byCpu = key === 'ours' ? undefined : cpuRatio(cpu, scenario.name, key);
      rows.push([scenario.name, SERVER_LABELS[key], String(s.rps), s.p50Ms.toFixed(2), s.p99Ms.toFixed(2), s.rssMB.toFixed(1),
        ratioValue === undefined ? '' : `${ratioValue.toFixed(2)}x`, use === undefined ? '' : String(Math.round(use.usPerRequest)),
        use === undefined ? '' : use.coreShare.toFixed(2), byCpu === undefined ? '' : `${byCpu.toFixed(2)}x`]);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r, index) => {
    const line = r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
    return index === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
  }).join('\n');
}

/** The same table in Markdown, for the README. */
export function markdownTable(scenarios: readonly ScenarioResult[], cpu: CpuTable = {}): string {
  const lines = ['| scenario | server | req/s | p50 ms | p99 ms | peak RSS MB | ours / this | CPU µs/req | core share | ours / this by CPU |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'];
  for (const scenario of scenarios) {
    for (const key of SERVER_KEYS) {
      const s = scenario[key];
      if (s === undefined) continue;
      const ratio = RATIOS.find(([, k]) => k === key)?.[0];
      const ratioValue = ratio ? scenario[ratio] : undefined;
      const use = cpu[scenario.name]?.[key];
      const byCpu = key === 'ours' ? undefined : cpuRatio(cpu, scenario.name, key);
      lines.push(`| ${scenario.name} | ${SERVER_LABELS[key]} | ${s.rps} | ${s.p50Ms.toFixed(2)} | ${s.p99Ms.toFixed(2)} | ${s.rssMB.toFixed(1)} | ` +
        `${ratioValue === undefined ? '' : `${ratioValue.toFixed(2)}x`} | ${use === undefined ? '' : Math.round(use.usPerRequest)} | ` +
        `${use === undefined ? '' : use.coreShare.toFixed(2)} | ${byCpu === undefined ? '' : `${byCpu.toFixed(2)}x`} |`);
    }
  }
  return lines.join('\n');
}

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function formatRps(rps: number): string {
  return rps >= 10_000 ? `${(rps / 1000).toFixed(1)}k` : rps >= 1000 ? `${(rps / 1000).toFixed(2)}k` : String(rps);
}

interface ChartRow {
  readonly title: string;
  /** The bar's value for a server in a scenario, or undefined for no bar. */
  readonly value: (scenario: ScenarioResult, key: ServerKey) => number | undefined;
  readonly tooltip: (scenario: ScenarioResult, key: ServerKey, value: number) => string;
  readonly caption: (scenario: ScenarioResult) => string;
}

/**
 * Grouped bars, one panel per scenario with a bar per server, each panel on its own scale. Row 1:
 * requests per second; row 2: requests per CPU-second of the server process (1e6 / CPU us per request),
 * which a busy machine disturbs much less.
 */
export function renderSvg(scenarios: readonly ScenarioResult[], cpu: CpuTable, subtitle: string): string {
  const barWidth = 34;
  const barGap = 6;
  const panelPadding = 18;
  const chartHeight = 200;
  const rowHeight = chartHeight + 80;
  const top = 80;
  const rows: ChartRow[] = [
    {
      title: 'Requests per second, one core per server (higher is better)',
      value: (scenario, key) => scenario[key]?.rps,
      tooltip: (scenario, key, value) => {
        const stats = scenario[key]!;
        return `${SERVER_LABELS[key]}: ${value} req/s, p50 ${stats.p50Ms} ms, p99 ${stats.p99Ms} ms, peak RSS ${stats.rssMB} MB`;
      },
      caption: (scenario) => [scenario.oursVsNodeSoap === undefined ? '' : `${scenario.oursVsNodeSoap}x node-soap`,
        scenario.oursVsHttpFloor === undefined ? '' : `${scenario.oursVsHttpFloor}x http-floor`].filter(Boolean).join(', '),
    },
    {
      title: 'Requests per CPU-second of the server process (higher is better; robust on a busy machine)',
      value: (scenario, key) => {
        const use = cpu[scenario.name]?.[key];
        return use === undefined || use.usPerRequest <= 0 ? undefined : Math.round(1e6 / use.usPerRequest);
      },
      tooltip: (scenario, key, value) => `${SERVER_LABELS[key]}: ${cpu[scenario.name]![key]!.usPerRequest} CPU us per request (${value} per CPU-second), core share ${cpu[scenario.name]![key]!.coreShare}`,
      caption: (scenario) => [cpuRatio(cpu, scenario.name, 'nodeSoap'), cpuRatio(cpu, scenario.name, 'httpFloor')]
        .map((r, i) => (r === undefined ? '' : `${r}x ${i === 0 ? 'node-soap' : 'http-floor'}`)).filter(Boolean).join(', '),
    },
  ];
  const panels = scenarios.map((scenario) => ({ scenario, keys: SERVER_KEYS.filter((k) => scenario[k] !== undefined) }));
  const panelWidths = panels.map(({ keys }) => Math.max(keys.length * (barWidth + barGap) - barGap + 2 * panelPadding, 130));
  const width = Math.max(panelWidths.reduce((a, b) => a + b, 0) + 40, 700);
  const height = top + rows.length * rowHeight + 10;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`);
  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  parts.push(`<text x="20" y="26" font-size="17" font-weight="bold">SOAP servers, one core each</text>`);
  parts.push(`<text x="20" y="46" font-size="12" fill="#555">${escapeXml(subtitle)}</text>`);
  let legendX = 20;
  for (const key of SERVER_KEYS) {
    parts.push(`<rect x="${legendX}" y="56" width="12" height="12" fill="${COLORS[key]}"/>`);
    parts.push(`<text x="${legendX + 16}" y="67" font-size="12">${SERVER_LABELS[key]}</text>`);
    legendX += 28 + SERVER_LABELS[key].length * 7;
  }
  rows.forEach((row, rowIndex) => {
    const rowTop = top + rowIndex * rowHeight;
    parts.push(`<text x="20" y="${rowTop + 16}" font-size="14" font-weight="bold">${escapeXml(row.title)}</text>`);
    const chartTop = rowTop + 24;
    let x = 20;
    panels.forEach(({ scenario, keys }, index) => {
      const panelWidth = panelWidths[index]!;
      const values = keys.map((k) => row.value(scenario, k));
      const max = Math.max(...values.map((v) => v ?? 0), 1);
      parts.push(`<rect x="${x}" y="${chartTop}" width="${panelWidth - 8}" height="${chartHeight + 44}" fill="#f6f6f6" rx="4"/>`);
      keys.forEach((key, i) => {
        const value = values[i];
        if (value === undefined) return;
        const h = Math.max(1, Math.round((value / max) * (chartHeight - 30)));
        const bx = x + panelPadding + i * (barWidth + barGap);
        const by = chartTop + chartHeight - h;
        parts.push(`<rect x="${bx}" y="${by}" width="${barWidth}" height="${h}" fill="${COLORS[key]}"><title>${escapeXml(row.tooltip(scenario, key, value))}</title></rect>`);
        parts.push(`<text x="${bx + barWidth / 2}" y="${by - 4}" font-size="10" text-anchor="middle">${formatRps(value)}</text>`);
      });
      const center = x + (panelWidth - 8) / 2;
      parts.push(`<text x="${center}" y="${chartTop + chartHeight + 18}" font-size="13" font-weight="bold" text-anchor="middle">${escapeXml(scenario.name)}</text>`);
      const caption = row.caption(scenario);
      if (caption) parts.push(`<text x="${center}" y="${chartTop + chartHeight + 34}" font-size="10" fill="#555" text-anchor="middle">ours: ${escapeXml(caption)}</text>`);
      x += panelWidth;
    });
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
