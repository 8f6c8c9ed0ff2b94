/**
 * canonicalize() skips xml-crypto's deep clone for a lone C14N / exclusive C14N transform. It must give
 * exactly the octets SignedXml.getCanonXml gives, for every element of awkward documents, and must
 * never change the DOM it reads (the nodes we go on to dispatch).
 */
import assert from 'node:assert/strict';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { findAncestorNsForElement } from 'xml-crypto/lib/utils';
import { C14N, EXC_C14N } from '../../../src/soap/security/constants';
import { canonicalize } from '../../../src/soap/security/x509-signature';

const DOCUMENTS = [
  // Namespaces declared high up, used low down, redeclared, a default namespace and its undeclaration.
  `<s:Envelope xmlns:s="urn:s" xmlns:a="urn:a" xmlns:unused="urn:unused" xmlns="urn:default">
     <s:Header><a:H a:x="1" b="2" xmlns:a="urn:a2"><child/></a:H></s:Header>
     <s:Body wsu:Id="B" xmlns:wsu="urn:wsu"><p:Req xmlns:p="urn:p"><p:v attr="&lt;&amp;&quot;">t &amp; &lt;x&gt;&#13;</p:v><plain xmlns="">x</plain><!-- c --></p:Req></s:Body>
   </s:Envelope>`,
  // Attribute order, namespaced attributes and whitespace-only text.
  `<r xmlns="urn:r" xmlns:z="urn:z" xmlns:b="urn:b"><e z:k="1" b:k="2" a="3" xmlns:q="urn:q">
     <q:i/>   <f>  spaced  </f></e></r>`,
  // A SignedInfo whose CanonicalizationMethod names InclusiveNamespaces (exclusive C14N writes on its input then).
  `<s:E xmlns:s="urn:s" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:soap="urn:soap"><ds:SignedInfo>
     <ds:CanonicalizationMethod Algorithm="${EXC_C14N}"><ec:InclusiveNamespaces xmlns:ec="${EXC_C14N}" PrefixList="soap s"/></ds:CanonicalizationMethod>
     <ds:Reference URI="#x"><ds:DigestValue>AA==</ds:DigestValue></ds:Reference></ds:SignedInfo></s:E>`,
];

function elementsOf(document: Document): Element[] {
  const all = document.getElementsByTagName('*');
  return Array.from({ length: all.length }, (_, i) => all.item(i)!);
}

describe('security: canonicalize without the deep clone', () => {
  const signedXml = new SignedXml({});
  for (const [index, xml] of DOCUMENTS.entries()) {
    for (const transforms of [[EXC_C14N], [C14N]]) {
      for (const prefixes of [[], ['soap', 's']]) {
        it(`document ${index + 1}, ${transforms.map((t) => t.split(/[#/]/).filter(Boolean).pop()).join('+')}, prefixes [${prefixes}]`, () => {
          const document = new DOMParser().parseFromString(xml, 'text/xml') as unknown as Document;
          const before = new XMLSerializer().serializeToString(document);
          for (const element of elementsOf(document)) {
            const expected = signedXml.getCanonXml(transforms, element, {
              inclusiveNamespacesPrefixList: [...prefixes],
              ancestorNamespaces: findAncestorNsForElement(element),
            });
            assert.equal(canonicalize(signedXml, transforms, element, prefixes), expected, `<${element.nodeName}>`);
          }
          assert.equal(new XMLSerializer().serializeToString(document), before, 'the document was changed');
        });
      }
    }
  }
});
