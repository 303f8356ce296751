// Types of scripts/codeServer.mjs for the TypeScript tests (they load it at run time by path).
export declare const CLEAN_WINDOW_SETTINGS: Record<string, unknown>;
export declare function freePort(): Promise<number>;
export declare function codeServerInstalled(root: string): boolean;

export interface CodeServerOptions {
  /** Repository root (holds package.json, .tools/, node_modules/.bin/node). */
  root: string;
  /** Workspace folder opened by folderUrl(). */
  folder?: string;
  /** 0 or unset: a free port. */
  port?: number;
  host?: string;
  /** User settings added to the clean-window ones. */
  settings?: Record<string, unknown>;
  /** --vscode-option enable-smoke-test-driver (extension-host tests). */
  smokeTestDriver?: boolean;
  /** Symlink the repo into --extensions-dir as an installed extension (default: when smokeTestDriver is off). */
  installLink?: boolean;
  scratchDir?: string;
  logFile?: string;
  echo?: boolean;
  timeoutMs?: number;
  keepScratch?: boolean;
  /** Extra environment variables; the extension host inherits them. */
  env?: Record<string, string>;
}

export interface FolderUrlOptions {
  folder?: string;
  /** Default: the repository root with smokeTestDriver (the payload needs it), else none. */
  extensionDevelopmentPath?: string | null;
  extensionTestsPath?: string;
}

export interface CodeServer {
  url: string;
  port: number;
  host: string;
  scratch: string;
  logFile: string;
  folderUrl(opts?: FolderUrlOptions): string;
  output(): string;
  stop(): Promise<void>;
  exited(): { code: number | null; signal: string | null } | null;
}

export declare function startCodeServer(o: CodeServerOptions): Promise<CodeServer>;
