/**
 * How far V8 lets the heap grow past what survived the last full collection. Under sustained load the
 * service's live heap stays near 30 MB (heap snapshot after 40 s of e2e-sqlite load: 26.6 MB), but with
 * V8's own heuristics old space kept growing with collectable garbage and RSS reached 276-289 MB in
 * 45-60 s runs. A growth factor of 2x (100 %) held it to 209 MB with
 * throughput within noise (1,597 and 1,650 vs 1,610 and 1,622 req/s). A factor, unlike
 * --max-old-space-size, is no ceiling: a burst of large messages still gets the heap it needs.
 */
import { setFlagsFromString } from 'node:v8';

/** Applies `server.heapGrowingPercent` to this process (0 leaves V8's heuristics alone). */
export function applyHeapGrowingPercent(percent: number, setFlags: (flags: string) => void = setFlagsFromString): void {
  if (percent > 0) setFlags(`--heap-growing-percent=${percent}`);
}
