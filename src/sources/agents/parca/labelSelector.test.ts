import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildParcaLabelSelector, buildParcaSelectorParts } from './labelSelector';
import { escapeRegex, promqlString } from '../labelValueLiteral';
import { ParcaError } from './parcaErrors';

/** Reads a PromQL double-quoted literal back (Go escapes), independently of promqlString. */
function unquote(lit: string): string {
  assert.ok(lit.startsWith('"') && lit.endsWith('"'), lit);
  return JSON.parse(lit.replace(/\\x([0-9a-f]{2})/g, '\\u00$1'));
}

/** Splits a rendered selector into matchers with a small independent scanner (strings skipped whole). */
function matchers(sel: string): Array<[string, string, string]> {
  const re = /\s*([A-Za-z_]\w*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*")\s*(,|\})/gy;
  assert.ok(sel.startsWith('{'));
  re.lastIndex = 1;
  const out: Array<[string, string, string]> = [];
  for (;;) {
    const m = re.exec(sel);
    assert.ok(m, `selector does not scan at ${re.lastIndex}: ${sel}`);
    out.push([m[1], m[2], unquote(m[3])]);
    if (m[4] === '}') break;
  }
  assert.equal(re.lastIndex, sel.length, 'nothing after }');
  return out;
}

const bad = (fn: () => unknown) => assert.throws(fn, (e: unknown) => e instanceof ParcaError && e.kind === 'bad-input');

describe('Parca label selector', () => {
  test('default: parca-agent\'s namespace and pod labels, container added when chosen', () => {
    assert.equal(buildParcaLabelSelector(undefined, { namespace: 'shop', pod: 'catalog-7d9f8-abcde' }), '{namespace="shop", pod="catalog-7d9f8-abcde"}');
    const parts = buildParcaSelectorParts('', { namespace: 'shop', pod: 'p', container: 'catalog' });
    assert.equal(parts.selector, '{namespace="shop", pod="p", container="catalog"}');
    assert.deepEqual(parts.labels, ['namespace', 'pod', 'container']);
  });

  test('hostile names stay inside their literal: exactly the template\'s matchers, values read back equal', () => {
    const hostile = ['we"ird\\pod", pod=~".*', '"}', 'a\nb\tc\rd\x00e\x7f', 'ünïcode-名前', '\\', '${pod}'];
    for (const v of hostile) {
      const sel = buildParcaLabelSelector('{namespace="${namespace}", pod="${pod}", container!="${container}"}', { namespace: v, pod: v, container: v });
      assert.deepEqual(matchers(sel), [['namespace', '=', v], ['pod', '=', v], ['container', '!=', v]]);
    }
  });

  test('regex matchers get RE2-escaped values; prefixes and literal text around placeholders are kept', () => {
    const sel = buildParcaLabelSelector(`{namespace='\${namespace}', pod=~"\${pod}(-[a-z0-9]+)?", job="x\\"y"}`, { namespace: 'shop', pod: 'a.b+c*(d)[e]|f^$\\' });
    const m = matchers(sel);
    assert.deepEqual(m[0], ['namespace', '=', 'shop']);
    assert.deepEqual(m[2], ['job', '=', 'x"y']);
    assert.equal(m[1][1], '=~');
    const re = new RegExp(`^(?:${m[1][2]})$`);
    assert.ok(re.test('a.b+c*(d)[e]|f^$\\'));
    assert.ok(re.test('a.b+c*(d)[e]|f^$\\-x9'));
    assert.ok(!re.test('aXb+c*(d)[e]|f^$\\'));
    assert.equal(escapeRegex('a.b'), 'a\\.b');
  });

  test('a ${container} matcher is dropped when no container is chosen', () => {
    assert.equal(buildParcaLabelSelector('{pod="${pod}", container="${container}"}', { namespace: 'n', pod: 'p' }), '{pod="p"}');
    bad(() => buildParcaLabelSelector('{container="${container}"}', { namespace: 'n', pod: 'p' }));
  });

  test('malformed templates and unknown placeholders are refused with the setting named', () => {
    for (const t of ['namespace="x"', '{namespace=x}', '{namespace="x"', '{namespace="x"} or {a="b"}', '{1a="x"}', '{a=="x"}', '{a="${node}"}', '{}', '{a="\\q"}']) {
      bad(() => buildParcaLabelSelector(t, { namespace: 'n', pod: 'p' }));
    }
    assert.throws(() => buildParcaLabelSelector('{x}', { namespace: 'n', pod: 'p' }, 'my.setting'), /my\.setting/);
    bad(() => buildParcaLabelSelector(undefined, { namespace: '', pod: 'p' }));
  });

  test('promqlString escapes only what it must', () => {
    assert.equal(promqlString('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(promqlString('\x01'), '"\\x01"');
    assert.equal(unquote(promqlString('x\u2028y')), 'x\u2028y');
  });
});
