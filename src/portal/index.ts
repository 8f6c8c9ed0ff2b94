/**
 * The service portal at GET / and GET /soap: one page, rendered once at start-up (the contracts do not
 * change while the service runs). Beside it:
 * - GET /portal/demo-account: the demo partner's credentials as JSON while its published password still
 *   works (asked on every call: an operator may change it at any time), 404 otherwise;
 * - GET /portal/partner-orders-soapui-project.xml: the SoapUI project, when the file is present.
 */
import fs from 'node:fs';
import type { RequestHandler, Router } from 'express';
import express from 'express';
import type { VersionPolicy } from '../config';
import { describeEndpoint, type PortalEndpointSource } from './model';
import { renderPortalPage } from './page';

export interface DemoAccount {
  readonly username: string;
  readonly password: string;
}

export interface PortalOptions {
  endpoints: readonly PortalEndpointSource[];
  versions: Readonly<Record<string, VersionPolicy>>;
  title?: string;
  /** The demo account when its published password still works now; undefined otherwise (or in production). */
  demoAccount?: () => Promise<DemoAccount | undefined>;
  /** Absolute path of the SoapUI project file; the link is shown only when the file exists. */
  soapUiProject?: string;
}

export const SOAPUI_PROJECT_HREF = '/portal/partner-orders-soapui-project.xml';

export function portalPage(options: PortalOptions): string {
  return renderPortalPage({
    title: options.title ?? 'Partner Order Service',
    endpoints: options.endpoints.map(describeEndpoint),
    versions: options.versions,
    ...(soapUiProjectPresent(options) ? { soapUiProjectHref: SOAPUI_PROJECT_HREF } : {}),
  });
}

const soapUiProjectPresent = (options: PortalOptions): boolean =>
  options.soapUiProject !== undefined && fs.existsSync(options.soapUiProject);

export function portalRouter(options: PortalOptions): Router {
  const html = portalPage(options);
  const serve: RequestHandler = (_req, res) => {
    res.status(200).type('html').setHeader('Cache-Control', 'no-cache').send(html);
  };
  const router = express.Router();
  router.get('/', serve);
  router.get('/soap', serve);
  router.get('/portal/demo-account', (_req, res) => {
    const lookup = options.demoAccount === undefined ? Promise.resolve(undefined) : options.demoAccount();
    lookup.then(
      (demo) => {
        res.setHeader('Cache-Control', 'no-store');
        if (demo === undefined) res.status(404).json({ demo: null });
        else res.status(200).json({ username: demo.username, password: demo.password });
      },
      // The portal must not fail because the database does; the form then simply starts empty.
      () => res.status(503).setHeader('Cache-Control', 'no-store').json({ demo: null }),
    );
  });
  if (soapUiProjectPresent(options)) {
    const file = options.soapUiProject!;
    router.get(SOAPUI_PROJECT_HREF, (_req, res) => {
      res
        .status(200)
        .type('application/xml')
        .setHeader('Content-Disposition', 'attachment; filename="partner-orders-soapui-project.xml"');
      fs.createReadStream(file).pipe(res);
    });
  }
  return router;
}

export { describeEndpoint } from './model';
export { sampleElement } from './sample';
