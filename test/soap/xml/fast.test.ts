import assert from 'node:assert/strict';
import { parseXmlFast } from '../../../src/soap/xml/fast';
import { parseXmlDom, domElementView, domNodeOf } from '../../../src/soap/xml/dom';
import { XmlRejectedError, type XmlRejectReason } from '../../../src/soap/xml/guard';
import type { XmlElement } from '../../../src/soap/xml/element';

function rejects(
  xml: string | Buffer,
  reason: XmlRejectReason,
  limits?: { maxDepth?: number; maxElements?: number },
): void {
  for (const parse of [
    (x: string | Buffer) => parseXmlFast(x, { limits }),
    (x: string | Buffer) => parseXmlDom(x, { limits }),
  ]) {
    assert.throws(
      () => parse(xml),
      (e: unknown) => {
        assert.ok(e instanceof XmlRejectedError, `expected XmlRejectedError, got ${String(e)}`);
        assert.equal(e.reason, reason, e.message);
        return true;
      },
    );
  }
}

/** A plain snapshot of a view, for comparing the two adapters. */
function snapshot(el: XmlElement): unknown {
  return {
    ns: el.ns,
    local: el.local,
    prefix: el.prefix,
    text: el.text,
    mixed: el.hasMixedText,
    attributes: el.attributes.map((a) => [a.ns, a.local, a.value]),
    children: el.children.map(snapshot),
  };
}

describe('xml/fast parser', () => {
  it('resolves prefixes, default namespaces and scoping', () => {
    const root = parseXmlFast(
      '<?xml version="1.0" encoding="utf-8"?>\n<a:r xmlns:a="urn:a" xmlns="urn:d"><x/><a:y xmlns="" z="1" a:w="2"><q/></a:y><b:z xmlns:b="urn:a"/></a:r>',
    );
    assert.equal(root.ns, 'urn:a');
    assert.equal(root.local, 'r');
    assert.equal(root.prefix, 'a');
    const [x, y, z] = root.children;
    assert.equal(x.ns, 'urn:d');
    assert.equal(y.ns, 'urn:a');
    assert.equal(y.children[0].ns, '');
    assert.deepEqual(
      y.attributes.map((a) => [a.ns, a.local, a.value]),
      [
        ['', 'z', '1'],
        ['urn:a', 'w', '2'],
      ],
    );
    assert.equal(y.attr('urn:a', 'w'), '2');
    assert.equal(z.ns, 'urn:a');
    assert.equal(y.lookupNamespace(''), '');
    assert.equal(x.lookupNamespace(''), 'urn:d');
    assert.equal(x.lookupNamespace('nope'), undefined);
  });

  it('expands predefined entities and character references, keeps CDATA as text, ignores comments', () => {
    const root = parseXmlFast(
      '<r a="&lt;&#x41;&#66;&quot;">x &amp;lt; &gt;&apos;<!-- c --><![CDATA[<&]]>&#x1F600;</r>',
    );
    assert.equal(root.text, "x &lt; >'<&\u{1F600}");
    assert.equal(root.attr('', 'a'), '<AB"');
    assert.equal(root.hasMixedText, false);
  });

  it('normalizes line ends and attribute whitespace', () => {
    const root = parseXmlFast('<r a="x\ty\nz&#10;">a\r\nb\rc</r>');
    assert.equal(root.text, 'a\nb\nc');
    assert.equal(root.attr('', 'a'), 'x y z\n');
  });

  it('keeps names apart that share length and first character', () => {
    const root = parseXmlFast('<r xmlns:p="urn:p" xmlns:q="urn:q"><ab ax="1"/><ac ay="2"/><p:x/><q:x/><ab/></r>');
    assert.deepEqual(
      root.children.map((c) => [c.ns, c.local]),
      [
        ['', 'ab'],
        ['', 'ac'],
        ['urn:p', 'x'],
        ['urn:q', 'x'],
        ['', 'ab'],
      ],
    );
    assert.equal(root.children[1].attr('', 'ay'), '2');
    assert.equal(root.children[1].attr('', 'ax'), undefined);
  });

  it('keeps names apart that share a hash or start with a name read before', () => {
    // 'Aa' and 'BB' have the same 31-based hash; 'a', 'ab' and 'abc' follow one another as predictions.
    const root = parseXmlFast('<r><Aa/><BB/><ab/><a/><ab/><abc/><ab x="1"/><a/><abc/><ab/></r>');
    assert.deepEqual(
      root.children.map((c) => c.local),
      ['Aa', 'BB', 'ab', 'a', 'ab', 'abc', 'ab', 'a', 'abc', 'ab'],
    );
    assert.equal(root.children[6].attr('', 'x'), '1');
    assert.throws(() => parseXmlFast('<r><Aa></BB></r>'), /end tag does not match <Aa>/);
    assert.throws(() => parseXmlFast('<r><ab/><abc></ab></abc></r>'), /end tag does not match <abc>/);
  });

  it('serializes nested declarations on the elements that made them', () => {
    const root = parseXmlFast(
      '<r xmlns:a="urn:a"><c xmlns:x="urn:x" xmlns="urn:d" x:k="1"><d/><a:e xmlns:a="urn:b"/></c></r>',
    );
    assert.equal(
      root.toXml(),
      '<r xmlns:a="urn:a" xmlns=""><c xmlns:x="urn:x" xmlns="urn:d" x:k="1"><d/><a:e xmlns:a="urn:b"/></c></r>',
    );
    assert.equal(
      root.children[0].toXml(),
      '<c xmlns:x="urn:x" xmlns="urn:d" xmlns:a="urn:a" x:k="1"><d/><a:e xmlns:a="urn:b"/></c>',
    );
    assert.equal(root.children[0].children[1].ns, 'urn:b');
    assert.equal(root.children[0].lookupNamespace('a'), 'urn:a');
  });

  it('flags mixed content', () => {
    assert.equal(parseXmlFast('<r> <a/> </r>').hasMixedText, false);
    assert.equal(parseXmlFast('<r> x<a/></r>').hasMixedText, true);
  });

  it('accepts a UTF-8 BOM and non-ASCII names', () => {
    const root = parseXmlFast(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<größe>ü</größe>')]));
    assert.equal(root.local, 'größe');
    assert.equal(root.text, 'ü');
  });

  it('serializes an element with the namespaces it needs', () => {
    const root = parseXmlFast(
      '<s:Env xmlns:s="urn:s" xmlns:t="urn:t"><t:item k="a&amp;b" xmlns:u="urn:u"><u:v>1 &lt; 2</u:v><plain/></t:item></s:Env>',
    );
    const item = root.children[0];
    const again = parseXmlFast(item.toXml());
    assert.deepEqual(snapshot(again), snapshot(item));
  });

  describe('rejects', () => {
    it('malformed documents', () => {
      for (const bad of [
        '<a>',
        '<a></b>',
        '<a/><b/>',
        'x<a/>',
        '<a/>x',
        '<a b="1" b="2"/>',
        '<a b=1/>',
        '<a>&foo;</a>'.replace('&foo;', '&#0;'),
        '<a><b></a></b>',
        '<a b="<"/>',
        '<a>]]></a>',
        '<a><!-- -- --></a>',
        '',
        '<a x:y="1" xmlns:x="urn:x" xmlns:z="urn:x" z:y="2"/>',
        '<1a/>',
        '<a:b:c xmlns:a="u"/>',
        '<a xmlns:p=""/>',
      ]) {
        assert.throws(() => parseXmlFast(bad), XmlRejectedError, bad);
      }
    });
    it('undefined entities and undeclared prefixes', () => {
      rejects('<a>&nbsp;</a>', 'undefined-entity');
      rejects('<p:a/>', 'undeclared-prefix');
      rejects('<a p:b="1"/>', 'undeclared-prefix');
    });
    it('DOCTYPE, XXE and billion laughs', () => {
      rejects('<!DOCTYPE a><a/>', 'doctype');
      rejects('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>', 'doctype');
      const lol =
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>';
      rejects(lol, 'doctype');
      assert.throws(
        () => parseXmlFast('<a><!DOCTYPE a></a>'),
        (e: unknown) => e instanceof XmlRejectedError && e.reason === 'doctype',
      );
    });
    it('processing instructions except the leading declaration', () => {
      rejects('<?xml-stylesheet href="x"?><a/>', 'processing-instruction');
      rejects('<a><?php echo 1 ?></a>', 'processing-instruction');
      assert.throws(() => parseXmlFast(' <?xml version="1.0"?><a/>'), XmlRejectedError);
    });
    it('invalid UTF-8, invalid characters and other encodings', () => {
      rejects(Buffer.from([0x3c, 0x61, 0x3e, 0xc3, 0x28, 0x3c, 0x2f, 0x61, 0x3e]), 'invalid-utf8');
      rejects('<a>\u0001</a>', 'invalid-character');
      rejects('<?xml version="1.0" encoding="ISO-8859-1"?><a/>', 'unsupported-encoding');
    });
    it('over-deep nesting without blowing the stack', () => {
      const deep = '<a>'.repeat(10_000) + '</a>'.repeat(10_000);
      rejects(deep, 'too-deep');
      assert.equal(parseXmlFast(deep, { limits: { maxDepth: 20_000 } }).local, 'a');
      rejects('<a>'.repeat(65) + '</a>'.repeat(65), 'too-deep');
      assert.doesNotThrow(() => parseXmlFast('<a>'.repeat(64) + '</a>'.repeat(64)));
    });
    it('thousands of attributes on one tag stay linear, duplicates still caught', () => {
      const many = Array.from({ length: 20_000 }, (_, i) => `a${i}="${i}" p:b${i}="${i}"`).join(' ');
      const started = Date.now();
      assert.equal(parseXmlFast(`<r xmlns:p="urn:p" ${many}/>`).attributes.length, 40_000);
      assert.ok(Date.now() - started < 2000);
      assert.throws(() => parseXmlFast(`<r ${many.replace(/ p:b\d+="\d+"/g, '')} a7="x"/>`), /duplicate attribute a7/);
      assert.throws(
        () => parseXmlFast(`<r xmlns:p="urn:p" xmlns:q="urn:p" ${many} q:b9="x"/>`),
        /duplicate attribute \{urn:p\}b9/,
      );
    });
    it('too many elements', () => {
      rejects(`<r>${'<x/>'.repeat(100)}</r>`, 'too-many-elements', { maxElements: 100 });
      assert.doesNotThrow(() => parseXmlFast(`<r>${'<x/>'.repeat(99)}</r>`, { limits: { maxElements: 100 } }));
    });
    it('a 10 MiB body parses in bounded time', () => {
      const big = `<r>${'<x a="1">some text here</x>'.repeat(Math.ceil((10 * 1024 * 1024) / 28))}</r>`;
      const started = Date.now();
      assert.throws(
        () => parseXmlFast(big),
        (e: unknown) => e instanceof XmlRejectedError && e.reason === 'too-many-elements',
      );
      assert.equal(
        parseXmlFast(big, { limits: { maxElements: 1_000_000 } }).children.length,
        Math.ceil((10 * 1024 * 1024) / 28),
      );
      assert.ok(Date.now() - started < 5000);
    });
  });
});

describe('xml/dom adapter', () => {
  const doc =
    '<s:E xmlns:s="urn:s" xmlns="urn:d"><a x="1" s:y="2">t<![CDATA[u]]></a><b xmlns=""><c>&amp;</c></b><d> x <e/></d></s:E>';
  it('gives the same view as the fast parser', () => {
    const fast = parseXmlFast(doc);
    const dom = domElementView(parseXmlDom(doc).documentElement);
    assert.deepEqual(snapshot(dom), snapshot(fast));
    assert.equal(dom.children[1].lookupNamespace(''), '');
    assert.equal(dom.children[0].lookupNamespace(''), 'urn:d');
    assert.equal(dom.children[0].lookupNamespace('s'), 'urn:s');
  });
  it('maps views back to their nodes, identity-stable', () => {
    const d = parseXmlDom(doc);
    const view = domElementView(d.documentElement);
    assert.equal(domNodeOf(view), d.documentElement);
    assert.equal(domElementView(d.documentElement), view);
    assert.equal(view.children[0], view.children[0]);
    assert.equal(domNodeOf(parseXmlFast(doc)), undefined);
  });
  it('serializes fragments that parse back identically', () => {
    const view = domElementView(parseXmlDom(doc).documentElement);
    for (const child of view.children) assert.deepEqual(snapshot(parseXmlFast(child.toXml())), snapshot(child));
  });
});
