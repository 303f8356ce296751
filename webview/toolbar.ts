// The toolbar, built from @vscode/webview-ui-toolkit components (vscode-button, vscode-text-field,
// vscode-checkbox). If the toolkit cannot register (no custom elements, a CSP refusal), the same controls
// are native elements styled with VS Code's CSS variables; ids and behaviour are identical.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeCheckbox, vsCodeTextField } from '@vscode/webview-ui-toolkit';

export interface ToolbarControls {
  readonly usesToolkit: boolean;
  readonly search: HTMLElement & { value: string };
  readonly caseToggle: HTMLElement & { checked: boolean };
  readonly regexToggle: HTMLElement & { checked: boolean };
  readonly matchInfo: HTMLElement;
  readonly buttons: Record<ButtonId, HTMLElement>;
}

export type ButtonId =
  | 'reset'
  | 'orientation'
  | 'sandwich-toggle'
  | 'open-source'
  | 'copy-stack'
  | 'save-png'
  | 'save-svg'
  | 'export-profile'
  | 'compare'
  | 'help';

const BUTTONS: Array<[ButtonId, string, string]> = [
  ['reset', 'Reset', 'Reset zoom (Escape)'],
  ['orientation', 'Flame', 'Switch between icicle (root on top) and flame (root at bottom)'],
  ['sandwich-toggle', 'Sandwich', 'Callers and callees of the selected function (S)'],
  ['open-source', 'Open source', 'Open the selected frame in the editor (O, Ctrl/Cmd+Enter, double-click); Ctrl/Cmd+click or C centres on a frame'],
  ['copy-stack', 'Copy stack', 'Copy the selected frame\'s stack, leaf first'],
  ['save-png', 'PNG', 'Save the view as a PNG image'],
  ['save-svg', 'SVG', 'Save the view as an SVG image'],
  ['export-profile', 'Export…', 'Save the profile as pprof or folded text'],
  ['compare', 'Compare…', 'Compare with another profile (differential flamegraph)'],
  ['help', '?', 'Gestures and keyboard shortcuts (?)'],
];

let toolkitRegistered: boolean | undefined;

function registerToolkit(): boolean {
  if (toolkitRegistered !== undefined) return toolkitRegistered;
  try {
    provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeTextField());
    toolkitRegistered = customElements.get('vscode-button') !== undefined;
  } catch {
    toolkitRegistered = false;
  }
  return toolkitRegistered;
}

export function buildToolbar(host: HTMLElement): ToolbarControls {
  const toolkit = registerToolkit();
  const el = (tk: string, native: string) => document.createElement(toolkit ? tk : native);

  const search = el('vscode-text-field', 'input') as HTMLElement & { value: string };
  search.id = 'search';
  search.setAttribute('placeholder', 'Search (regex)');
  search.setAttribute('aria-label', 'Search functions');
  if (!toolkit) (search as unknown as HTMLInputElement).type = 'search';

  const toggle = (id: string, label: string, title: string) => {
    if (toolkit) {
      const c = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean };
      c.id = id;
      c.textContent = label;
      c.title = title;
      return c;
    }
    const wrap = document.createElement('label');
    wrap.className = 'native-checkbox';
    wrap.title = title;
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.id = id;
    wrap.append(input, document.createTextNode(` ${label}`));
    return Object.assign(wrap, { input });
  };
  const caseWrap = toggle('case-toggle', 'Aa', 'Match case');
  const regexWrap = toggle('regex-toggle', '.*', 'Regular expression');
  const caseToggle = (toolkit ? caseWrap : (caseWrap as unknown as { input: HTMLInputElement }).input) as HTMLElement & { checked: boolean };
  const regexToggle = (toolkit ? regexWrap : (regexWrap as unknown as { input: HTMLInputElement }).input) as HTMLElement & { checked: boolean };
  regexToggle.checked = true;

  const matchInfo = document.createElement('span');
  matchInfo.id = 'match-info';
  matchInfo.className = 'match-info';

  const buttons = {} as Record<ButtonId, HTMLElement>;
  const group = document.createElement('span');
  group.className = 'buttons';
  for (const [id, label, title] of BUTTONS) {
    const b = el('vscode-button', 'button');
    b.id = id;
    b.textContent = label;
    b.title = title;
    if (toolkit && id !== 'open-source') b.setAttribute('appearance', 'secondary');
    if (!toolkit) b.className = id === 'open-source' ? 'native-button primary' : 'native-button';
    buttons[id] = b;
    group.append(b);
  }
  const searchGroup = document.createElement('span');
  searchGroup.className = 'search-group';
  searchGroup.append(search, caseWrap, regexWrap, matchInfo);
  host.append(searchGroup, group);
  document.body.classList.toggle('toolkit', toolkit);
  return { usesToolkit: toolkit, search, caseToggle, regexToggle, matchInfo, buttons };
}
