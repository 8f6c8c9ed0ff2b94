/**
 * The Express binding: a Router for one service, mounted with `app.use('/soap/echo', soapRouter({...}))`.
 * It runs the very same endpoint as the node:http path. It reads the body itself (no body parser on this
 * router); when a raw body parser already ran in front of it, its Buffer is used as is.
 */
import { Router } from 'express';
import type { HandlerSet } from '../pipeline';
import { createSoapEndpoint, type SoapEndpoint, type SoapEndpointOptions } from '../endpoint';

export function soapRouterFor(endpoint: SoapEndpoint): Router {
  const router = Router();
  router.all('/', (req, res) => {
    const body: unknown = req.body;
    if (Buffer.isBuffer(body)) endpoint.handleWithBody(req, res, body);
    // express.text() decoded the bytes already; they were UTF-8 or the charset check refuses the request.
    else if (typeof body === 'string' && req.readableEnded)
      endpoint.handleWithBody(req, res, Buffer.from(body, 'utf8'));
    else endpoint.handle(req, res);
  });
  return router;
}

/** An Express Router serving every SOAP port of `options.service` (POST SOAP, GET ?wsdl / ?xsd=name). */
export function soapRouter<H extends HandlerSet<H>>(options: SoapEndpointOptions<H>): Router {
  return soapRouterFor(createSoapEndpoint(options));
}
