// Parses many files on worker threads. Parsing is nearly all of an index build and every file is
// independent, so each core takes a share. The calling thread (the extension host's) keeps everything that
// touches the index itself and parses only what the workers cannot: all of it when none could start, and at
// the end the batches still unanswered, so that a worker that fails or stalls only costs time (its late
// answers are dropped). Left free, its event loop keeps moving VS Code's messages during a build (see TURN_MS).
// Results are handed back in task order, whoever parsed them, so an index built this way is the same as
// one built on one thread.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FileDefinitions, FilePlace } from './fileDefinitions';

export interface ParseTask {
  readonly path: string;
  readonly place: FilePlace;
}

/** What a parse worker starts with. */
export interface ParseWorkerData {
  readonly wasmDir: string;
}

export interface ParseRequest {
  readonly batch: number;
  readonly tasks: readonly ParseTask[];
}

/** A batch's results in task order (null: the file could not be read), or why the worker could not parse it. */
export interface ParseReply {
  readonly batch: number;
  readonly results?: Array<FileDefinitions | null>;
  readonly error?: string;
}

export interface ParseWorkers {
  /** The bundled parseWorker.ts (dist/parseWorker.js). */
  readonly script: string;
  /** Worker threads (default: one per core, at most 4). */
  readonly count?: number;
  /** A worker silent this long while it holds batches is stopped, its batches parsed elsewhere (default 10 s). */
  readonly stallMs?: number;
  /** Told why a worker could not start or stopped helping (the build goes on without it). */
  readonly onProblem?: (message: string) => void;
}

export interface ParseAllOptions {
  readonly workers?: ParseWorkers;
  /** Where the workers load tree-sitter from (the calling thread's TreeSitterHost directory). */
  readonly wasmDir: string;
  readonly batchSize: number;
  readonly signal?: AbortSignal;
  /** Parses one file on the calling thread; undefined when it cannot be read. */
  readonly parseHere: (task: ParseTask) => FileDefinitions | undefined;
  /** Takes each batch's results, batch after batch in task order, on the calling thread. */
  readonly onBatch: (tasks: readonly ParseTask[], results: ReadonlyArray<FileDefinitions | undefined>) => void;
}

/** Below this many batches, starting a worker (a new isolate, tree-sitter loaded again) costs more than it saves. */
const MIN_BATCHES_FOR_WORKERS = 4;
/** Batches sent to a worker ahead, so it never waits for the calling thread to hand it the next one. */
const AHEAD = 2;

export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(availableParallelism(), 4));
}

/** Parses `tasks`; resolves to how many of the files whose results were used were parsed on a worker. */
export async function parseAll(tasks: readonly ParseTask[], opts: ParseAllOptions): Promise<number> {
  const batches: ParseTask[][] = [];
  for (let i = 0; i < tasks.length; i += opts.batchSize) batches.push(tasks.slice(i, i + opts.batchSize));
  const done: Array<ReadonlyArray<FileDefinitions | undefined> | undefined> = new Array(batches.length);
  let handedOut = 0; // batches [0, handedOut) went to a worker or to this thread
  let stored = 0; // batches [0, stored) were given to onBatch
  let byWorkers = 0;
  const flush = () => {
    while (stored < batches.length && done[stored] && !opts.signal?.aborted) {
      opts.onBatch(batches[stored], done[stored]!);
      done[stored] = undefined;
      stored++;
    }
  };
  // Wakes the calling thread while it waits for the workers (an answer, a worker lost, a cancel).
  let wake: (() => void) | undefined;
  const wakeUp = () => {
    wake?.();
    wake = undefined;
  };
  const answered = (batch: number) => batch < stored || done[batch] !== undefined;
  const finish = (batch: number, results: ReadonlyArray<FileDefinitions | undefined>, onWorker: boolean) => {
    if (answered(batch)) return; // already parsed elsewhere
    done[batch] = results;
    if (onWorker) byWorkers += results.length;
    flush();
    wakeUp();
  };

  // The running workers, each with when it last answered (or started).
  const workers = new Map<Worker, number>();
  const stallMs = opts.workers?.stallMs ?? 10_000;
  let count = batches.length >= MIN_BATCHES_FOR_WORKERS && opts.workers ? (opts.workers.count ?? defaultWorkerCount()) : 0;
  // Checked here, not left to the workers: a missing script is reported by a worker only once it has tried to
  // load it, which can be after a small build has ended (and its workers were stopped unheard).
  if (count > 0 && !existsSync(opts.workers!.script)) {
    opts.workers!.onProblem?.(`parse worker script not found: ${opts.workers!.script}`);
    count = 0;
  }
  const stopping: Array<Promise<unknown>> = [];
  const retire = (worker: Worker, problem?: string) => {
    if (!workers.delete(worker)) return;
    stopping.push(worker.terminate().catch(() => undefined));
    wakeUp();
    if (problem) opts.workers?.onProblem?.(`parse worker: ${problem}`);
  };
  const handOut = (worker: Worker) => {
    if (handedOut >= batches.length) return;
    const batch = handedOut++;
    worker.postMessage({ batch, tasks: batches[batch] } satisfies ParseRequest);
  };
  for (let k = 0; k < count; k++) {
    let worker: Worker;
    try {
      // No inherited execArgv: the extension host's own flags (an inspector port when debugged) are not the worker's.
      worker = new Worker(opts.workers!.script, { workerData: { wasmDir: opts.wasmDir } satisfies ParseWorkerData, execArgv: [] });
    } catch (err) {
      // No threads here: this thread parses everything.
      opts.workers?.onProblem?.(`parse worker could not start: ${err instanceof Error ? err.message : String(err)}`);
      break;
    }
    workers.set(worker, performance.now());
    worker.on('message', (reply: ParseReply) => {
      // An answer already on its way when the worker was stopped: dropped, and nothing more handed out.
      if (!workers.has(worker)) return;
      workers.set(worker, performance.now());
      if (!reply.results) {
        retire(worker, reply.error ?? 'no results');
        return;
      }
      finish(reply.batch, reply.results.map((r) => r ?? undefined), true);
      handOut(worker);
    });
    // A script that cannot load, a crash, an exit: its batches are left to this thread.
    worker.on('error', (err) => retire(worker, err.message));
    worker.on('messageerror', (err) => retire(worker, err.message));
    worker.on('exit', (code) => retire(worker, `exited with code ${code}`));
    for (let a = 0; a < AHEAD; a++) handOut(worker);
  }

  opts.signal?.addEventListener('abort', wakeUp);
  try {
    let turnStarted = performance.now();
    while (stored < batches.length) {
      opts.signal?.throwIfAborted();
      if (workers.size > 0 && handedOut < batches.length) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, stallMs);
        });
        clearTimeout(timer);
        const now = performance.now();
        for (const [worker, at] of workers) if (now - at >= stallMs) retire(worker, `no answer in ${Math.round((now - at) / 1000)} s`);
        turnStarted = now;
        continue;
      }
      // No worker (none could start, or all stopped): this thread parses what is left. Nothing left to hand
      // out: it parses the batches still waiting for a worker's answer, last first (the ones a worker is least
      // likely to have started). At worst a batch per worker is parsed twice.
      const batch = handedOut < batches.length ? handedOut++ : lastUnanswered(done, stored, batches.length);
      const tasks = batches[batch];
      const results: Array<FileDefinitions | undefined> = [];
      for (let k = 0; k < tasks.length && !answered(batch); k++) {
        results.push(opts.parseHere(tasks[k]));
        if (performance.now() - turnStarted < TURN_MS) continue;
        // Lets worker replies in, and the extension host breathe.
        await new Promise<void>((resolve) => setImmediate(resolve));
        turnStarted = performance.now();
        opts.signal?.throwIfAborted();
      }
      if (results.length === tasks.length) finish(batch, results, false);
    }
  } finally {
    opts.signal?.removeEventListener('abort', wakeUp);
    for (const worker of [...workers.keys()]) retire(worker);
    // Done when they are gone: a worker's teardown (its heap, tree-sitter's memory) takes a core for a while,
    // which would otherwise be the core the first profile's resolution runs on.
    await Promise.all(stopping);
  }
  return byWorkers;
}

/**
 * The longest the calling thread parses between two turns of its event loop. The extension host takes in a
 * message from the window a 16 KiB piece per turn (it inflates a compressed socket), and the list of the
 * workspace's files (findFiles) is megabytes: with a turn per 64-file batch (a quarter of a second), a
 * click on the progress notification's Cancel, queued behind it, reached the extension after the build.
 */
const TURN_MS = 20;

/** The last batch in [from, to) without results (there is one while batch `from` has none). */
function lastUnanswered(done: ReadonlyArray<unknown>, from: number, to: number): number {
  let b = to - 1;
  while (b > from && done[b]) b--;
  return b;
}
