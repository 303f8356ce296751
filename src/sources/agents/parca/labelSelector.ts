// The label part of a Parca query. Parca parses queries with Prometheus' metric-selector parser
// (pkg/profile/profile.go ParseQuery: `<profile type>{label="value", ...}`), so values are PromQL string
// literals. A template such as {namespace="${namespace}", pod="${pod}"} is parsed first, then each placeholder
// is replaced inside its own string literal with the value escaped for that literal (and for RE2 in =~/!~
// matchers): a pod or namespace name full of quotes, backslashes or `"}` cannot add or change a matcher.
//
// The default labels are those parca-agent's Kubernetes relabel config gives its profiles (parca-dev/parca-agent
// kubernetes-config.yaml: __meta_kubernetes_namespace -> namespace, __meta_kubernetes_pod_name -> pod,
// __meta_kubernetes_pod_container_name -> container).
import { escapeRegex, promqlString } from '../labelValueLiteral';
import { ParcaError } from './parcaErrors';

export const defaultParcaLabelSelector = '{namespace="${namespace}", pod="${pod}"}';

export interface SelectorValues {
  namespace: string;
  pod: string;
  container?: string;
}

type Op = '=' | '!=' | '=~' | '!~';

interface TemplateMatcher {
  name: string;
  op: Op;
  /** The literal's content, unescaped, placeholders still in it. */
  value: string;
}

const placeholder = /\$\{(namespace|pod|container)\}|\$\{([^}]*)\}/g;
const labelName = /^[A-Za-z_][A-Za-z0-9_]*$/;

function bad(template: string, why: string, settingName: string): ParcaError {
  return new ParcaError(
    'bad-input',
    `The Parca label selector "${template.slice(0, 120)}" ${why}. Write it like ${defaultParcaLabelSelector} (setting ${settingName}); ` +
      `\${namespace}, \${pod} and \${container} are replaced inside quoted values.`,
  );
}

/** Reads `{name op "value", ...}` (double- or single-quoted values with Go escapes). Throws ParcaError 'bad-input'. */
function parseTemplate(template: string, settingName: string): TemplateMatcher[] {
  const t = template.trim();
  let pos = 0;
  const skip = () => {
    while (pos < t.length && /\s/.test(t[pos])) pos++;
  };
  const fail = (why: string) => bad(template, why, settingName);
  skip();
  if (t[pos] !== '{') throw fail('must start with {');
  pos++;
  const out: TemplateMatcher[] = [];
  for (;;) {
    skip();
    if (t[pos] === '}') {
      pos++;
      break;
    }
    const nameMatch = /^[A-Za-z_][A-Za-z0-9_]*/.exec(t.slice(pos));
    if (!nameMatch) throw fail(`has no label name at character ${pos + 1}`);
    const name = nameMatch[0];
    pos += name.length;
    skip();
    const opMatch = /^(=~|!~|!=|=)/.exec(t.slice(pos));
    if (!opMatch) throw fail(`has no =, !=, =~ or !~ after ${name}`);
    const op = opMatch[0] as Op;
    pos += op.length;
    skip();
    const quote = t[pos];
    if (quote !== '"' && quote !== "'") throw fail(`needs a quoted value after ${name}${op}`);
    pos++;
    let value = '';
    for (;;) {
      if (pos >= t.length) throw fail('has an unterminated string');
      const c = t[pos++];
      if (c === quote) break;
      if (c === '\\') {
        const e = t[pos++];
        const simple: Record<string, string> = { '\\': '\\', '"': '"', "'": "'", n: '\n', t: '\t', r: '\r' };
        if (e === undefined || !(e in simple)) throw fail(`has an escape \\${e ?? ''} that is not supported here`);
        value += simple[e];
      } else value += c;
    }
    out.push({ name, op, value });
    skip();
    if (t[pos] === ',') {
      pos++;
      continue;
    }
    if (t[pos] === '}') {
      pos++;
      break;
    }
    throw fail(`has "${t[pos] ?? 'the end'}" where , or } was expected`);
  }
  skip();
  if (pos !== t.length) throw fail('has text after the closing }');
  if (out.length === 0) throw fail('has no matcher');
  return out;
}

/**
 * The selector for one pod: the template's matchers with placeholders filled in (values escaped), rendered as
 * `{name="value", ...}`. A matcher using ${container} is left out when no container is given; the default
 * template gains container="..." when one is. Throws ParcaError 'bad-input'.
 */
export function buildParcaLabelSelector(template: string | undefined, values: SelectorValues, settingName = 'podProfiler.parca.labelSelector'): string {
  return buildParcaSelectorParts(template, values, settingName).selector;
}

/** buildParcaLabelSelector plus the label names kept (for "no profiles match" messages). */
export function buildParcaSelectorParts(
  template: string | undefined,
  values: SelectorValues,
  settingName = 'podProfiler.parca.labelSelector',
): { selector: string; labels: string[] } {
  const tpl = template?.trim() || defaultParcaLabelSelector;
  const matchers = parseTemplate(tpl, settingName);
  const container = values.container?.trim() || undefined;
  if (!template?.trim() && container) matchers.push({ name: 'container', op: '=', value: '${container}' });
  for (const [what, v] of [['namespace', values.namespace], ['pod', values.pod]] as const) {
    if (!v) throw new ParcaError('bad-input', `No ${what} was given for the Parca query.`);
  }
  const rendered: string[] = [];
  const labels: string[] = [];
  for (const m of matchers) {
    if (!labelName.test(m.name)) throw bad(tpl, `has an invalid label name "${m.name}"`, settingName);
    let dropped = false;
    const regex = m.op === '=~' || m.op === '!~';
    const value = m.value.replace(placeholder, (_all, known: string | undefined, unknown: string | undefined) => {
      if (unknown !== undefined || !known) throw bad(tpl, `uses \${${unknown}}, which is not one of \${namespace}, \${pod}, \${container}`, settingName);
      const v = known === 'container' ? container : values[known as 'namespace' | 'pod'];
      if (v === undefined) {
        dropped = true;
        return '';
      }
      return regex ? escapeRegex(v) : v;
    });
    if (!dropped) {
      rendered.push(`${m.name}${m.op}${promqlString(value)}`);
      if (!labels.includes(m.name)) labels.push(m.name);
    }
  }
  if (rendered.length === 0) throw bad(tpl, 'has no matcher left once ${container} matchers are dropped (no container was chosen)', settingName);
  return { selector: `{${rendered.join(', ')}}`, labels };
}
