import { join } from 'node:path';
import { credentialArgs, describeLifecycle } from './helpers/lifecycle-suite';
import { runProcess } from './helpers/process';
import { findZeep } from './helpers/tools';
import { V2_STEPS } from './v1-scenarios';

// Python zeep against the running service, driven by test/interop/python/v2_client.py.
describeLifecycle({
  title: 'interop: Python zeep client, Partner Order Service v2 lifecycle',
  timeoutMs: 180_000,
  steps: V2_STEPS,
  findTools: findZeep,
  runClient: ({ python }, server) =>
    runProcess(
      python,
      [
        join(__dirname, 'python', 'v2_client.py'),
        server.v2OrdersEndpoint,
        server.v2AdminEndpoint,
        ...credentialArgs(server),
      ],
      { timeoutMs: 150_000 },
    ),
});
