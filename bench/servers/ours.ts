/**
 * "ours": the engine with the generated typed handler, on bare node:http exactly as the service mounts
 * it (createSoapEndpoint + soapRequestListener), no interceptors.
 *
 * With `--signed <client-cert.pem>` the WS-Security interceptor is added in front, with the client's
 * certificate in an InMemoryCredentialStore (partner policy: signature and timestamp required) and the
 * normal InMemoryReplayCache: the load generator sends distinct pre-signed messages, never replays.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createSoapEndpoint, soapRequestListener, type SoapInterceptor } from '../../src/soap';
import { wsSecurityInterceptor, InMemoryReplayCache, InMemoryCredentialStore } from '../../src/soap/security';
import { contract } from '../generated';
import { BENCH_PATH } from '../data';
import { benchHandlers as handlers, benchLogger as logger } from './bench-handlers';
import { argValue, listen, projectRoot } from './listen';

const interceptors: SoapInterceptor[] = [];
const signedBy = argValue('signed');
if (signedBy !== undefined) {
  const store = new InMemoryCredentialStore()
    .addAccount({
      principal: { id: 'bench-partner', name: 'Bench Partner', roles: [] },
      username: 'bench-partner',
      policy: { requireSignature: true, requireTimestamp: true },
    })
    .addCertificatePem('bench-partner', readFileSync(signedBy, 'utf8'));
  interceptors.push(wsSecurityInterceptor({ store, replayCache: new InMemoryReplayCache(), logger }));
}

const endpoint = createSoapEndpoint({
  contract,
  service: 'BenchOrderService',
  handlers,
  interceptors,
  logger,
  documentRoot: projectRoot(),
});

listen(createServer(soapRequestListener({ [BENCH_PATH]: endpoint })));
