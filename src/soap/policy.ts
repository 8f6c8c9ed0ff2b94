/**
 * The endpoint's WS-Policy 1.5 expression, built once at start-up from what its interceptors enforce
 * (SoapInterceptor.policy): the alternatives of each interceptor multiplied out, every alternative
 * carrying the common assertions. The served WSDL (src/soap/wsdl/serve.ts) holds it and references it
 * from the bindings of the served service (WS-Policy 1.5 Attachment, WSDL 1.1 endpoint policy subject).
 */
import type { SoapInterceptor } from './pipeline';

export const WSP_NS = 'http://www.w3.org/ns/ws-policy';
export const WSU_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';

export interface EndpointPolicy {
  /** The wsu:Id the bindings reference (`#<id>`). */
  readonly id: string;
  /** The wsp:Policy element, declaring its namespaces. */
  readonly xml: string;
}

/** undefined when no interceptor contributes a policy. */
export function endpointPolicy(id: string, interceptors: readonly SoapInterceptor[]): EndpointPolicy | undefined {
  let alternatives: string[][] = [[]];
  const common: string[] = [];
  let any = false;
  for (const { policy } of interceptors) {
    if (policy === undefined) continue;
    any = true;
    if (policy.common !== undefined) common.push(...policy.common);
    if (policy.alternatives !== undefined && policy.alternatives.length > 0) {
      alternatives = alternatives.flatMap((base) =>
        policy.alternatives!.map((alternative) => [...base, ...alternative]),
      );
    }
  }
  if (!any) return undefined;
  const all = alternatives.map((assertions) => `<wsp:All>${[...assertions, ...common].join('')}</wsp:All>`).join('');
  return {
    id,
    xml: `<wsp:Policy xmlns:wsp="${WSP_NS}" xmlns:wsu="${WSU_NS}" wsu:Id="${id}"><wsp:ExactlyOne>${all}</wsp:ExactlyOne></wsp:Policy>`,
  };
}
