/**
 * wsu:Timestamp: Created at most `maxAgeSeconds` old and at most `futureSkewSeconds` ahead of our clock,
 * Expires (when present) not passed. Works on the neutral element view, so unsigned traffic parsed by
 * the fast parser and signed traffic parsed into the DOM are checked the same way.
 */
import type { XmlElement } from '../xml/element';
import { WSU_NS } from './constants';
import { wssFault } from './faults';

export interface TimeWindow {
  readonly now: Date;
  readonly maxAgeSeconds: number;
  readonly futureSkewSeconds: number;
}

export interface CheckedTimestamp {
  readonly element: XmlElement;
  readonly created: Date;
  /** Created exactly as written (part of the signed-message replay key). */
  readonly createdText: string;
  readonly expires?: Date;
}

const DATE_TIME = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,12})?(Z|[+-]\d{2}:\d{2})$/;

/** A strict xs:dateTime with a mandatory time zone (a local time cannot be compared to our clock). */
export function parseUtcDateTime(text: string): Date | undefined {
  const trimmed = text.trim();
  const match = DATE_TIME.exec(trimmed);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match;
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > daysInMonth) return undefined;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  // JS Date keeps milliseconds only; longer fractions are truncated, which is harmless for a window check.
  const normalized = trimmed.replace(/(\.\d{3})\d+/, '$1');
  const date = new Date(normalized);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Checks a Created value against the window; used for Timestamp and UsernameToken Created alike. */
export function checkCreatedInWindow(created: Date, window: TimeWindow, what: string): void {
  const ageMs = window.now.getTime() - created.getTime();
  if (ageMs > window.maxAgeSeconds * 1000)
    throw wssFault('MessageExpired', `${what} is ${Math.round(ageMs / 1000)} s old`);
  if (-ageMs > window.futureSkewSeconds * 1000) {
    throw wssFault('MessageExpired', `${what} is ${Math.round(-ageMs / 1000)} s in the future`);
  }
}

function singleChild(element: XmlElement, local: string): XmlElement | undefined {
  const found = element.children.filter((child) => child.ns === WSU_NS && child.local === local);
  if (found.length > 1) throw wssFault('InvalidSecurity', `Timestamp has ${found.length} ${local} elements`);
  return found[0];
}

export function checkTimestamp(element: XmlElement, window: TimeWindow): CheckedTimestamp {
  const unexpected = element.children.find((c) => c.ns !== WSU_NS || (c.local !== 'Created' && c.local !== 'Expires'));
  if (unexpected) throw wssFault('InvalidSecurity', `unexpected ${unexpected.local} in Timestamp`);
  const createdElement = singleChild(element, 'Created');
  if (!createdElement) throw wssFault('InvalidSecurity', 'Timestamp without Created');
  const created = parseUtcDateTime(createdElement.text);
  if (!created) throw wssFault('InvalidSecurity', 'Timestamp Created is not a dateTime with a time zone');
  const expiresElement = singleChild(element, 'Expires');
  let expires: Date | undefined;
  if (expiresElement) {
    expires = parseUtcDateTime(expiresElement.text);
    if (!expires) throw wssFault('InvalidSecurity', 'Timestamp Expires is not a dateTime with a time zone');
    if (expires.getTime() <= created.getTime())
      throw wssFault('InvalidSecurity', 'Timestamp Expires is not after Created');
    if (window.now.getTime() > expires.getTime()) throw wssFault('MessageExpired', 'Timestamp Expires has passed');
  }
  checkCreatedInWindow(created, window, 'Timestamp Created');
  return { element, created, createdText: createdElement.text.trim(), expires };
}
