/**
 * Credentials out of URLs before they reach a message or a log line. Works on the text, not on a parsed
 * URL, so that a URL too broken to parse (the very case a start-up error reports) is redacted too and
 * everything else is shown exactly as written.
 */

// scheme://userinfo@ : the userinfo runs to the last "@" before the path, as in WHATWG URL parsing.
const USERINFO = /^([a-z][a-z\d+.-]*:\/\/)([^/?#]*)@/i;

/** `postgres://app:secret@db/orders` -> `postgres://app:***@db/orders`; the user name stays, the password goes. */
export function redactUrl(url: string): string {
  return url.replace(USERINFO, (_match, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon < 0 ? `${scheme}${userinfo}@` : `${scheme}${userinfo.slice(0, colon)}:***@`;
  });
}
