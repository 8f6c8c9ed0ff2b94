/**
 * Announces a deprecated contract version on every response: `Deprecation` (RFC 9745), `Sunset` (RFC 8594)
 * and optionally `Link: <doc>; rel="deprecation"`, and logs each call so operators can see who still uses it.
 * Available as a SOAP interceptor (per endpoint) and as Express middleware (also covers ?wsdl and
 * transport-level errors).
 */
import type { NextFunction, Request, Response } from 'express';
import type { EngineLogger, SoapExchange, SoapInterceptor } from '../soap';
import type { VersionPolicy } from '../config';

export interface DeprecationOptions {
  /** The contract version name, e.g. 'v1'. */
  version: string;
  policy: VersionPolicy;
  logger?: EngineLogger;
}

/** The headers to send, or undefined when the version is not deprecated. Computed once at start-up. */
export function deprecationHeaders(policy: VersionPolicy): Readonly<Record<string, string>> | undefined {
  if (!policy.deprecated) return undefined;
  const headers: Record<string, string> = {
    // RFC 9745: a Structured Field Date, "@" + Unix seconds. Without a configured date the draft form "true".
    Deprecation: policy.deprecatedSince === null ? 'true' : `@${Math.floor(Date.parse(policy.deprecatedSince) / 1000)}`,
  };
  if (policy.sunset !== null) headers.Sunset = new Date(Date.parse(policy.sunset)).toUTCString();
  if (policy.link !== null) headers.Link = `<${policy.link}>; rel="deprecation"; type="text/html"`;
  return Object.freeze(headers);
}

export function deprecationInterceptor(options: DeprecationOptions): SoapInterceptor {
  const headers = deprecationHeaders(options.policy);
  return {
    name: 'deprecation',
    handleRequest(exchange: SoapExchange): void {
      if (headers !== undefined) Object.assign(exchange.httpHeaders, headers);
    },
    afterCompletion(exchange: SoapExchange): void {
      if (headers === undefined) return;
      options.logger?.info('deprecated contract version called', {
        version: options.version,
        operation: exchange.operation?.name ?? null,
        partner: exchange.principal?.name ?? null,
        partnerId: exchange.principal?.id ?? null,
        sunset: options.policy.sunset,
        requestId: exchange.messageId,
      });
    },
  };
}

/** Express middleware for everything mounted under a deprecated version's path. */
export function deprecationMiddleware(
  options: DeprecationOptions,
): (req: Request, res: Response, next: NextFunction) => void {
  const headers = deprecationHeaders(options.policy);
  return (req, res, next) => {
    if (headers !== undefined) {
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      options.logger?.info('deprecated contract version called', {
        version: options.version,
        method: req.method,
        path: req.originalUrl,
        sunset: options.policy.sunset,
      });
    }
    next();
  };
}
