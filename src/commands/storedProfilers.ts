// The continuous-profiling stores Profile Pod can read: Grafana Pyroscope and Parca, each through its URL when
// set, else through its in-cluster service via the Kubernetes API server's service proxy.
import {
  defaultPyroscopeWindowSeconds,
  directTransport,
  fetchPyroscopeProfile,
  isPyroscopeError,
  maxPyroscopeWindowSeconds,
  parseServiceRef,
  serviceProxyTransport,
} from '../sources/agents/pyroscope/pyroscopeAgent';
import {
  defaultParcaLabelSelector,
  defaultParcaWindowSeconds,
  directParcaEndpoint,
  fetchParcaProfile,
  isParcaError,
  maxParcaWindowSeconds,
  parseParcaServiceRef,
  serviceProxyParcaEndpoint,
} from '../sources/agents/parca/parcaAgent';
import { config } from '../config';
import type { StoredProfilerSpec } from './storedProfileRunner';

export const pyroscopeSpec: StoredProfilerSpec = {
  name: 'Pyroscope',
  secretKey: 'podProfiler.pyroscope.authorization',
  basicAuth: true,
  urlSetting: 'podProfiler.pyroscope.url',
  url: () => config.pyroscopeUrl(),
  defaultWindowSeconds: () => config.pyroscopeDefaultWindowSeconds() || defaultPyroscopeWindowSeconds,
  maxWindowSeconds: maxPyroscopeWindowSeconds,
  isCancelled: (e) => isPyroscopeError(e) && e.kind === 'cancelled',
  fetch: ({ target, seconds, authorization, signal }) => {
    const url = config.pyroscopeUrl();
    const tenant = config.pyroscopeTenantId() || undefined;
    return fetchPyroscopeProfile({
      transport: url
        ? directTransport({ url, tenant, authorization })
        : serviceProxyTransport({ kc: target.client.kc, service: parseServiceRef(config.pyroscopeService()), tenant }),
      namespace: target.namespace,
      pod: target.pod.name,
      container: target.container,
      labelSelectorTemplate: config.pyroscopeLabelSelector() || undefined,
      profileType: config.pyroscopeProfileType() || undefined,
      windowSeconds: seconds,
      maxBytes: config.maxProfileBytes(),
      signal,
    });
  },
};

export const parcaSpec: StoredProfilerSpec = {
  name: 'Parca',
  secretKey: 'podProfiler.parca.authorization',
  basicAuth: false,
  urlSetting: 'podProfiler.parca.url',
  url: () => config.parcaUrl(),
  defaultWindowSeconds: () => config.parcaDefaultWindowSeconds() || defaultParcaWindowSeconds,
  maxWindowSeconds: maxParcaWindowSeconds,
  isCancelled: (e) => isParcaError(e) && e.kind === 'cancelled',
  fetch: ({ target, seconds, authorization, signal }) => {
    const url = config.parcaUrl();
    return fetchParcaProfile({
      ...(url ? directParcaEndpoint({ url }) : serviceProxyParcaEndpoint(target.client.kc, parseParcaServiceRef(config.parcaService()))),
      authorization,
      namespace: target.namespace,
      pod: target.pod.name,
      container: target.container,
      // The default template adds the container matcher when one was chosen: pass it as "no template".
      queryTemplate: config.parcaLabelSelector() === defaultParcaLabelSelector ? undefined : config.parcaLabelSelector() || undefined,
      profileType: config.parcaProfileType() || undefined,
      windowSeconds: seconds,
      maxBytes: config.maxProfileBytes(),
      signal,
    });
  },
};
