import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLabelSelector, defaultLabelSelectorTemplate } from './labelSelector';
import { escapeRegex, escapeStringLiteral } from '../labelValueLiteral';
import { PyroscopeError } from './pyroscopeErrors';

/** Reads a selector back with a tiny independent parser of Go-style quoted strings: label -> [op, value]. */
function readSelector(sel: string): Array<[string, string, string]> {
  assert.ok(sel.startsWith('{') && sel.endsWith('}'), sel);
  const out: Array<[string, string, string]> = [];
  const re = /\s*([A-Za-z_][A-Za-z0-9_.]*)(=~|!~|!=|=)"((?:[^"\\]|\\.)*)"\s*(,|$)/y;
  const body = sel.slice(1, -1);
  re.lastIndex = 0;
  while (re.lastIndex < body.length) {
    const m = re.exec(body);
    assert.ok(m, `unparsable selector ${sel} at ${re.lastIndex}`);
    // JSON string unescaping agrees with Go's for \\ \" \n \r \t; \xHH becomes \u00HH first.
    out.push([m[1], m[2], JSON.parse(`"${m[3].replace(/\\x([0-9a-f]{2})/g, '\\u00$1')}"`)]);
  }
  return out;
}

describe('buildLabelSelector', () => {
  test('default template: namespace and pod, container only when given', () => {
    assert.equal(buildLabelSelector(undefined, { namespace: 'shop', pod: 'catalog-7d9f8-abcde' }), '{namespace="shop", pod="catalog-7d9f8-abcde"}');
    assert.equal(
      buildLabelSelector(defaultLabelSelectorTemplate, { namespace: 'shop', pod: 'catalog-7d9f8-abcde', container: 'catalog' }),
      '{namespace="shop", pod="catalog-7d9f8-abcde", container="catalog"}',
    );
    assert.equal(buildLabelSelector('  ', { namespace: 'a', pod: 'b' }), '{namespace="a", pod="b"}');
  });

  test('hostile values stay inside their string and read back exactly', () => {
    const hostile = ['x", evil="1', 'a\\', 'a\\"b', 'new\nline', 'tab\there', 'bell\x07', '"}', 'ünï', '${pod}'];
    for (const pod of hostile) {
      const sel = buildLabelSelector(undefined, { namespace: 'shop', pod });
      const matchers = readSelector(sel);
      assert.deepEqual(matchers, [['namespace', '=', 'shop'], ['pod', '=', pod]], sel);
    }
  });

  test('regex matchers get the value regex-escaped, then string-escaped', () => {
    const sel = buildLabelSelector('{service_name=~"${namespace}/.*", pod=~"${pod}"}', { namespace: 'sh.op', pod: 'a+b(c)\\' });
    const m = readSelector(sel);
    assert.deepEqual(m[0], ['service_name', '=~', 'sh\\.op/.*']);
    assert.deepEqual(m[1], ['pod', '=~', 'a\\+b\\(c\\)\\\\']);
    // The regex only matches the literal value.
    assert.ok(new RegExp(`^${m[1][2]}$`).test('a+b(c)\\'));
    assert.ok(!new RegExp(`^${m[1][2]}$`).test('aab(c)\\'));
  });

  test('template text keeps its own escapes; other labels pass through', () => {
    assert.equal(
      buildLabelSelector('{service_name="${namespace}/${container}", env!="dev\\"x"}', { namespace: 'shop', pod: 'p', container: 'catalog' }),
      '{service_name="shop/catalog", env!="dev\\"x"}',
    );
    // The matcher needing a container is dropped when none is picked.
    assert.equal(buildLabelSelector('{service_name="${namespace}/${container}", pod="${pod}"}', { namespace: 'shop', pod: 'p' }), '{pod="p"}');
  });

  test('bad templates are refused with a message naming the setting', () => {
    for (const t of ['namespace="x"', '{pod=${pod}}', '{pod="${pod}"', '{pod="${podname}"}', '{pod ~ "x"}', '{pod="x"} extra', '{9x="a"}', '{pod="a\\', '{,}']) {
      assert.throws(
        () => buildLabelSelector(t, { namespace: 'n', pod: 'p' }),
        (e: unknown) => e instanceof PyroscopeError && e.kind === 'bad-input' && /podProfiler\.pyroscope\.labelSelector/.test(e.message),
        t,
      );
    }
    assert.throws(() => buildLabelSelector('{container="${container}"}', { namespace: 'n', pod: 'p' }), (e: unknown) => e instanceof PyroscopeError && e.kind === 'bad-input');
    assert.throws(() => buildLabelSelector(`{pod="${'x'.repeat(3000)}"}`, { namespace: 'n', pod: 'p' }), PyroscopeError);
  });

  test('escape helpers', () => {
    assert.equal(escapeStringLiteral('a"b\\c\n\x01'), 'a\\"b\\\\c\\n\\x01');
    assert.equal(escapeRegex('a.b*c[d]^$|'), 'a\\.b\\*c\\[d\\]\\^\\$\\|');
  });
});
