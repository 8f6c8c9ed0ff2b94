/**
 * OASIS XML Catalogs 1.1 (the subset CXF's jax-ws-catalog.xml and xmllint use) for contract loading: a
 * remote schemaLocation / wsdl:import location, or the namespace of an xs:import without a location, is
 * looked up here and read from the local copy the catalog names. Nothing is ever fetched from the network.
 *
 * Entries: system (systemId), uri (name), rewriteSystem / rewriteURI (prefix), systemSuffix / uriSuffix,
 * nextCatalog; relative uri/rewritePrefix/catalog values resolve against the catalog file (xml:base is
 * honoured on the entry and its ancestors). Exact entries win over rewrites, the longest prefix or suffix
 * wins, as the specification orders them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContractLoadError } from './errors';
import { parseXmlTree, type XNode } from './xml-tree';

export const CATALOG_NS = 'urn:oasis:names:tc:entity:xmlns:xml:catalog';

interface Rewrite {
  prefix: string;
  /** Absolute file path the prefix is replaced with. */
  target: string;
}

interface Suffix {
  suffix: string;
  target: string;
}

export class XmlCatalog {
  private readonly exact = new Map<string, string>();
  private readonly rewrites: Rewrite[] = [];
  private readonly suffixes: Suffix[] = [];

  /** Read `absPath` (and its nextCatalogs); `label` is the path used in error messages. */
  static load(absPath: string, label: string): XmlCatalog {
    const catalog = new XmlCatalog();
    catalog.read(absPath, label, new Set());
    return catalog;
  }

  /** The local file for a system identifier or URI (a schemaLocation, a location, a namespace), or undefined. */
  resolve(id: string): string | undefined {
    const exact = this.exact.get(id);
    if (exact !== undefined) return exact;
    let best: Rewrite | undefined;
    for (const r of this.rewrites) if (id.startsWith(r.prefix) && (!best || r.prefix.length > best.prefix.length)) best = r;
    if (best) return toLocalPath(best.target + id.slice(best.prefix.length));
    let bestSuffix: Suffix | undefined;
    for (const s of this.suffixes) if (id.endsWith(s.suffix) && (!bestSuffix || s.suffix.length > bestSuffix.suffix.length)) bestSuffix = s;
    return bestSuffix?.target;
  }

  private read(absPath: string, label: string, seen: Set<string>): void {
    if (seen.has(absPath)) return;
    seen.add(absPath);
    let text: string;
    try {
      text = fs.readFileSync(absPath, 'utf8');
    } catch {
      throw new ContractLoadError(label, 'XML catalog', 'cannot read the file');
    }
    const root = parseXmlTree(text, label);
    if (root.ns !== CATALOG_NS || root.local !== 'catalog') {
      throw new ContractLoadError(label, `<${root.qname}>`, `an XML catalog's root must be catalog in ${CATALOG_NS}`);
    }
    this.entries(root, path.dirname(absPath), label, seen);
  }

  private entries(node: XNode, base: string, label: string, seen: Set<string>): void {
    for (const e of node.children) {
      if (e.ns !== CATALOG_NS) continue;
      const xmlBase = e.attrs.get('xml:base');
      const here = xmlBase !== undefined ? resolveAgainst(base, xmlBase, true) : base;
      const need = (attr: string): string => {
        const v = e.attrs.get(attr);
        if (v === undefined) throw new ContractLoadError(label, `catalog <${e.local}>`, `needs ${attr}`);
        return v;
      };
      switch (e.local) {
        case 'group':
          this.entries(e, here, label, seen);
          break;
        case 'system':
          this.exact.set(need('systemId'), resolveAgainst(here, need('uri'), false));
          break;
        case 'uri':
          this.exact.set(need('name'), resolveAgainst(here, need('uri'), false));
          break;
        case 'rewriteSystem':
          this.rewrites.push({ prefix: need('systemIdStartString'), target: resolveAgainst(here, need('rewritePrefix'), true) });
          break;
        case 'rewriteURI':
          this.rewrites.push({ prefix: need('uriStartString'), target: resolveAgainst(here, need('rewritePrefix'), true) });
          break;
        case 'systemSuffix':
          this.suffixes.push({ suffix: need('systemIdSuffix'), target: resolveAgainst(here, need('uri'), false) });
          break;
        case 'uriSuffix':
          this.suffixes.push({ suffix: need('uriSuffix'), target: resolveAgainst(here, need('uri'), false) });
          break;
        case 'nextCatalog': {
          const next = resolveAgainst(here, need('catalog'), false);
          this.read(next, path.relative(path.dirname(path.resolve(label)), next) || next, seen);
          break;
        }
        default:
          // public, delegate*, dtddecl...: about DTDs and public identifiers, which contracts do not use.
          break;
      }
    }
  }
}

/** `value` (a relative path or a file: URI) against the folder `base`; a prefix keeps its trailing '/'. */
function resolveAgainst(base: string, value: string, prefix: boolean): string {
  const local = toLocalPath(value);
  const abs = path.resolve(base, local);
  return prefix && /[/\\]$/.test(value) ? `${abs}${path.sep}` : abs;
}

function toLocalPath(value: string): string {
  if (/^file:\/\//i.test(value)) return fileURLToPath(value);
  return decodeURI(value.replace(/^file:/i, ''));
}
