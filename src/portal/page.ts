/**
 * The service portal page: server-rendered HTML with inline CSS and a small inline script (no build
 * step). Lists every version, service and operation with its documentation, links to the WSDL and XSDs,
 * shows a sample request per operation, and has a form that sends a request with a UsernameToken.
 */
import type { VersionPolicy } from '../config';
import type { PortalEndpoint } from './model';
import { escapeXml as escapeHtml } from './sample';

export interface PortalPageInput {
  title: string;
  endpoints: readonly PortalEndpoint[];
  versions: Readonly<Record<string, VersionPolicy>>;
  /** Prefilled in the form (the demo partner outside production); undefined leaves it empty. */
  defaultUsername?: string;
}

/** JSON inside <script>: "<" escaped so no text can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const anchor = (endpoint: PortalEndpoint, operation?: string): string =>
  `${endpoint.version}-${endpoint.service}${operation === undefined ? '' : `-${operation}`}`.replace(/[^A-Za-z0-9_-]/g, '-');

function versionBadge(version: string, policy: VersionPolicy | undefined, latest: string): string {
  if (policy?.deprecated) {
    const sunset = policy.sunset === null ? '' : `, sunset ${escapeHtml(policy.sunset.slice(0, 10))}`;
    const link = policy.link === null ? '' : ` <a href="${escapeHtml(policy.link)}">migration notes</a>`;
    return `<span class="badge deprecated">deprecated${sunset}</span>${link}`;
  }
  return version === latest ? '<span class="badge current">current</span>' : '<span class="badge supported">supported</span>';
}

function operationHtml(endpoint: PortalEndpoint, operation: PortalEndpoint['operations'][number]): string {
  const faults = operation.faults.length === 0 ? '<span class="muted">none</span>' : operation.faults.map((f) => `<code>${escapeHtml(f)}</code>`).join(' ');
  return `
        <details class="operation" id="${anchor(endpoint, operation.name)}">
          <summary><span class="op-name">${escapeHtml(operation.name)}</span><span class="op-doc">${escapeHtml(operation.documentation)}</span></summary>
          <div class="op-body">
            <dl class="facts">
              <dt>Request</dt><dd><code>${escapeHtml(operation.input)}</code></dd>
              <dt>Response</dt><dd>${operation.output === undefined ? '<span class="muted">one-way</span>' : `<code>${escapeHtml(operation.output)}</code>`}</dd>
              <dt>Faults</dt><dd>${faults}</dd>
              <dt>SOAPAction</dt><dd><code>${escapeHtml(operation.soapAction)}</code></dd>
            </dl>
            <div class="sample-head"><h4>Sample request body</h4>
              <button type="button" class="secondary try" data-endpoint="${escapeHtml(endpoint.path)}" data-operation="${escapeHtml(operation.name)}">Try it</button></div>
            <pre class="xml">${escapeHtml(operation.sample)}</pre>
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

export function renderPortalPage(input: PortalPageInput): string {
  const versions = [...new Set(input.endpoints.map((e) => e.version))].sort().reverse();
  const latest = versions[0] ?? '';
  const nav = versions
    .map((version) => {
      const items = input.endpoints
        .filter((e) => e.version === version)
        .map((e) => `<li><a href="#${anchor(e)}">${escapeHtml(e.service)}</a></li>`)
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
  const data = versions.flatMap((version) => input.endpoints.filter((e) => e.version === version)).map((e) => ({
    path: e.path,
    label: `${e.path} · ${e.service}`,
    operations: e.operations.map((o) => ({ name: o.name, soapAction: o.soapAction, sample: o.sample })),
  }));

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
  body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
  a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
  code, pre, textarea { font-family: var(--mono); font-size: 13px; }
  .topbar { background: #14213d; color: #fff; padding: 18px 32px; display: flex; align-items: baseline; gap: 16px; flex-wrap: wrap; }
  .topbar h1 { margin: 0; font-size: 20px; font-weight: 600; letter-spacing: .2px; }
  .topbar .sub { color: #c7d2e3; font-size: 14px; }
  .layout { display: grid; grid-template-columns: 220px minmax(0, 1fr); gap: 28px; max-width: 1280px; margin: 0 auto; padding: 24px 32px 64px; }
  nav.toc { position: sticky; top: 20px; align-self: start; font-size: 14px; }
  nav.toc ul { list-style: none; margin: 0; padding: 0; } nav.toc ul ul { margin: 2px 0 10px 12px; }
  nav.toc li { margin: 3px 0; } .nav-version { font-weight: 600; color: var(--fg); }
  .card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 20px 22px; margin-bottom: 20px; box-shadow: 0 1px 2px rgba(16,24,40,.04); }
  h2 { font-size: 19px; margin: 30px 0 14px; display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
  h3 { font-size: 17px; margin: 0 0 4px; } h4 { margin: 0; font-size: 13px; text-transform: uppercase; letter-spacing: .5px; color: var(--muted); }
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
  details.operation summary { cursor: pointer; padding: 10px 4px; display: grid; grid-template-columns: 170px 1fr; gap: 12px; list-style: none; }
  details.operation summary::-webkit-details-marker { display: none; }
  details.operation summary:hover { background: var(--bg); }
  .op-name { font-family: var(--mono); font-weight: 600; color: var(--accent); } .op-name::before { content: "▸ "; color: var(--muted); }
  details[open] .op-name::before { content: "▾ "; }
  .op-doc { color: var(--fg); }
  .op-body { padding: 4px 4px 16px 24px; }
  dl.facts { display: grid; grid-template-columns: 110px 1fr; gap: 4px 12px; margin: 6px 0 12px; font-size: 14px; }
  dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
  .sample-head { display: flex; align-items: center; justify-content: space-between; margin-bottom: 6px; }
  pre.xml { background: #0f1729; color: #e2e8f0; padding: 12px 14px; border-radius: 8px; overflow: auto; margin: 0; max-height: 420px; }
  .try-it { border-top: 4px solid var(--accent); }
  .try-it h2 { margin-top: 0; }
  .form-grid { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 1.4fr) minmax(0, 1fr); gap: 12px 14px; }
  .form-grid .note { align-self: end; padding-bottom: 8px; }
  label.field { display: flex; flex-direction: column; gap: 4px; font-size: 13px; color: var(--muted); font-weight: 600; }
  select, input, textarea { width: 100%; min-width: 0; font: inherit; font-size: 14px; color: var(--fg); padding: 7px 9px; border: 1px solid #c9d2dc; border-radius: 7px; background: #fff; }
  select:focus, input:focus, textarea:focus { outline: 2px solid var(--accent-soft); border-color: var(--accent); }
  textarea { min-height: 260px; resize: vertical; font-family: var(--mono); font-size: 13px; line-height: 1.45; white-space: pre; overflow: auto; }
  .io { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 16px; margin-top: 14px; }
  .io h4 { margin-bottom: 6px; }
  .actions { display: flex; align-items: center; gap: 12px; margin-top: 12px; }
  button { font: inherit; font-size: 14px; font-weight: 600; border-radius: 7px; padding: 8px 16px; cursor: pointer; border: 1px solid var(--accent); background: var(--accent); color: #fff; }
  button:hover { filter: brightness(1.08); } button:disabled { opacity: .6; cursor: progress; }
  button.secondary { background: #fff; color: var(--accent); padding: 4px 12px; font-size: 13px; }
  .hint { font-size: 13px; color: var(--muted); }
  .status { font-size: 13px; font-weight: 600; padding: 2px 10px; border-radius: 999px; background: var(--bg); color: var(--muted); }
  .status.ok { background: var(--ok-soft); color: var(--ok); } .status.fault { background: var(--bad-soft); color: var(--bad); }
  #response { min-height: 260px; max-height: 520px; white-space: pre; }
  #response.empty { color: #8a97ab; font-style: italic; }
  .response-meta { display: flex; gap: 10px; align-items: center; margin-bottom: 6px; min-height: 24px; }
  footer { color: var(--muted); font-size: 13px; text-align: center; padding: 20px; }
  @media (max-width: 1000px) { .layout { grid-template-columns: 1fr; } nav.toc { position: static; } .form-grid, .io { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); } }
</style>
</head>
<body>
<header class="topbar"><h1>${escapeHtml(input.title)}</h1><span class="sub">SOAP 1.1 &amp; 1.2 · document/literal · WS-Security UsernameToken</span></header>
<div class="layout">
  <nav class="toc" aria-label="Contents">
    <ul><li><a class="nav-version" href="#try-it">Try it</a></li>${nav}</ul>
  </nav>
  <main>
    <section class="card try-it" id="try-it">
      <h2>Try it</h2>
      <p class="hint">Pick an endpoint and an operation, adjust the request body, and send it. The page wraps the body in a SOAP envelope with your credentials.</p>
      <form id="try-form" autocomplete="off">
        <div class="form-grid" style="margin-top:12px">
          <label class="field">Endpoint<select id="endpoint" name="endpoint"></select></label>
          <label class="field">Operation<select id="operation" name="operation"></select></label>
          <label class="field">SOAP version<select id="soap-version" name="soapVersion"><option value="1.1">SOAP 1.1</option><option value="1.2">SOAP 1.2</option></select></label>
          <label class="field">Username<input id="username" name="username" value="${escapeHtml(input.defaultUsername ?? '')}" placeholder="partner user name" spellcheck="false"></label>
          <label class="field">Password<input id="password" name="password" type="password" spellcheck="false"></label>
          <span class="hint note">Sent as a WS-Security UsernameToken (PasswordText).</span>
        </div>
        <div class="io">
          <div><h4>Request body</h4><textarea id="request" name="request" spellcheck="false" wrap="off"></textarea></div>
          <div><div class="response-meta"><h4>Response</h4><span id="status" class="status">not sent yet</span><span id="elapsed" class="hint"></span></div>
            <pre class="xml empty" id="response" aria-live="polite">The response appears here.</pre></div>
        </div>
        <div class="actions"><button type="submit" id="send">Send request</button><span class="hint" id="sent-to"></span></div>
      </form>
    </section>
    ${sections}
  </main>
</div>
<footer>Partner Order Service · contracts are served from the endpoints themselves (<code>?wsdl</code>, <code>?xsd=</code>)</footer>
<script type="application/json" id="portal-data">${scriptJson(data)}</script>
<script>
(function () {
  var endpoints = JSON.parse(document.getElementById('portal-data').textContent);
  var $ = function (id) { return document.getElementById(id); };
  var endpointSelect = $('endpoint'), operationSelect = $('operation'), request = $('request');
  var escapeXml = function (s) { return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'); };
  var current = function () { return endpoints.filter(function (e) { return e.path === endpointSelect.value; })[0]; };
  var operation = function () { return current().operations.filter(function (o) { return o.name === operationSelect.value; })[0]; };
  document.querySelectorAll('.endpoint-url').forEach(function (el) { el.textContent = location.origin + el.getAttribute('data-path'); });
  endpoints.forEach(function (e) { endpointSelect.add(new Option(e.label, e.path)); });
  function fillOperations(selected) {
    operationSelect.innerHTML = '';
    current().operations.forEach(function (o) { operationSelect.add(new Option(o.name, o.name)); });
    if (selected) operationSelect.value = selected;
    request.value = operation().sample;
  }
  endpointSelect.addEventListener('change', function () { fillOperations(); });
  operationSelect.addEventListener('change', function () { request.value = operation().sample; });
  document.querySelectorAll('button.try').forEach(function (button) {
    button.addEventListener('click', function () {
      endpointSelect.value = button.getAttribute('data-endpoint');
      fillOperations(button.getAttribute('data-operation'));
      $('try-it').scrollIntoView({ behavior: 'smooth' });
    });
  });
  fillOperations();

  function envelope(version, body) {
    var ns = version === '1.2' ? 'http://www.w3.org/2003/05/soap-envelope' : 'http://schemas.xmlsoap.org/soap/envelope/';
    var user = $('username').value, password = $('password').value, header = '';
    if (user !== '') {
      header = '<soap:Header><wsse:Security soap:mustUnderstand="' + (version === '1.2' ? 'true' : '1') + '" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">' +
        '<wsse:UsernameToken><wsse:Username>' + escapeXml(user) + '</wsse:Username>' +
        '<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">' + escapeXml(password) +
        '</wsse:Password></wsse:UsernameToken></wsse:Security></soap:Header>';
    }
    return '<?xml version="1.0" encoding="utf-8"?>\\n<soap:Envelope xmlns:soap="' + ns + '">' + header + '<soap:Body>\\n' + body + '\\n</soap:Body></soap:Envelope>';
  }

  function pretty(xml) {
    var doc = new DOMParser().parseFromString(xml, 'application/xml');
    if (doc.getElementsByTagName('parsererror').length > 0) return xml;
    var out = [];
    (function walk(node, depth) {
      var pad = new Array(depth + 1).join('  ');
      if (node.nodeType === 3) { var t = node.nodeValue.trim(); if (t) out.push(pad + escapeXml(t)); return; }
      if (node.nodeType !== 1) return;
      var attrs = Array.prototype.map.call(node.attributes, function (a) { return ' ' + a.name + '="' + escapeXml(a.value) + '"'; }).join('');
      var kids = Array.prototype.filter.call(node.childNodes, function (c) { return c.nodeType === 1 || (c.nodeType === 3 && c.nodeValue.trim() !== ''); });
      if (kids.length === 0) { out.push(pad + '<' + node.nodeName + attrs + '/>'); return; }
      if (kids.length === 1 && kids[0].nodeType === 3) { out.push(pad + '<' + node.nodeName + attrs + '>' + escapeXml(kids[0].nodeValue.trim()) + '</' + node.nodeName + '>'); return; }
      out.push(pad + '<' + node.nodeName + attrs + '>');
      kids.forEach(function (c) { walk(c, depth + 1); });
      out.push(pad + '</' + node.nodeName + '>');
    })(doc.documentElement, 0);
    return out.join('\\n');
  }

  $('try-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var version = $('soap-version').value, op = operation(), send = $('send'), status = $('status');
    var headers = version === '1.2'
      ? { 'Content-Type': 'application/soap+xml; charset=utf-8; action="' + op.soapAction + '"' }
      : { 'Content-Type': 'text/xml; charset=utf-8', 'SOAPAction': '"' + op.soapAction + '"' };
    var started = performance.now();
    send.disabled = true; status.className = 'status'; status.textContent = 'sending…';
    $('sent-to').textContent = 'POST ' + location.origin + endpointSelect.value;
    fetch(endpointSelect.value, { method: 'POST', headers: headers, body: envelope(version, request.value) })
      .then(function (response) {
        return response.text().then(function (text) {
          var fault = /<([A-Za-z0-9_]+:)?Fault[\\s>]/.test(text);
          status.className = 'status ' + (response.ok && !fault ? 'ok' : 'fault');
          status.textContent = 'HTTP ' + response.status + (fault ? ' · SOAP Fault' : '');
          var deprecation = response.headers.get('Deprecation');
          $('elapsed').textContent = Math.round(performance.now() - started) + ' ms' + (deprecation ? ' · deprecated version (Sunset: ' + (response.headers.get('Sunset') || 'n/a') + ')' : '');
          $('response').className = 'xml';
          $('response').textContent = pretty(text);
        });
      })
      .catch(function (error) { status.className = 'status fault'; status.textContent = 'network error'; $('response').className = 'xml'; $('response').textContent = String(error); })
      .then(function () { send.disabled = false; });
  });
})();
</script>
</body>
</html>
`;
}
