/**
 * A string matching a pattern facet (already JS RegExp source for the `v` flag): walks the pattern's
 * atoms and quantifiers, and lets the RegExp engine itself pick a character for every class, escape
 * or wildcard, so class syntax (ranges, \p{..}, nested sets and subtraction) needs no reimplementation.
 * `repeat` is how many times a quantified atom is repeated, within its own bounds.
 */
const CHARACTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:/@+ ';

export function sampleForPattern(pattern: string, repeat: number): string | undefined {
  try {
    return new PatternWalker(pattern, repeat).sequence(')');
  } catch {
    return undefined;
  }
}

class PatternWalker {
  private pos = 0;

  constructor(
    private readonly src: string,
    private readonly repeat: number,
  ) {}

  /** Alternatives up to `end` (or the end of the source); the first alternative is the sample. */
  sequence(end: string): string {
    let out = '';
    let chosen: string | undefined;
    while (this.pos < this.src.length && this.src[this.pos] !== end) {
      if (this.src[this.pos] === '|') {
        chosen ??= out;
        out = '';
        this.pos += 1;
        continue;
      }
      const atom = this.atom();
      const [min, max] = this.quantifier();
      const times = Math.max(min, Math.min(max, this.repeat));
      for (let i = 0; i < times; i++) out += atom();
    }
    return chosen ?? out;
  }

  /** A generator of one occurrence of the next atom. */
  private atom(): () => string {
    const start = this.pos;
    const c = this.src[this.pos]!;
    if (c === '(') {
      this.pos += 1;
      if (this.src.startsWith('?:', this.pos)) this.pos += 2;
      const inner = this.sequence(')');
      if (this.src[this.pos] !== ')') throw new Error('unbalanced group');
      this.pos += 1;
      return () => inner;
    }
    if (c === '^' || c === '$') {
      this.pos += 1;
      return () => '';
    }
    if (c === '[') this.skipClass();
    else if (c === '\\') this.skipEscape();
    else this.pos += 1;
    const source = this.src.slice(start, this.pos);
    const matcher = new RegExp(`^(?:${source})$`, 'v');
    const pick = [...CHARACTERS].find((candidate) => matcher.test(candidate));
    if (pick === undefined) throw new Error(`no sample character for ${source}`);
    return () => pick;
  }

  private skipClass(): void {
    let depth = 0;
    while (this.pos < this.src.length) {
      const c = this.src[this.pos]!;
      if (c === '\\') {
        this.pos += 2;
        continue;
      }
      this.pos += 1;
      if (c === '[') depth += 1;
      else if (c === ']' && --depth === 0) return;
    }
    throw new Error('unterminated class');
  }

  private skipEscape(): void {
    const next = this.src[this.pos + 1];
    if ((next === 'p' || next === 'P' || next === 'u') && this.src[this.pos + 2] === '{') {
      const close = this.src.indexOf('}', this.pos);
      if (close < 0) throw new Error('unterminated escape');
      this.pos = close + 1;
    } else if (next === 'x') {
      this.pos += 4;
    } else {
      this.pos += 2;
    }
  }

  /** [min, max] of the quantifier after an atom (1, 1 without one). */
  private quantifier(): [number, number] {
    const c = this.src[this.pos];
    let bounds: [number, number] = [1, 1];
    if (c === '?') bounds = [0, 1];
    else if (c === '*') bounds = [0, Number.MAX_SAFE_INTEGER];
    else if (c === '+') bounds = [1, Number.MAX_SAFE_INTEGER];
    else if (c === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
      if (match === null) return bounds;
      const min = Number(match[1]);
      const max = match[2] === undefined ? min : match[3] === '' ? Number.MAX_SAFE_INTEGER : Number(match[3]);
      this.pos += match[0].length;
      if (this.src[this.pos] === '?') this.pos += 1;
      return [min, max];
    } else {
      return bounds;
    }
    this.pos += 1;
    if (this.src[this.pos] === '?') this.pos += 1;
    return bounds;
  }
}
