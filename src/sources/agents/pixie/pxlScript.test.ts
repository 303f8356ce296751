import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildStackTracePxl, normalizePixieWindow, pixieWindowSeconds, pxlString } from './pxlScript';
import { isPixieError } from './pixieErrors';

test('the script reads stack_traces.beta for the pod and window, groups per stack trace, displays one table', () => {
  const pxl = buildStackTracePxl({ namespace: 'shop', pod: 'catalog-7d9f8-abcde', window: '-5m' });
  assert.equal(
    pxl,
    [
      'import px',
      '',
      '# Pod Profiler: CPU stack samples of one pod from the eBPF profiler.',
      "df = px.DataFrame(table='stack_traces.beta', start_time='-5m')",
      "df.pod = df.ctx['pod']",
      "df = df[df.pod == 'shop/catalog-7d9f8-abcde']",
      "df.container = df.ctx['container']",
      "df.namespace = df.ctx['namespace']",
      "df.node = df.ctx['node']",
      "df.pid = df.ctx['pid']",
      "df.cmdline = df.ctx['cmdline']",
      '# Merge the 30 s profiles of the window into one: sum counts per stack trace and process.',
      "df = df.groupby(['node', 'namespace', 'pod', 'container', 'pid', 'cmdline', 'stack_trace_id']).agg(",
      "    stack_trace=('stack_trace', px.any),",
      "    count=('count', px.sum),",
      ')',
      "df = df[['node', 'namespace', 'pod', 'container', 'pid', 'cmdline', 'stack_trace_id', 'stack_trace', 'count']]",
      "px.display(df, 'stack_traces')",
      '',
    ].join('\n'),
  );
});

test('default window is the last 30 s; a container adds its own filter', () => {
  const pxl = buildStackTracePxl({ namespace: 'shop', pod: 'checkout-5c6b7-fghij', container: 'log-shipper' });
  assert.match(pxl, /start_time='-30s'\)/);
  assert.match(pxl, /df = df\[df\.container == 'log-shipper'\]/);
  // Filter on the pod before anything else touches the data.
  assert.ok(pxl.indexOf("df[df.pod ==") < pxl.indexOf('groupby'));
});

test('windows: typed forms normalize, nonsense and huge values are refused', () => {
  assert.equal(normalizePixieWindow('5m'), '-5m');
  assert.equal(normalizePixieWindow(' -90s '), '-90s');
  assert.equal(normalizePixieWindow('1H'), '-1h');
  assert.equal(pixieWindowSeconds('-5m'), 300);
  assert.equal(pixieWindowSeconds('2h'), 7200);
  for (const bad of ['', '5', '-5 minutes', "5m'); px.display(x)#", '0s', '25h', '-1d', '1e3s']) {
    assert.throws(() => normalizePixieWindow(bad), (e) => isPixieError(e) && e.kind === 'bad-input', bad);
  }
});

test('names that are not Kubernetes names never reach the script', () => {
  const attempts = [
    { namespace: 'shop', pod: "x'] ; px.display(px.DataFrame(table='http_events'))#" },
    { namespace: "shop'", pod: 'a' },
    { namespace: 'shop', pod: 'a\nimport os' },
    { namespace: 'shop', pod: 'UPPER' },
    { namespace: 'shop', pod: '' },
    { namespace: 'shop', pod: 'a'.repeat(254) },
    { namespace: 'shop', pod: 'ok', container: 'c\\' },
  ];
  for (const q of attempts) assert.throws(() => buildStackTracePxl(q), (e) => isPixieError(e) && e.kind === 'bad-input', JSON.stringify(q));
  // Dotted pod names (StatefulSet-like or custom) are valid subdomains.
  assert.match(buildStackTracePxl({ namespace: 'kube-system', pod: 'etcd-node.example' }), /'kube-system\/etcd-node\.example'/);
});

test('string literals escape quotes, backslashes and control characters', () => {
  assert.equal(pxlString("a'b"), "'a\\'b'");
  assert.equal(pxlString('a\\b'), "'a\\\\b'");
  assert.equal(pxlString('a\nb\u0000'), "'a\\x0ab\\x00'");
  assert.equal(pxlString('a\u2028b'), "'a\\u2028b'");
  assert.equal(pxlString('ünï'), "'ünï'");
});
