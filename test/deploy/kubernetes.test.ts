// The Kustomize manifests under deploy/kubernetes, rendered offline with `kubectl kustomize` (no cluster,
// no network) for each overlay and validated against the Kubernetes OpenAPI schemas that the
// kubernetes-models package ships (compiled with ajv), then checked for what the service needs: probes on
// /readyz and /healthz, a drain budget that fits terminationGracePeriodSeconds, a rollout that never drops
// below the desired count, selectors that match, ConfigMap keys that are real configuration variables.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAll } from 'js-yaml';

const ROOT = path.join(__dirname, '..', '..');
const KUBECTL = '/usr/bin/kubectl';

type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
};

/** apiVersion -> the kubernetes-models module whose classes (one per kind) validate it. */
const MODELS: Record<string, string> = {
  v1: 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'batch/v1': 'kubernetes-models/batch/v1',
  'policy/v1': 'kubernetes-models/policy/v1',
  'autoscaling/v2': 'kubernetes-models/autoscaling/v2',
};

type ModelClass = new (data: unknown) => { validate(): void };
const loaded = new Map<string, Record<string, ModelClass>>();

/** The package is ESM only; its modules are imported once, before the tests. */
async function loadModels(): Promise<void> {
  for (const [apiVersion, module] of Object.entries(MODELS))
    loaded.set(apiVersion, (await import(module)) as Record<string, ModelClass>);
}

/** Throws with the schema's complaints when `manifest` is not a valid object of its kind. */
function validate(manifest: Manifest): void {
  const model = loaded.get(manifest.apiVersion)?.[manifest.kind];
  assert.ok(model, `no schema for ${manifest.apiVersion} ${manifest.kind}`);
  new model(manifest.kind === 'Secret' ? unfoldSecret(manifest) : manifest).validate();
}

/**
 * kustomize folds long base64 Secret values over several lines; the API server's decoder (Go's base64)
 * skips the line breaks, the schema's "byte" format does not, so they are removed before validating.
 */
function unfoldSecret(manifest: Manifest): Manifest {
  const data = Object.fromEntries(Object.entries(manifest.data ?? {}).map(([k, v]) => [k, v.replace(/\s+/g, '')]));
  return { ...manifest, data };
}

/** Every variable name config/custom-environment-variables.json maps to a key. */
function configVariables(): Set<string> {
  const names = new Set<string>();
  const walk = (value: unknown) => {
    if (typeof value === 'string') names.add(value);
    else if (typeof value === 'object' && value !== null) for (const child of Object.values(value)) walk(child);
  };
  walk(JSON.parse(fs.readFileSync(path.join(ROOT, 'config', 'custom-environment-variables.json'), 'utf8')));
  return names;
}

function render(overlay: string): Manifest[] {
  // secrets.env is the operator's (git-ignored); the committed example stands in for it.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'po-kustomize-'));
  try {
    fs.cpSync(path.join(ROOT, 'deploy', 'kubernetes'), dir, { recursive: true });
    const overlayDir = path.join(dir, 'overlays', overlay);
    fs.copyFileSync(path.join(overlayDir, 'secrets.env.example'), path.join(overlayDir, 'secrets.env'));
    const result = spawnSync(KUBECTL, ['kustomize', overlayDir], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    return loadAll(result.stdout) as Manifest[];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

type Container = {
  name: string;
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: { httpGet?: { path: string }; periodSeconds?: number; failureThreshold?: number };
  livenessProbe?: { httpGet?: { path: string } };
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean };
};
type PodSpec = {
  containers: Container[];
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean };
};
type DeploymentSpec = {
  replicas: number;
  strategy: { type: string; rollingUpdate?: { maxUnavailable: number } };
  selector: { matchLabels: Record<string, string> };
  template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
};

const byKind = (manifests: Manifest[], kind: string, name?: string) =>
  manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
const one = (manifests: Manifest[], kind: string, name?: string) => {
  const found = byKind(manifests, kind, name);
  assert.equal(found.length, 1, `one ${kind} ${name ?? ''}: ${found.map((m) => m.metadata.name).join(',')}`);
  return found[0];
};
const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

function checkService(manifests: Manifest[]): { deployment: DeploymentSpec; config: Record<string, string> } {
  for (const manifest of manifests) validate(manifest);
  const deployment = one(manifests, 'Deployment', 'partner-orders').spec as unknown as DeploymentSpec;
  const pod = deployment.template.spec;
  const [container] = pod.containers;
  assert.ok(matches(deployment.selector.matchLabels, deployment.template.metadata.labels));

  assert.equal(container.readinessProbe?.httpGet?.path, '/readyz');
  assert.equal(container.livenessProbe?.httpGet?.path, '/healthz');
  assert.ok(
    container.resources?.requests?.cpu && container.resources.requests.memory && container.resources.limits?.memory,
  );
  assert.equal(pod.securityContext?.runAsNonRoot, true);
  assert.equal(container.securityContext?.allowPrivilegeEscalation, false);

  // The rendered ConfigMap and Secret are the ones the pod reads (kustomize appends content hashes).
  const configName = container.envFrom?.find((e) => e.configMapRef)?.configMapRef?.name;
  const secretName = container.envFrom?.find((e) => e.secretRef)?.secretRef?.name;
  const config = one(manifests, 'ConfigMap', configName).data ?? {};
  one(manifests, 'Secret', secretName);
  const known = configVariables();
  for (const key of Object.keys(config))
    if (key !== 'NODE_ENV') assert.ok(known.has(key), `ConfigMap key ${key} is not a configuration variable`);

  // Draining fits the grace period: preStop, then the drain delay, then in-flight requests.
  const preStop = Number(container.lifecycle?.preStop?.exec?.command.at(-1));
  const budget = preStop + Number(config.DRAIN_DELAY_MS) / 1000 + Number(config.SHUTDOWN_GRACE_MS) / 1000;
  assert.ok(
    Number.isFinite(budget) && (pod.terminationGracePeriodSeconds ?? 30) > budget,
    `grace ${pod.terminationGracePeriodSeconds} s vs drain ${budget} s`,
  );
  // The load balancer sees /readyz turn 503 within the drain delay.
  const probe = container.readinessProbe as { periodSeconds: number; failureThreshold: number };
  assert.ok(
    probe.periodSeconds * probe.failureThreshold * 1000 <= Number(config.DRAIN_DELAY_MS),
    'readiness probe notices draining within DRAIN_DELAY_MS',
  );

  const service = one(manifests, 'Service', 'partner-orders').spec as { selector: Record<string, string> };
  assert.ok(matches(service.selector, deployment.template.metadata.labels), 'the Service selects the pods');
  const pdb = one(manifests, 'PodDisruptionBudget').spec as { selector: { matchLabels: Record<string, string> } };
  assert.ok(
    matches(pdb.selector.matchLabels, deployment.template.metadata.labels),
    'the PodDisruptionBudget covers the pods',
  );
  return { deployment, config };
}

describe('deploy/kubernetes (kubectl kustomize, offline, validated against the Kubernetes schemas)', function () {
  this.timeout(60_000);
  before(async function () {
    if (!fs.existsSync(KUBECTL)) this.skip();
    await loadModels();
  });

  it('the schema validation used here rejects a broken manifest', () => {
    const broken: Manifest = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x' },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: { spec: { containers: [{ name: 'c', ports: [{ containerPort: 'http' }] }] } },
      },
    };
    assert.throws(() => validate(broken), /containerPort must be integer/);
  });

  it('overlays/postgres-redis: several replicas, rolling update without loss, migration Job, PDB, HPA, Redis', () => {
    const manifests = render('postgres-redis');
    const { deployment, config } = checkService(manifests);
    assert.ok(deployment.replicas >= 2);
    assert.equal(deployment.strategy.type, 'RollingUpdate');
    assert.equal(deployment.strategy.rollingUpdate?.maxUnavailable, 0);
    assert.match(config.REDIS_URL, /^redis:\/\/partner-orders-redis:6379$/);
    one(manifests, 'Service', 'partner-orders-redis');
    const job = one(manifests, 'Job', 'partner-orders-migrate').spec as {
      template: { spec: { containers: { args: string[] }[] } };
    };
    assert.deepEqual(job.template.spec.containers[0].args, ['migrate']);
    const hpa = one(manifests, 'HorizontalPodAutoscaler').spec as {
      scaleTargetRef: { kind: string; name: string };
      minReplicas: number;
    };
    assert.deepEqual([hpa.scaleTargetRef.kind, hpa.scaleTargetRef.name], ['Deployment', 'partner-orders']);
    assert.ok(hpa.minReplicas >= 2);
    assert.equal((one(manifests, 'PodDisruptionBudget').spec as { minAvailable: number }).minAvailable, 1);
  });

  it('overlays/sqlite: one replica on a volume, Recreate, no autoscaler or Job, an evictable PDB', () => {
    const manifests = render('sqlite');
    const { deployment, config } = checkService(manifests);
    assert.equal(deployment.replicas, 1);
    assert.equal(deployment.strategy.type, 'Recreate');
    assert.equal(config.SQLITE_FILENAME, '/app/data/partner-orders.sqlite');
    one(manifests, 'PersistentVolumeClaim', 'partner-orders-data');
    assert.equal(byKind(manifests, 'HorizontalPodAutoscaler').length, 0);
    assert.equal(byKind(manifests, 'Job').length, 0);
    assert.equal((one(manifests, 'PodDisruptionBudget').spec as { maxUnavailable: number }).maxUnavailable, 1);
  });
});
