// The fake cluster (test/fakes/startFakeCluster.ts) as a separate process, as the e2e tests use it: the
// extension under test reaches it over HTTPS on 127.0.0.1 with the kubeconfig it writes.
import { join } from 'node:path';
import type { FakeClusterState } from '../fakes/startFakeCluster';
import { startFakeProcess, type FakeProcess } from './fakeProcess';
import { repoRoot } from './repoRoot';

export type FakeClusterProcess = FakeProcess<FakeClusterState>;

/** `pyroscope`, `parca`: also a fake Grafana Pyroscope / Parca behind their in-cluster services (state.*Url is direct). */
export function startFakeClusterProcess(o: { msPerSecond?: number; profile?: string; timeoutMs?: number; pyroscope?: boolean; parca?: boolean } = {}): Promise<FakeClusterProcess> {
  const args = ['--pprof', o.profile ?? join(repoRoot(), 'test', 'fixtures', 'profiles', 'go-cpu.pb.gz')];
  if (o.msPerSecond !== undefined) args.push('--ms-per-second', String(o.msPerSecond));
  if (o.pyroscope) args.push('--pyroscope');
  if (o.parca) args.push('--parca');
  return startFakeProcess<FakeClusterState>('startFakeCluster.js', args, o.timeoutMs);
}
