import { join } from 'node:path';
import { credentialArgs, describeLifecycle } from './helpers/lifecycle-suite';
import { buildJaxwsClient, runJavaClient } from './helpers/jaxws';
import { findJaxws } from './helpers/tools';
import { V1_STEPS } from './v1-scenarios';

// The JAX-WS v1 lifecycle with AddressingFeature(enabled, required) on every port: the runtime sends
// wsa:Action, To, MessageID and ReplyTo (Action and To mustUnderstand) and, being required, refuses
// replies without addressing headers; test/interop/java/V1Client.java's AddressingCheck handler also
// checks every reply's wsa:Action, MessageID and RelatesTo.
describeLifecycle({
  title: 'interop: JAX-WS (wsimport) client with AddressingFeature, Partner Order Service v1 lifecycle',
  timeoutMs: 300_000,
  steps: [...V1_STEPS, { name: 'addressing', minimumChecks: 2 }],
  findTools: findJaxws,
  async runClient(tools, server) {
    const build = await buildJaxwsClient(tools, {
      wsdlUrl: `${server.ordersEndpoint}?wsdl`,
      packageName: 'interop.v1',
      clientSources: [join(__dirname, 'java', 'V1Client.java'), join(__dirname, 'java', 'UsernameTokenHandler.java')],
    });
    return runJavaClient(tools, build, 'V1Client', [
      server.ordersEndpoint,
      server.adminEndpoint,
      ...credentialArgs(server),
      '--wsa',
    ]);
  },
});
