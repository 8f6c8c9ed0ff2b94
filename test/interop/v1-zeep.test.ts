import { join } from 'node:path';
import { credentialArgs, describeLifecycle } from './helpers/lifecycle-suite';
import { runProcess } from './helpers/process';
import { findZeep } from './helpers/tools';
import { V1_STEPS } from './v1-scenarios';

// Python zeep against the running service, driven by test/interop/python/v1_client.py.
describeLifecycle({
  title: 'interop: Python zeep client, Partner Order Service v1 lifecycle',
  timeoutMs: 180_000,
  steps: V1_STEPS,
  findTools: findZeep,
  runClient: ({ python }, server) =>
    runProcess(
      python,
      [
        join(__dirname, 'python', 'v1_client.py'),
        server.ordersEndpoint,
        server.adminEndpoint,
        ...credentialArgs(server),
      ],
      { timeoutMs: 150_000 },
    ),
});
