/**
 * The service portal at GET / and GET /soap: one page, rendered once at start-up (the contracts do not
 * change while the service runs).
 */
import type { RequestHandler, Router } from 'express';
import express from 'express';
import type { VersionPolicy } from '../config';
import { describeEndpoint, type PortalEndpointSource } from './model';
import { renderPortalPage } from './page';

export interface PortalOptions {
  endpoints: readonly PortalEndpointSource[];
  versions: Readonly<Record<string, VersionPolicy>>;
  title?: string;
  defaultUsername?: string;
}

export function portalPage(options: PortalOptions): string {
  return renderPortalPage({
    title: options.title ?? 'Partner Order Service',
    endpoints: options.endpoints.map(describeEndpoint),
    versions: options.versions,
    defaultUsername: options.defaultUsername,
  });
}

export function portalRouter(options: PortalOptions): Router {
  const html = portalPage(options);
  const serve: RequestHandler = (_req, res) => {
    res.status(200).type('html').setHeader('Cache-Control', 'no-cache').send(html);
  };
  const router = express.Router();
  router.get('/', serve);
  router.get('/soap', serve);
  return router;
}

export { describeEndpoint } from './model';
export { sampleElement } from './sample';
