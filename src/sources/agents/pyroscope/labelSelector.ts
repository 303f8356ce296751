// The label selector sent to Pyroscope, built from a template such as
//   {namespace="${namespace}", pod="${pod}", container="${container}"}
// Pyroscope reads Prometheus-style matchers (label op "value", op one of = != =~ !~). The template is parsed
// into matchers and only the placeholders' values are inserted, escaped for the string literal (and for
// the regex under =~ / !~), so no pod or namespace name can end a string or add a matcher of its own.
// A matcher whose placeholder has no value (no container picked) is left out.
//
// Why namespace/pod/container: Grafana Alloy's pyroscope.ebpf only adds service_name by itself; the
// Kubernetes setup in Pyroscope's own example (grafana/pyroscope examples/grafana-alloy-auto-instrumentation/
// ebpf/kubernetes/alloy.yaml) relabels __meta_kubernetes_namespace -> namespace, __meta_kubernetes_pod_name
// -> pod and __meta_kubernetes_pod_container_name -> container, as the common Alloy/Prometheus pod configs do.
import { escapeRegex, escapeStringLiteral } from '../labelValueLiteral';
import { PyroscopeError } from './pyroscopeErrors';

export const defaultLabelSelectorTemplate = '{namespace="${namespace}", pod="${pod}", container="${container}"}';

export interface SelectorValues {
  namespace: string;
  pod: string;
  container?: string;
}

const placeholderNames = ['namespace', 'pod', 'container'] as const;
type PlaceholderName = (typeof placeholderNames)[number];

interface Matcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  /** The literal's parts: raw template text (kept as written, escapes included) and placeholders. */
  parts: Array<{ text: string } | { placeholder: PlaceholderName }>;
}

const maxTemplateLength = 2000;

/** Builds the selector for one pod. Throws PyroscopeError('bad-input') for a template it cannot read. */
export function buildLabelSelector(template: string | undefined, values: SelectorValues): string {
  const matchers = parseTemplate(template?.trim() || defaultLabelSelectorTemplate);
  const out: string[] = [];
  for (const m of matchers) {
    let value = '';
    let missing = false;
    for (const part of m.parts) {
      if ('text' in part) {
        value += part.text;
        continue;
      }
      const v = values[part.placeholder];
      if (v === undefined || v === '') {
        missing = true;
        break;
      }
      value += escapeStringLiteral(m.op.endsWith('~') ? escapeRegex(v) : v);
    }
    if (!missing) out.push(`${m.label}${m.op}"${value}"`);
  }
  if (out.length === 0) {
    throw new PyroscopeError('bad-input', `The label selector template "${template}" leaves no matcher for this pod; add one such as pod="\${pod}".`);
  }
  return `{${out.join(', ')}}`;
}

function bad(template: string, why: string): PyroscopeError {
  return new PyroscopeError(
    'bad-input',
    `The label selector template ${JSON.stringify(template.slice(0, 200))} is not valid: ${why}. ` +
      `Write it like ${defaultLabelSelectorTemplate} (setting podProfiler.pyroscope.labelSelector).`,
  );
}

function parseTemplate(template: string): Matcher[] {
  if (template.length > maxTemplateLength) throw bad(template, `it is longer than ${maxTemplateLength} characters`);
  let i = 0;
  const skipSpace = () => {
    while (i < template.length && /\s/.test(template[i])) i++;
  };
  skipSpace();
  if (template[i] !== '{') throw bad(template, 'it must start with {');
  i++;
  const matchers: Matcher[] = [];
  for (;;) {
    skipSpace();
    if (template[i] === '}') {
      i++;
      break;
    }
    if (matchers.length > 0) {
      if (template[i] !== ',') throw bad(template, `expected , or } at position ${i + 1}`);
      i++;
      skipSpace();
      if (template[i] === '}') {
        i++;
        break;
      }
    }
    const label = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(template.slice(i))?.[0];
    if (!label) throw bad(template, `expected a label name at position ${i + 1}`);
    i += label.length;
    skipSpace();
    const op = /^(=~|!~|!=|=)/.exec(template.slice(i))?.[0] as Matcher['op'] | undefined;
    if (!op) throw bad(template, `expected =, !=, =~ or !~ after ${label}`);
    i += op.length;
    skipSpace();
    if (template[i] !== '"') throw bad(template, `the value of ${label} must be in double quotes`);
    i++;
    const parts: Matcher['parts'] = [];
    let text = '';
    for (;;) {
      if (i >= template.length) throw bad(template, `the value of ${label} has no closing quote`);
      const ch = template[i];
      if (ch === '"') {
        i++;
        break;
      }
      if (ch === '\\') {
        if (i + 1 >= template.length) throw bad(template, `the value of ${label} ends in a backslash`);
        text += template.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (ch === '$' && template[i + 1] === '{') {
        const end = template.indexOf('}', i);
        const name = end < 0 ? '' : template.slice(i + 2, end);
        if (!(placeholderNames as readonly string[]).includes(name)) {
          throw bad(template, `unknown placeholder ${end < 0 ? template.slice(i) : template.slice(i, end + 1)} (known: \${namespace}, \${pod}, \${container})`);
        }
        if (text) parts.push({ text });
        text = '';
        parts.push({ placeholder: name as PlaceholderName });
        i = end + 1;
        continue;
      }
      // eslint-disable-next-line no-control-regex
      if (/[\x00-\x1f]/.test(ch)) throw bad(template, `the value of ${label} contains a control character`);
      text += ch;
      i++;
    }
    if (text) parts.push({ text });
    matchers.push({ label, op, parts });
  }
  skipSpace();
  if (i < template.length) throw bad(template, `unexpected text after the closing }`);
  return matchers;
}
