// The fake Pixie Vizier (test/fakes/startFakeVizier.ts) as a separate process, TLS with its own CA file, serving
// the Go fixture's eBPF stacks for the fake cluster's catalog pod.
import type { FakeVizierProcessState } from '../fakes/startFakeVizier';
import { startFakeProcess, type FakeProcess } from './fakeProcess';

export type FakeVizierProcess = FakeProcess<FakeVizierProcessState>;

export function startFakeVizierProcess(): Promise<FakeVizierProcess> {
  return startFakeProcess<FakeVizierProcessState>('startFakeVizier.js', []);
}

/** Settings that point the extension at this fake Vizier in self-hosted mode (TLS with its CA; the cert names localhost). */
export function pixieDirectSettings(state: FakeVizierProcessState): Record<string, unknown> {
  return {
    'podProfiler.pixie.directAddress': `localhost:${state.address.split(':').pop()}`,
    'podProfiler.pixie.directCaFile': state.caPath,
    'podProfiler.pixie.clusterId': state.clusterId,
  };
}
