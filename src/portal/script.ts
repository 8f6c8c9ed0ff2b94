/**
 * The portal's browser script (inline, no build step, plain ES2017 so any current browser runs it).
 *
 * Try-it builds the whole envelope in the browser for any UsernameToken policy: a wsu:Timestamp
 * (Created now, Expires in five minutes) unless switched off, and PasswordText or PasswordDigest
 * (Base64(SHA-1(nonce + Created + password)) with WebCrypto, the nonce from crypto.getRandomValues).
 * WebCrypto's digest exists only in a secure context (https or localhost): elsewhere the digest option
 * says so instead of sending something wrong. The demo account is prefilled only when the server says
 * its published password still works (GET /portal/demo-account).
 *
 * Written with String.raw: backslashes reach the browser as written; no "${" may appear.
 */
export const PORTAL_SCRIPT = String.raw`
(function () {
  'use strict';
  var WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
  var WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
  var UT_PROFILE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0';
  var BASE64_BINARY = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';
  var endpoints = JSON.parse(document.getElementById('portal-data').textContent);
  var $ = function (id) { return document.getElementById(id); };
  var endpointSelect = $('endpoint'), operationSelect = $('operation'), request = $('request');
  var escapeXml = function (s) { return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'); };
  var current = function () { return endpoints.filter(function (e) { return e.path === endpointSelect.value; })[0]; };
  var operation = function () { return current().operations.filter(function (o) { return o.name === operationSelect.value; })[0]; };

  document.querySelectorAll('.with-origin').forEach(function (el) { el.textContent = el.textContent.split('{origin}').join(location.origin); });
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
  function load(path, name) { endpointSelect.value = path; fillOperations(name); }
  document.querySelectorAll('button.try').forEach(function (button) {
    button.addEventListener('click', function () {
      load(button.getAttribute('data-endpoint'), button.getAttribute('data-operation'));
      $('try-it').scrollIntoView({ behavior: 'smooth' });
      request.focus({ preventScroll: true });
    });
  });
  fillOperations();

  // Deep links: #v1-PartnerOrderService-SubmitOrder opens that operation (and its section) and scrolls to it.
  function openFromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id === '' ? null : document.getElementById(id);
    if (!target) return;
    for (var el = target; el; el = el.parentElement) if (el.tagName === 'DETAILS') el.open = true;
    target.scrollIntoView();
  }
  window.addEventListener('hashchange', openFromHash);
  openFromHash();
  document.querySelectorAll('details.operation > summary').forEach(function (summary) {
    summary.addEventListener('click', function () {
      var details = summary.parentElement;
      if (!details.open && history.replaceState) history.replaceState(null, '', '#' + details.id);
    });
  });

  // Demo account: only while its published password still works (the server checks).
  var credHint = $('cred-hint');
  fetch('/portal/demo-account', { headers: { Accept: 'application/json' } })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (demo) {
      if (demo && demo.username && $('username').value === '' && $('password').value === '') {
        $('username').value = demo.username;
        $('password').value = demo.password;
        credHint.textContent = 'Prefilled with the demo partner "' + demo.username + '" (its published password still works). Use your own partner credentials to see your policy at work.';
        $('username').addEventListener('input', function () {
          credHint.textContent = $('username').value === demo.username ? 'The demo partner "' + demo.username + '".' : 'Your partner user name and password (an operator creates them with partner-orders partner add).';
        }, { once: false });
      } else {
        credHint.textContent = 'Sign in with your partner user name and password (an operator creates them with partner-orders partner add).';
      }
    })
    .catch(function () { credHint.textContent = 'Sign in with your partner user name and password.'; });

  var digestAvailable = !!(window.crypto && window.crypto.subtle);
  var passwordType = $('password-type');
  if (!digestAvailable) {
    passwordType.querySelector('option[value="digest"]').disabled = true;
    $('digest-note').textContent = 'PasswordDigest needs WebCrypto, which browsers offer only over https or on localhost; this page uses PasswordText.';
  }

  function base64(bytes) { var s = ''; for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]); return btoa(s); }
  function isoSeconds(date) { return date.toISOString().replace(/\.\d{3}Z$/, 'Z'); }

  // The wsse:Security header for the form's settings; a Promise because the digest is computed with WebCrypto.
  function securityHeader(version) {
    var user = $('username').value, password = $('password').value;
    var withTimestamp = $('timestamp').checked, digest = passwordType.value === 'digest';
    if (user === '' && !withTimestamp) return Promise.resolve('');
    var now = new Date(), created = isoSeconds(now);
    var timestamp = withTimestamp
      ? '<wsu:Timestamp wsu:Id="TS-1"><wsu:Created>' + created + '</wsu:Created><wsu:Expires>' + isoSeconds(new Date(now.getTime() + 300000)) + '</wsu:Expires></wsu:Timestamp>'
      : '';
    var open = '<wsse:Security soap:mustUnderstand="' + (version === '1.2' ? 'true' : '1') + '" xmlns:wsse="' + WSSE + '" xmlns:wsu="' + WSU + '">';
    if (user === '') return Promise.resolve(open + timestamp + '</wsse:Security>');
    var token = function (passwordElement, extra) {
      return open + timestamp + '<wsse:UsernameToken wsu:Id="UT-1"><wsse:Username>' + escapeXml(user) + '</wsse:Username>' + passwordElement + extra + '</wsse:UsernameToken></wsse:Security>';
    };
    if (!digest || !digestAvailable) {
      return Promise.resolve(token('<wsse:Password Type="' + UT_PROFILE + '#PasswordText">' + escapeXml(password) + '</wsse:Password>', ''));
    }
    var nonce = crypto.getRandomValues(new Uint8Array(16));
    var rest = new TextEncoder().encode(created + password);
    var input = new Uint8Array(nonce.length + rest.length);
    input.set(nonce, 0); input.set(rest, nonce.length);
    return crypto.subtle.digest('SHA-1', input).then(function (hash) {
      return token('<wsse:Password Type="' + UT_PROFILE + '#PasswordDigest">' + base64(new Uint8Array(hash)) + '</wsse:Password>',
        '<wsse:Nonce EncodingType="' + BASE64_BINARY + '">' + base64(nonce) + '</wsse:Nonce><wsu:Created>' + created + '</wsu:Created>');
    });
  }

  function buildEnvelope(version, body) {
    var ns = version === '1.2' ? 'http://www.w3.org/2003/05/soap-envelope' : 'http://schemas.xmlsoap.org/soap/envelope/';
    return securityHeader(version).then(function (security) {
      return '<?xml version="1.0" encoding="utf-8"?>\n<soap:Envelope xmlns:soap="' + ns + '">' +
        (security === '' ? '' : '<soap:Header>' + security + '</soap:Header>') + '<soap:Body>\n' + body + '\n</soap:Body></soap:Envelope>';
    });
  }

  function requestHeaders(version, op) {
    return version === '1.2'
      ? { 'Content-Type': 'application/soap+xml; charset=utf-8; action="' + op.soapAction + '"' }
      : { 'Content-Type': 'text/xml; charset=utf-8', 'SOAPAction': '"' + op.soapAction + '"' };
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
    return out.join('\n');
  }

  // What a fault means and what to change; the server's own reason is shown as sent.
  var HINTS = {
    InvalidSecurity: 'The WS-Security header does not meet your partner policy. Usual causes: the policy requires a Timestamp (keep "Add wsu:Timestamp" on) or an X.509 signature (a browser cannot sign: use a client library, see "X.509-signed calls"). The server does not say more to callers; an operator finds the exact cause in the log under the X-Request-Id below.',
    FailedAuthentication: 'User name or password not accepted, the partner is disabled, or your policy does not allow this password type (try the other one). The server answers every such case alike, so it never tells whether an account exists.',
    InvalidSecurityToken: 'The UsernameToken is malformed (empty user name or password, bad nonce or Created).',
    MessageExpired: 'The Timestamp is outside the accepted window: check this computer\'s clock.',
    UnsupportedAlgorithm: 'The signature uses an algorithm your policy does not allow.',
    FailedCheck: 'The signature did not verify.',
  };
  function child(el, local) { for (var c = el.firstElementChild; c; c = c.nextElementSibling) if (c.localName === local) return c; return null; }
  function describeFault(xml) {
    var doc = new DOMParser().parseFromString(xml, 'application/xml');
    var fault = doc.getElementsByTagNameNS('*', 'Fault')[0];
    if (!fault) return null;
    var code, reason, detail;
    if (child(fault, 'faultcode')) {
      code = child(fault, 'faultcode').textContent.trim();
      reason = (child(fault, 'faultstring') || {}).textContent || '';
      detail = child(fault, 'detail');
    } else {
      var codeEl = child(fault, 'Code'), sub = codeEl && child(codeEl, 'Subcode');
      code = ((codeEl && child(codeEl, 'Value')) || {}).textContent || '';
      if (sub && child(sub, 'Value')) code += ' / ' + child(sub, 'Value').textContent.trim();
      var reasonEl = child(fault, 'Reason');
      reason = ((reasonEl && child(reasonEl, 'Text')) || {}).textContent || '';
      detail = child(fault, 'Detail');
    }
    var local = code.split('/').pop().trim().split(':').pop();
    var detailEl = detail && detail.firstElementChild;
    return { code: code, reason: reason.trim(), detail: detailEl ? detailEl.localName : '', hint: HINTS[local] || '' };
  }

  function showFault(summary) {
    var box = $('fault-summary');
    if (!summary) { box.hidden = true; return; }
    box.hidden = false;
    $('fault-code').textContent = summary.code + (summary.detail ? ' · ' + summary.detail : '');
    $('fault-reason').textContent = summary.reason;
    $('fault-hint').textContent = summary.hint;
  }

  var SHOWN_HEADERS = ['content-type', 'x-request-id', 'retry-after', 'deprecation', 'sunset', 'link', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'ratelimit-policy'];
  function showHeaders(response) {
    var list = $('response-headers');
    list.innerHTML = '';
    SHOWN_HEADERS.forEach(function (name) {
      var value = response.headers.get(name);
      if (value === null) return;
      var dt = document.createElement('dt'), dd = document.createElement('dd');
      dt.textContent = name; dd.textContent = value;
      list.appendChild(dt); list.appendChild(dd);
    });
  }

  function curlFor(version, op, envelope) {
    var headers = requestHeaders(version, op);
    var parts = ['curl -sS -i ' + "'" + location.origin + endpointSelect.value + "'"];
    Object.keys(headers).forEach(function (name) { parts.push("-H '" + name + ': ' + headers[name].replace(/'/g, "'\\''") + "'"); });
    parts.push("--data-binary @- <<'SOAP'");
    return parts.join(' \\\n  ') + '\n' + envelope + '\nSOAP';
  }

  $('copy-curl').addEventListener('click', function () {
    var version = $('soap-version').value, op = operation();
    buildEnvelope(version, request.value).then(function (envelope) {
      var text = curlFor(version, op, envelope);
      $('curl-out').textContent = text;
      $('curl-box').hidden = false;
      var done = function (ok) { $('curl-status').textContent = ok ? 'Copied to the clipboard.' : 'Select the command below and copy it.'; };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
      else done(false);
    });
  });
  document.querySelectorAll('button.op-curl').forEach(function (button) {
    button.addEventListener('click', function () {
      load(button.getAttribute('data-endpoint'), button.getAttribute('data-operation'));
      $('copy-curl').click();
      $('curl-box').scrollIntoView({ behavior: 'smooth', block: 'nearest' });
    });
  });

  $('try-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var version = $('soap-version').value, op = operation(), send = $('send'), status = $('status');
    send.disabled = true; status.className = 'status'; status.textContent = 'sending…';
    buildEnvelope(version, request.value).then(function (envelope) {
      $('sent-envelope').textContent = 'POST ' + location.origin + endpointSelect.value + '\n' +
        Object.keys(requestHeaders(version, op)).map(function (k) { return k + ': ' + requestHeaders(version, op)[k]; }).join('\n') + '\n\n' + pretty(envelope);
      $('sent-box').hidden = false;
      var started = performance.now();
      return fetch(endpointSelect.value, { method: 'POST', headers: requestHeaders(version, op), body: envelope }).then(function (response) {
        return response.text().then(function (text) {
          var summary = describeFault(text);
          status.className = 'status ' + (response.ok && !summary ? 'ok' : 'fault');
          status.textContent = 'HTTP ' + response.status + (summary ? ' · SOAP Fault' : '');
          var deprecation = response.headers.get('Deprecation');
          $('elapsed').textContent = Math.round(performance.now() - started) + ' ms' + (deprecation ? ' · deprecated version (Sunset: ' + (response.headers.get('Sunset') || 'n/a') + ')' : '');
          showFault(summary);
          showHeaders(response);
          $('response').className = 'xml wrap';
          $('response').textContent = pretty(text);
        });
      });
    })
      .catch(function (error) { status.className = 'status fault'; status.textContent = 'network error'; showFault(null); $('response').className = 'xml wrap'; $('response').textContent = String(error); })
      .then(function () { send.disabled = false; });
  });
})();
`;
