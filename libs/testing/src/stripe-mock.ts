import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './infra';

/** stripe-mock on loopback, started (and fetched the first time) by the project's script; throws if it cannot be. */
export function startStripeMock(): URL {
  const run = spawnSync('bash', [join(repoRoot(), 'scripts/infra/stripe-mock.sh')], { encoding: 'utf8', timeout: 300_000 });
  const line = run.stdout?.split('\n').find((l) => l.startsWith('STRIPE_MOCK_URL='));
  if (run.status !== 0 || !line) {
    throw new Error(`scripts/infra/stripe-mock.sh could not start stripe-mock (exit ${run.status}):\n${run.stderr ?? ''}${run.error ? String(run.error) : ''}`);
  }
  return new URL(line.slice('STRIPE_MOCK_URL='.length));
}
