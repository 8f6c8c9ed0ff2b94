/**
 * The service portal page: server-rendered HTML with inline CSS and an inline script (script.ts; no
 * build step). Per version, service and operation: documentation, field tables generated from the
 * contract, sample request, response and faults, links to the WSDL and XSDs; a try-it form that sends
 * any operation under any UsernameToken policy and shows the envelope sent, the response headers and
 * the fault explained; copy-as-curl; client snippets and the SoapUI project.
 */
import type { VersionPolicy } from '../config';
import type { PortalEndpoint, PortalOperation } from './model';
import { escapeXml as escapeHtml } from './sample';
import type { SchemaRow } from './schema-doc';
import { PORTAL_SCRIPT } from './script';
import { clientSnippets, signedCallSnippet, type ClientSnippet, type SnippetTarget } from './snippets';

export interface PortalPageInput {
  title: string;
  endpoints: readonly PortalEndpoint[];
  versions: Readonly<Record<string, VersionPolicy>>;
  /** Where the SoapUI project is served, when the file is present. */
  soapUiProjectHref?: string;
}

/** JSON inside <script>: "<" escaped so no text can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Element ids (and deep-link fragments): "v1-PartnerOrderService" and "v1-PartnerOrderService-SubmitOrder". */
export const anchor = (endpoint: Pick<PortalEndpoint, 'version' | 'service'>, operation?: string): string =>
  `${endpoint.version}-${endpoint.service}${operation === undefined ? '' : `-${operation}`}`.replace(
    /[^A-Za-z0-9_-]/g,
    '-',
  );

function versionBadge(version: string, policy: VersionPolicy | undefined, latest: string): string {
  if (policy?.deprecated) {
    const sunset = policy.sunset === null ? '' : `, sunset ${escapeHtml(policy.sunset.slice(0, 10))}`;
    const link = policy.link === null ? '' : ` <a href="${escapeHtml(policy.link)}">migration notes</a>`;
    return `<span class="badge deprecated">deprecated${sunset}</span>${link}`;
  }
  return version === latest
    ? '<span class="badge current">current</span>'
    : '<span class="badge supported">supported</span>';
}

function fieldsTable(rows: readonly SchemaRow[], caption: string): string {
  if (rows.length === 0) return '';
  const body = rows
    .map((row) => {
      const constraints = row.constraints.map((c) => `<span class="constraint">${escapeHtml(c)}</span>`).join(' ');
      return (
        `<tr class="${row.kind}"><td class="field-name" style="--depth:${row.depth}"><code>${escapeHtml(row.name)}</code></td>` +
        `<td><code>${escapeHtml(row.type)}</code></td><td class="occurs">${escapeHtml(row.occurs)}</td>` +
        `<td>${constraints}${row.documentation === '' ? '' : `<div class="field-doc">${escapeHtml(row.documentation)}</div>`}</td></tr>`
      );
    })
    .join('');
  return `<div class="table-wrap"><table class="fields"><caption>${escapeHtml(caption)}</caption>
              <thead><tr><th>Field</th><th>Type</th><th>Occurs</th><th>Constraints and documentation</th></tr></thead><tbody>${body}</tbody></table></div>`;
}

function faultSample(fault: PortalOperation['sampleFaults'][number]): string {
  const detail = fault.detail
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');
  return [
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">',
    '  <soapenv:Body>',
    '    <soapenv:Fault>',
    '      <faultcode>soapenv:Client</faultcode>',
    `      <faultstring xml:lang="en">(why ${fault.name} was raised)</faultstring>`,
    '      <detail>',
    detail,
    '      </detail>',
    '    </soapenv:Fault>',
    '  </soapenv:Body>',
    '</soapenv:Envelope>',
  ].join('\n');
}

function operationHtml(endpoint: PortalEndpoint, operation: PortalOperation): string {
  const faults =
    operation.faults.length === 0
      ? '<span class="muted">none</span>'
      : operation.faults.map((f) => `<code>${escapeHtml(f)}</code>`).join(' ');
  const buttons =
    `<span class="buttons"><button type="button" class="secondary try" data-endpoint="${escapeHtml(endpoint.path)}" data-operation="${escapeHtml(operation.name)}">Try it</button>` +
    `<button type="button" class="secondary op-curl" data-endpoint="${escapeHtml(endpoint.path)}" data-operation="${escapeHtml(operation.name)}">Copy as curl</button></span>`;
  const response =
    operation.sampleResponse === undefined
      ? ''
      : `
            <h4 class="block-head">Sample response body</h4>
            <pre class="xml">${escapeHtml(operation.sampleResponse)}</pre>`;
  const faultSamples = operation.sampleFaults
    .map(
      (fault) => `
            <details class="fault-sample"><summary><code>${escapeHtml(fault.name)}</code> <span class="muted">detail element ${escapeHtml(fault.element)}</span></summary>
            <pre class="xml">${escapeHtml(faultSample(fault))}</pre></details>`,
    )
    .join('');
  return `
        <details class="operation" id="${anchor(endpoint, operation.name)}">
          <summary><span class="op-name">${escapeHtml(operation.name)}</span><span class="op-doc">${escapeHtml(operation.documentation)}</span></summary>
          <div class="op-body">
            <dl class="facts">
              <dt>Request</dt><dd><code>${escapeHtml(operation.input)}</code></dd>
              <dt>Response</dt><dd>${operation.output === undefined ? '<span class="muted">one-way</span>' : `<code>${escapeHtml(operation.output)}</code>`}</dd>
              <dt>Faults</dt><dd>${faults}</dd>
              <dt>SOAPAction</dt><dd><code>${escapeHtml(operation.soapAction)}</code></dd>
              <dt>Link</dt><dd><a href="#${anchor(endpoint, operation.name)}">#${anchor(endpoint, operation.name)}</a></dd>
            </dl>
            ${fieldsTable(operation.requestFields, `Request ${operation.input}`)}
            <div class="sample-head"><h4>Sample request body</h4>${buttons}</div>
            <pre class="xml">${escapeHtml(operation.sample)}</pre>
            ${fieldsTable(operation.responseFields, `Response ${operation.output ?? ''}`)}${response}
            ${faultSamples === '' ? '' : `<h4 class="block-head">Declared faults (sample, SOAP 1.1)</h4>${faultSamples}`}
          </div>
        </details>`;
}

function endpointHtml(endpoint: PortalEndpoint): string {
  const documents = endpoint.documents
    .map((doc) => `<a class="doc-link ${doc.kind}" href="${escapeHtml(doc.href)}">${escapeHtml(doc.name)}</a>`)
    .join('');
  return `
      <section class="service card" id="${anchor(endpoint)}">
        <header class="service-head">
          <div>
            <h3>${escapeHtml(endpoint.service)} <span class="muted port-type">${escapeHtml(endpoint.portType)}</span></h3>
            <p>${escapeHtml(endpoint.documentation)}</p>
            ${endpoint.portTypeDocumentation === '' ? '' : `<p class="muted">${escapeHtml(endpoint.portTypeDocumentation)}</p>`}
          </div>
        </header>
        <div class="endpoint-line">
          <span class="label">Endpoint</span><code class="endpoint-url" data-path="${escapeHtml(endpoint.path)}">${escapeHtml(endpoint.path)}</code>
          <span class="label">Namespace</span><code>${escapeHtml(endpoint.namespace)}</code>
        </div>
        <div class="documents"><span class="label">Contract</span>${documents}</div>
        <div class="operations">${endpoint.operations.map((operation) => operationHtml(endpoint, operation)).join('')}
        </div>
      </section>`;
}

function snippetHtml(snippet: ClientSnippet): string {
  return `
        <details class="snippet" id="client-${snippet.id}"><summary>${escapeHtml(snippet.title)}</summary>
          <pre class="code with-origin">${escapeHtml(snippet.code)}</pre>
          <p class="hint">${escapeHtml(snippet.note)}</p></details>`;
}

/** The operation the snippets call: GetProduct of the newest orders endpoint when there is one. */
function snippetTarget(endpoints: readonly PortalEndpoint[]): SnippetTarget | undefined {
  const withGetProduct = endpoints.find((e) => e.operations.some((o) => o.name === 'GetProduct'));
  if (withGetProduct !== undefined)
    return { path: withGetProduct.path, operation: 'GetProduct', arguments: [['sku', 'FAS-SCR-4X40']] };
  const first = endpoints[0];
  const operation = first?.operations[0];
  return first === undefined || operation === undefined
    ? undefined
    : { path: first.path, operation: operation.name, arguments: [] };
}

export function renderPortalPage(input: PortalPageInput): string {
  const versions = [...new Set(input.endpoints.map((e) => e.version))].sort().reverse();
  const latest = versions[0] ?? '';
  const ordered = versions.flatMap((version) => input.endpoints.filter((e) => e.version === version));
  const nav = versions
    .map((version) => {
      const items = input.endpoints
        .filter((e) => e.version === version)
        .map((e) => {
          const operations = e.operations
            .map((o) => `<li><a class="nav-op" href="#${anchor(e, o.name)}">${escapeHtml(o.name)}</a></li>`)
            .join('');
          return `<li><a class="nav-service" href="#${anchor(e)}">${escapeHtml(e.service)}</a><ul>${operations}</ul></li>`;
        })
        .join('');
      return `<li><a class="nav-version" href="#version-${escapeHtml(version)}">${escapeHtml(version)}</a><ul>${items}</ul></li>`;
    })
    .join('');
  const sections = versions
    .map((version) => {
      const policy = input.versions[version];
      const endpoints = input.endpoints.filter((e) => e.version === version);
      return `
    <section class="version" id="version-${escapeHtml(version)}">
      <h2>Version ${escapeHtml(version)} ${versionBadge(version, policy, latest)}</h2>
      ${endpoints.map(endpointHtml).join('')}
    </section>`;
    })
    .join('');
  const data = ordered.map((e) => ({
    path: e.path,
    label: `${e.path} · ${e.service}`,
    operations: e.operations.map((o) => ({ name: o.name, soapAction: o.soapAction, sample: o.sample })),
  }));
  const target = snippetTarget(ordered);
  const snippets = target === undefined ? [] : clientSnippets(target);
  const signed = target === undefined ? undefined : signedCallSnippet(target);
  const wsdlList = ordered
    .map((e) => `<li><code class="with-origin">{origin}${escapeHtml(e.path)}?wsdl</code></li>`)
    .join('');
  const soapUi =
    input.soapUiProjectHref === undefined
      ? ''
      : `
      <p><a class="download" id="soapui-link" href="${escapeHtml(input.soapUiProjectHref)}" download>Download the SoapUI project</a>
        <span class="hint">SoapUI 5 / ReadyAPI: every operation with a sample request and a test suite of the order lifecycle. Set the project property <code>baseUrl</code> to <code class="with-origin">{origin}</code>.</span></p>`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>
  :root { --fg: #1d2430; --muted: #5f6b7a; --line: #dde3ea; --bg: #f5f7fa; --card: #fff; --accent: #1f5fbf; --accent-soft: #e8f0fc;
          --ok: #1a7f37; --ok-soft: #e6f4ea; --bad: #b42318; --bad-soft: #fdecea; --warn: #9a6700; --warn-soft: #fff4d6;
          --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
  * { box-sizing: border-box; }
  html { scroll-padding-top: 12px; }
  body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); overflow-wrap: break-word; }
  a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
  code, pre, textarea { font-family: var(--mono); font-size: 13px; }
  code { overflow-wrap: anywhere; }
  .topbar { background: #14213d; color: #fff; padding: 18px 32px; display: flex; align-items: baseline; gap: 4px 16px; flex-wrap: wrap; }
  .topbar h1 { margin: 0; font-size: 20px; font-weight: 600; letter-spacing: .2px; }
  .topbar .sub { color: #c7d2e3; font-size: 14px; }
  .layout { display: grid; grid-template-columns: 240px minmax(0, 1fr); gap: 28px; max-width: 1360px; margin: 0 auto; padding: 24px 32px 64px; }
  nav.toc { position: sticky; top: 12px; align-self: start; font-size: 14px; max-height: calc(100vh - 24px); overflow-y: auto; padding-right: 6px; }
  nav.toc ul { list-style: none; margin: 0; padding: 0; } nav.toc ul ul { margin: 2px 0 8px 12px; }
  nav.toc li { margin: 2px 0; } .nav-version { font-weight: 600; color: var(--fg); } .nav-service { font-weight: 600; }
  .nav-op { font-family: var(--mono); font-size: 12.5px; }
  main { min-width: 0; }
  .card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 20px 22px; margin-bottom: 20px; box-shadow: 0 1px 2px rgba(16,24,40,.04); }
  h2 { font-size: 19px; margin: 30px 0 14px; display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
  h3 { font-size: 17px; margin: 0 0 4px; } h4 { margin: 0; font-size: 13px; text-transform: uppercase; letter-spacing: .5px; color: var(--muted); }
  .block-head { margin: 16px 0 6px; }
  p { margin: 4px 0; } .muted { color: var(--muted); font-weight: normal; } .port-type { font-size: 13px; margin-left: 6px; }
  .badge { font-size: 12px; font-weight: 600; padding: 2px 9px; border-radius: 999px; }
  .badge.current { background: var(--ok-soft); color: var(--ok); } .badge.supported { background: var(--accent-soft); color: var(--accent); }
  .badge.deprecated { background: var(--warn-soft); color: var(--warn); }
  h2 a { font-size: 13px; font-weight: normal; }
  .label { font-size: 12px; text-transform: uppercase; letter-spacing: .5px; color: var(--muted); margin-right: 6px; }
  .endpoint-line, .documents { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px; margin-top: 12px; }
  .endpoint-line code { background: var(--bg); border: 1px solid var(--line); padding: 2px 8px; border-radius: 6px; margin-right: 14px; }
  .doc-link { border: 1px solid var(--line); border-radius: 6px; padding: 2px 10px; font-size: 13px; background: #fff; }
  .doc-link.wsdl { border-color: var(--accent); font-weight: 600; }
  .operations { margin-top: 16px; border-top: 1px solid var(--line); }
  details.operation { border-bottom: 1px solid var(--line); }
  details.operation > summary { cursor: pointer; padding: 10px 4px; display: grid; grid-template-columns: minmax(0, 190px) minmax(0, 1fr); gap: 12px; list-style: none; }
  details.operation > summary::-webkit-details-marker { display: none; }
  details.operation > summary:hover { background: var(--bg); }
  .op-name { font-family: var(--mono); font-weight: 600; color: var(--accent); overflow-wrap: anywhere; } .op-name::before { content: "▸ "; color: var(--muted); }
  details[open] > summary .op-name::before { content: "▾ "; }
  .op-doc { color: var(--fg); }
  .op-body { padding: 4px 4px 16px 24px; min-width: 0; }
  dl.facts { display: grid; grid-template-columns: 110px minmax(0, 1fr); gap: 4px 12px; margin: 6px 0 12px; font-size: 14px; }
  dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; min-width: 0; }
  .table-wrap { overflow-x: auto; margin: 10px 0 14px; }
  table.fields { border-collapse: collapse; width: 100%; font-size: 13px; }
  table.fields caption { text-align: left; font-size: 13px; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: .5px; padding-bottom: 4px; }
  table.fields th { text-align: left; font-weight: 600; color: var(--muted); border-bottom: 2px solid var(--line); padding: 4px 8px; }
  table.fields td { border-bottom: 1px solid var(--line); padding: 4px 8px; vertical-align: top; }
  table.fields td.field-name { padding-left: calc(8px + var(--depth, 0) * 14px); white-space: nowrap; }
  table.fields tr.choice td.field-name code { font-style: italic; color: var(--muted); }
  table.fields td.occurs { white-space: nowrap; }
  .constraint { display: inline-block; background: var(--bg); border: 1px solid var(--line); border-radius: 5px; padding: 0 6px; margin: 1px 4px 1px 0; font-family: var(--mono); font-size: 12px; overflow-wrap: anywhere; }
  .field-doc { color: var(--fg); }
  .sample-head { display: flex; align-items: center; justify-content: space-between; gap: 8px; flex-wrap: wrap; margin: 12px 0 6px; }
  .buttons { display: flex; gap: 8px; flex-wrap: wrap; }
  pre.xml, pre.code { background: #0f1729; color: #e2e8f0; padding: 12px 14px; border-radius: 8px; overflow: auto; margin: 0; max-height: 420px; }
  pre.wrap { white-space: pre-wrap; overflow-wrap: anywhere; overflow-x: hidden; }
  details.fault-sample, details.snippet { margin: 6px 0; } details.fault-sample > summary, details.snippet > summary { cursor: pointer; padding: 4px 0; }
  details.snippet > summary { font-weight: 600; }
  .try-it { border-top: 4px solid var(--accent); }
  .try-it h2 { margin-top: 0; }
  .form-grid { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 12px 14px; }
  label.field { display: flex; flex-direction: column; gap: 4px; font-size: 13px; color: var(--muted); font-weight: 600; min-width: 0; }
  label.check { display: flex; align-items: center; gap: 8px; font-size: 14px; align-self: end; padding-bottom: 8px; }
  label.check input { width: auto; }
  select, input, textarea { width: 100%; min-width: 0; font: inherit; font-size: 14px; color: var(--fg); padding: 7px 9px; border: 1px solid #c9d2dc; border-radius: 7px; background: #fff; }
  select:focus, input:focus, textarea:focus { outline: 2px solid var(--accent-soft); border-color: var(--accent); }
  textarea { min-height: 300px; resize: vertical; font-family: var(--mono); font-size: 13px; line-height: 1.45; white-space: pre-wrap; overflow-wrap: anywhere; }
  .io { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; margin-top: 14px; }
  .io h4 { margin-bottom: 6px; }
  .actions { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; margin-top: 12px; }
  button { font: inherit; font-size: 14px; font-weight: 600; border-radius: 7px; padding: 8px 16px; cursor: pointer; border: 1px solid var(--accent); background: var(--accent); color: #fff; }
  button:hover { filter: brightness(1.08); } button:disabled { opacity: .6; cursor: progress; }
  button.secondary { background: #fff; color: var(--accent); padding: 4px 12px; font-size: 13px; }
  .hint { font-size: 13px; color: var(--muted); }
  .notice { background: var(--accent-soft); border-radius: 8px; padding: 8px 12px; margin: 12px 0 0; font-size: 13px; }
  .status { font-size: 13px; font-weight: 600; padding: 2px 10px; border-radius: 999px; background: var(--bg); color: var(--muted); }
  .status.ok { background: var(--ok-soft); color: var(--ok); } .status.fault { background: var(--bad-soft); color: var(--bad); }
  #response { min-height: 300px; max-height: 640px; }
  #response.empty { color: #8a97ab; font-style: italic; }
  .response-meta { display: flex; gap: 6px 10px; align-items: center; flex-wrap: wrap; margin-bottom: 6px; min-height: 24px; }
  .fault-summary { background: var(--bad-soft); border: 1px solid #f4c7c3; border-radius: 8px; padding: 10px 12px; margin-bottom: 8px; font-size: 14px; }
  .fault-summary .fault-code { font-family: var(--mono); font-weight: 600; color: var(--bad); overflow-wrap: anywhere; }
  .fault-summary .fault-reason { white-space: pre-wrap; overflow-wrap: anywhere; margin: 4px 0; }
  dl.headers { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 12px; margin: 0 0 8px; font-size: 13px; font-family: var(--mono); }
  dl.headers dt { color: var(--muted); } dl.headers dd { margin: 0; overflow-wrap: anywhere; }
  .download { display: inline-block; border: 1px solid var(--accent); border-radius: 7px; padding: 4px 12px; font-weight: 600; margin-right: 8px; }
  ul.plain { margin: 4px 0 8px; padding-left: 20px; }
  footer { color: var(--muted); font-size: 13px; text-align: center; padding: 20px; }
  @media (max-width: 1000px) {
    .layout { grid-template-columns: minmax(0, 1fr); padding: 16px 16px 48px; gap: 12px; }
    nav.toc { position: static; max-height: 45vh; border: 1px solid var(--line); border-radius: 10px; background: var(--card); padding: 10px 14px; }
    .io { grid-template-columns: minmax(0, 1fr); }
    .form-grid { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  }
  @media (max-width: 600px) {
    .topbar { padding: 14px 16px; }
    .layout { padding: 12px 10px 40px; }
    .card { padding: 14px 12px; }
    .form-grid { grid-template-columns: minmax(0, 1fr); }
    details.operation > summary { grid-template-columns: minmax(0, 1fr); gap: 2px; }
    .op-body { padding-left: 6px; }
    dl.facts { grid-template-columns: minmax(0, 1fr); } dl.facts dt { margin-top: 4px; }
  }
</style>
</head>
<body>
<header class="topbar"><h1>${escapeHtml(input.title)}</h1><span class="sub">SOAP 1.1 &amp; 1.2 · document/literal · WS-Security UsernameToken and X.509</span></header>
<div class="layout">
  <nav class="toc" aria-label="Contents">
    <ul><li><a class="nav-version" href="#try-it">Try it</a></li><li><a class="nav-version" href="#clients">Clients and tools</a></li>${nav}</ul>
  </nav>
  <main>
    <section class="card try-it" id="try-it">
      <h2>Try it</h2>
      <p class="hint">Pick an operation, adjust the request body and send it. The page builds the whole envelope: a <code>wsu:Timestamp</code> and a UsernameToken (PasswordText, or PasswordDigest computed here in the browser).</p>
      <form id="try-form" autocomplete="off">
        <div class="form-grid" style="margin-top:12px">
          <label class="field">Endpoint<select id="endpoint" name="endpoint"></select></label>
          <label class="field">Operation<select id="operation" name="operation"></select></label>
          <label class="field">SOAP version<select id="soap-version" name="soapVersion"><option value="1.1">SOAP 1.1</option><option value="1.2">SOAP 1.2</option></select></label>
          <label class="field">Username<input id="username" name="username" placeholder="partner user name" spellcheck="false" autocapitalize="off"></label>
          <label class="field">Password<input id="password" name="password" type="password" spellcheck="false"></label>
          <label class="field">Password type<select id="password-type" name="passwordType"><option value="text">PasswordText</option><option value="digest">PasswordDigest (nonce + Created, SHA-1)</option></select></label>
          <label class="check"><input type="checkbox" id="timestamp" name="timestamp" checked> Add <code>wsu:Timestamp</code> (valid 5 min)</label>
        </div>
        <p class="hint" id="cred-hint"></p>
        <p class="hint" id="digest-note"></p>
        <details class="notice" id="x509-note"><summary><strong>X.509-signed calls</strong> (partner policy "requireSignature") need a client library: a browser page cannot sign with your private key.</summary>
          ${signed === undefined ? '' : `<pre class="code with-origin">${escapeHtml(signed.code)}</pre><p class="hint">${escapeHtml(signed.note)}</p>`}
        </details>
        <div class="io">
          <div><h4>Request body</h4><textarea id="request" name="request" spellcheck="false"></textarea></div>
          <div><div class="response-meta"><h4>Response</h4><span id="status" class="status">not sent yet</span><span id="elapsed" class="hint"></span></div>
            <div class="fault-summary" id="fault-summary" hidden><div class="fault-code" id="fault-code"></div><div class="fault-reason" id="fault-reason"></div><div class="hint" id="fault-hint"></div></div>
            <dl class="headers" id="response-headers"></dl>
            <pre class="xml wrap empty" id="response" aria-live="polite">The response appears here.</pre></div>
        </div>
        <div class="actions"><button type="submit" id="send">Send request</button><button type="button" class="secondary" id="copy-curl">Copy as curl</button>
          <span class="hint">The Timestamp expires after five minutes and a nonce is accepted once: copy again for a new call.</span></div>
        <div id="curl-box" hidden><p class="hint" id="curl-status"></p><pre class="code" id="curl-out"></pre></div>
        <details id="sent-box" hidden><summary class="hint">Envelope and headers sent</summary><pre class="xml wrap" id="sent-envelope"></pre></details>
      </form>
    </section>
    <section class="card" id="clients">
      <h2>Clients and tools</h2>
      <p class="hint">Generate a client from a WSDL:</p>
      <ul class="plain">${wsdlList}</ul>${snippets.map(snippetHtml).join('')}${soapUi}
    </section>
    ${sections}
  </main>
</div>
<footer>Partner Order Service · contracts are served from the endpoints themselves (<code>?wsdl</code>, <code>?xsd=</code>)</footer>
<script type="application/json" id="portal-data">${scriptJson(data)}</script>
<script>${PORTAL_SCRIPT}</script>
</body>
</html>
`;
}
