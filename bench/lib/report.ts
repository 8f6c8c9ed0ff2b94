/**
 * Results: the table printed to the console, bench/results.json (shape fixed by the performance issue)
 * and a hand-written SVG chart, one panel of bars per scenario (each panel on its own scale).
 */

export const SERVER_KEYS = [
  'ours',
  'oursExpress',
  'nodeSoapHttp',
  'nodeSoap',
  'metro',
  'trueFloor',
  'httpParse',
  'expressParse',
] as const;
export type ServerKey = (typeof SERVER_KEYS)[number];

export const SERVER_LABELS: Record<ServerKey, string> = {
  ours: 'ours',
  oursExpress: 'ours-express',
  nodeSoapHttp: 'node-soap-http',
  nodeSoap: 'node-soap-express',
  metro: 'metro',
  trueFloor: 'true-floor',
  httpParse: 'http-parse',
  expressParse: 'express-parse',
};

/** What each server is, for the report's legend. */
export const SERVER_DESCRIPTIONS: Record<ServerKey, string> = {
  ours: 'the engine + generated typed handler on bare node:http (as the service mounts it)',
  oursExpress: 'the same engine on Express via soapRouter',
  nodeSoapHttp: 'node-soap (soap.listen) on bare node:http',
  nodeSoap: 'node-soap (soap.listen) on Express',
  metro: 'JAX-WS RI (Metro, Debian jaxws) on the JDK HTTP server, warmed until its rate stopped rising',
  trueFloor: 'node:http reading the body and answering a prepared response: no parsing at all',
  httpParse: 'parsing baseline: fast-xml-parser + hand-written templates on node:http (no schema, no checks)',
  expressParse: 'the parsing baseline behind Express with a raw body parser',
};

const COLORS: Record<ServerKey, string> = {
  ours: '#1f77b4',
  oursExpress: '#9ecae1',
  nodeSoapHttp: '#f4a6a6',
  nodeSoap: '#d62728',
  metro: '#ff7f0e',
  trueFloor: '#2ca02c',
  httpParse: '#7f7f7f',
  expressParse: '#c7c7c7',
};

export interface ServerStats {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  rssMB: number;
  /** Bytes of one response body. */
  responseBytes?: number;
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

/** Like-for-like comparisons: [ratio name, numerator server, denominator server]. */
export const RATIOS = [
  ['oursVsNodeSoapHttp', 'ours', 'nodeSoapHttp'],
  ['oursExpressVsNodeSoap', 'oursExpress', 'nodeSoap'],
  ['oursVsMetro', 'ours', 'metro'],
  ['oursVsTrueFloor', 'ours', 'trueFloor'],
  ['oursVsHttpParse', 'ours', 'httpParse'],
  ['oursExpressVsExpressParse', 'oursExpress', 'expressParse'],
] as const satisfies readonly (readonly [string, ServerKey, ServerKey])[];
export type RatioKey = (typeof RATIOS)[number][0];

export type ScenarioResult = { name: string } & Partial<Record<ServerKey, ServerStats>> &
  Partial<Record<RatioKey, number>>;

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/** Orders the keys and adds every like-for-like ratio (by req/s) whose two servers are present. */
export function scenarioResult(name: string, stats: Partial<Record<ServerKey, ServerStats>>): ScenarioResult {
  const result: ScenarioResult = { name };
  for (const key of SERVER_KEYS) {
    const s = stats[key];
    if (s !== undefined) {
      result[key] = {
        rps: Math.round(s.rps),
        p50Ms: round(s.p50Ms, 2),
        p99Ms: round(s.p99Ms, 2),
        rssMB: round(s.rssMB, 1),
        ...(s.responseBytes === undefined ? {} : { responseBytes: s.responseBytes }),
      };
    }
  }
  for (const [ratio, numerator, denominator] of RATIOS) {
    const a = stats[numerator];
    const b = stats[denominator];
    if (a !== undefined && b !== undefined && b.rps > 0) result[ratio] = round(a.rps / b.rps, 2);
  }
  return result;
}

export type CpuTable = Record<string, Partial<Record<ServerKey, CpuUse>>>;

/** `numerator`'s advantage in CPU time per request over `denominator` (>1: numerator needs less CPU). */
export function cpuRatio(
  cpu: CpuTable,
  scenario: string,
  denominator: ServerKey,
  numerator: ServerKey = 'ours',
): number | undefined {
  const a = cpu[scenario]?.[numerator];
  const b = cpu[scenario]?.[denominator];
  return a === undefined || b === undefined || a.usPerRequest === 0
    ? undefined
    : round(b.usPerRequest / a.usPerRequest, 2);
}

/** The ratio shown on a server's row: the comparison whose denominator it is. */
function rowComparison(scenario: ScenarioResult, cpu: CpuTable, key: ServerKey): { byRps: string; byCpu: string } {
  const entry = RATIOS.find(([, , denominator]) => denominator === key);
  if (entry === undefined) return { byRps: '', byCpu: '' };
  const [ratio, numerator] = entry;
  const value = scenario[ratio];
  const byCpu = cpuRatio(cpu, scenario.name, key, numerator);
  return {
    byRps: value === undefined ? '' : `${SERVER_LABELS[numerator]} ${value.toFixed(2)}x`,
    byCpu: byCpu === undefined ? '' : `${SERVER_LABELS[numerator]} ${byCpu.toFixed(2)}x`,
  };
}

function tableRows(scenarios: readonly ScenarioResult[], cpu: CpuTable): string[][] {
  const rows: string[][] = [];
  for (const scenario of scenarios) {
    for (const key of SERVER_KEYS) {
      const s = scenario[key];
      if (s === undefined) continue;
      const use = cpu[scenario.name]?.[key];
      const { byRps, byCpu } = rowComparison(scenario, cpu, key);
      rows.push([
        scenario.name,
        SERVER_LABELS[key],
        String(s.rps),
        s.p50Ms.toFixed(2),
        s.p99Ms.toFixed(2),
        s.rssMB.toFixed(1),
        s.responseBytes === undefined ? '' : String(s.responseBytes),
        byRps,
        use === undefined ? '' : String(Math.round(use.usPerRequest)),
        use === undefined ? '' : use.coreShare.toFixed(2),
        byCpu,
      ]);
    }
  }
  return rows;
}

const HEADER = [
  'scenario',
  'server',
  'req/s',
  'p50 ms',
  'p99 ms',
  'peak RSS MB',
  'response bytes',
  'vs this (req/s)',
  'CPU us/req',
  'core share',
  'vs this (CPU)',
];

export function formatTable(scenarios: readonly ScenarioResult[], cpu: CpuTable = {}): string {
  const rows: string[][] = [HEADER, ...tableRows(scenarios, cpu)];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r, index) => {
      const line = r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
      return index === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

/** The same table in Markdown, for docs/performance.md. */
export function markdownTable(scenarios: readonly ScenarioResult[], cpu: CpuTable = {}): string {
  const lines = [
    `| ${HEADER.join(' | ').replace('CPU us/req', 'CPU µs/req')} |`,
    `| --- | --- |${' ---: |'.repeat(HEADER.length - 2)}`,
  ];
  for (const row of tableRows(scenarios, cpu)) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

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
      caption: (scenario) =>
        [
          scenario.oursVsMetro === undefined ? '' : `${scenario.oursVsMetro}x metro`,
          scenario.oursVsTrueFloor === undefined ? '' : `${scenario.oursVsTrueFloor}x true floor`,
        ]
          .filter(Boolean)
          .join(', '),
    },
    {
      title: 'Requests per CPU-second of the server process (higher is better; robust on a busy machine)',
      value: (scenario, key) => {
        const use = cpu[scenario.name]?.[key];
        return use === undefined || use.usPerRequest <= 0 ? undefined : Math.round(1e6 / use.usPerRequest);
      },
      tooltip: (scenario, key, value) =>
        `${SERVER_LABELS[key]}: ${cpu[scenario.name]![key]!.usPerRequest} CPU us per request (${value} per CPU-second), core share ${cpu[scenario.name]![key]!.coreShare}`,
      caption: (scenario) =>
        [cpuRatio(cpu, scenario.name, 'metro'), cpuRatio(cpu, scenario.name, 'trueFloor')]
          .map((r, i) => (r === undefined ? '' : `${r}x ${i === 0 ? 'metro' : 'true floor'}`))
          .filter(Boolean)
          .join(', '),
    },
  ];
  const panels = scenarios.map((scenario) => ({
    scenario,
    keys: SERVER_KEYS.filter((k) => scenario[k] !== undefined),
  }));
  const panelWidths = panels.map(({ keys }) =>
    Math.max(keys.length * (barWidth + barGap) - barGap + 2 * panelPadding, 130),
  );
  const width = Math.max(panelWidths.reduce((a, b) => a + b, 0) + 40, 700);
  const height = top + rows.length * rowHeight + 10;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
  );
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
      parts.push(
        `<rect x="${x}" y="${chartTop}" width="${panelWidth - 8}" height="${chartHeight + 44}" fill="#f6f6f6" rx="4"/>`,
      );
      keys.forEach((key, i) => {
        const value = values[i];
        if (value === undefined) return;
        const h = Math.max(1, Math.round((value / max) * (chartHeight - 30)));
        const bx = x + panelPadding + i * (barWidth + barGap);
        const by = chartTop + chartHeight - h;
        parts.push(
          `<rect x="${bx}" y="${by}" width="${barWidth}" height="${h}" fill="${COLORS[key]}"><title>${escapeXml(row.tooltip(scenario, key, value))}</title></rect>`,
        );
        parts.push(
          `<text x="${bx + barWidth / 2}" y="${by - 4}" font-size="10" text-anchor="middle">${formatRps(value)}</text>`,
        );
      });
      const center = x + (panelWidth - 8) / 2;
      parts.push(
        `<text x="${center}" y="${chartTop + chartHeight + 18}" font-size="13" font-weight="bold" text-anchor="middle">${escapeXml(scenario.name)}</text>`,
      );
      const caption = row.caption(scenario);
      if (caption)
        parts.push(
          `<text x="${center}" y="${chartTop + chartHeight + 34}" font-size="10" fill="#555" text-anchor="middle">ours: ${escapeXml(caption)}</text>`,
        );
      x += panelWidth;
    });
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

export interface StageRow {
  readonly name: string;
  readonly rps: number;
  readonly cpuUsPerRequest: number;
  readonly stages: readonly { stage: string; usPerRequest: number }[];
}

const STAGE_COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#aec7e8',
  '#ffbb78',
  '#98df8a',
  '#ff9896',
  '#c5b0d5',
];

/** The e2e scenarios as horizontal bars of CPU time per request, split by stage (from the profile). */
export function renderStagesSvg(rows: readonly StageRow[], subtitle: string): string {
  const stageNames = [...new Set(rows.flatMap((r) => r.stages.map((s) => s.stage)))];
  const color = (stage: string): string => STAGE_COLORS[stageNames.indexOf(stage) % STAGE_COLORS.length]!;
  const labelWidth = 270;
  const barArea = 760;
  const rowHeight = 22;
  const legendRows = Math.ceil(stageNames.length / 3);
  const top = 70 + legendRows * 18;
  const width = labelWidth + barArea + 170;
  const height = top + rows.length * rowHeight + 20;
  const max = Math.max(...rows.map((r) => r.cpuUsPerRequest), 1);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
  );
  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  parts.push(
    '<text x="20" y="26" font-size="17" font-weight="bold">The real service end to end: CPU time per request by stage (one core; shorter is better)</text>',
  );
  parts.push(`<text x="20" y="46" font-size="12" fill="#555">${escapeXml(subtitle)}</text>`);
  stageNames.forEach((stage, i) => {
    const x = 20 + (i % 3) * 400;
    const y = 58 + Math.floor(i / 3) * 18;
    parts.push(
      `<rect x="${x}" y="${y}" width="12" height="12" fill="${color(stage)}"/><text x="${x + 16}" y="${y + 11}" font-size="11">${escapeXml(stage)}</text>`,
    );
  });
  rows.forEach((row, i) => {
    const y = top + i * rowHeight;
    parts.push(
      `<text x="${labelWidth - 8}" y="${y + 14}" font-size="12" text-anchor="end">${escapeXml(row.name)}</text>`,
    );
    let x = labelWidth;
    const scale = barArea / max;
    const attributed = row.stages.reduce((sum, s) => sum + s.usPerRequest, 0);
    for (const stage of row.stages) {
      const w = stage.usPerRequest * scale;
      if (w <= 0) continue;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowHeight - 6}" fill="${color(stage.stage)}"><title>${escapeXml(`${row.name}: ${stage.stage} ${stage.usPerRequest} us`)}</title></rect>`,
      );
      x += w;
    }
    const rest = (row.cpuUsPerRequest - attributed) * scale;
    if (rest > 0) x += rest;
    parts.push(
      `<text x="${(x + 6).toFixed(1)}" y="${y + 14}" font-size="11" fill="#333">${row.cpuUsPerRequest} us, ${row.rps} req/s</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
