import { join } from 'node:path';
import { credentialArgs, describeLifecycle } from './helpers/lifecycle-suite';
import { runProcess } from './helpers/process';
import { findZeep } from './helpers/tools';
import { V1_STEPS } from './v1-scenarios';

// The same zeep lifecycle with WS-Addressing on: zeep.wsa.WsAddressingPlugin adds wsa:Action, MessageID
// and To to every call, the client marks Action and To mustUnderstand="1" (as WCF and Metro do) and
// checks that every reply, faults included, carries wsa:Action and the wsa:RelatesTo of its request.
describeLifecycle({
  title: 'interop: Python zeep client with WS-Addressing (WsAddressingPlugin), Partner Order Service v1 lifecycle',
  timeoutMs: 180_000,
  steps: [...V1_STEPS, { name: 'addressing', minimumChecks: 2 }],
  findTools: findZeep,
  runClient: ({ python }, server) =>
    runProcess(
      python,
      [
        join(__dirname, 'python', 'v1_client.py'),
        server.ordersEndpoint,
        server.adminEndpoint,
        ...credentialArgs(server),
        '--wsa',
      ],
      { timeoutMs: 150_000 },
    ),
});
