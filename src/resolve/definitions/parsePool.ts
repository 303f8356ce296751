// Parses many files on worker threads and the calling thread together. Parsing is nearly all of an index
// build and every file is independent, so a second core halves it; the calling thread still parses too
// (on a 2-core machine it is one of the two) and keeps everything that touches the index itself.
// Results are handed back in task order, whoever parsed them, so an index built this way is the same as
// one built on one thread. A worker that fails or stalls only costs time: batches it does not answer are
// parsed here in the end, and its late answers are dropped.
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
  /** Worker threads besides the calling one (default: one per further core, at most 3). */
  readonly count?: number;
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
  return Math.max(0, Math.min(availableParallelism() - 1, 3));
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
  const finish = (batch: number, results: ReadonlyArray<FileDefinitions | undefined>, onWorker: boolean) => {
    if (batch < stored || done[batch]) return; // already parsed elsewhere
    done[batch] = results;
    if (onWorker) byWorkers += results.length;
    flush();
  };

  const workers: Worker[] = [];
  let count = batches.length >= MIN_BATCHES_FOR_WORKERS && opts.workers ? (opts.workers.count ?? defaultWorkerCount()) : 0;
  // Checked here, not left to the workers: a missing script is reported by a worker only once it has tried to
  // load it, which can be after a small build has ended (and its workers were stopped unheard).
  if (count > 0 && !existsSync(opts.workers!.script)) {
    opts.workers!.onProblem?.(`parse worker script not found: ${opts.workers!.script}`);
    count = 0;
  }
  const retire = (worker: Worker, problem?: string) => {
    const k = workers.indexOf(worker);
    if (k < 0) return;
    workers.splice(k, 1);
    void worker.terminate();
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
    workers.push(worker);
    worker.on('message', (reply: ParseReply) => {
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

  try {
    while (stored < batches.length) {
      opts.signal?.throwIfAborted();
      // Nothing left to hand out: this thread parses the batches still waiting for a worker's answer, last
      // first (the ones a worker is least likely to have started). At worst a batch per worker is parsed twice.
      const batch = handedOut < batches.length ? handedOut++ : lastUnanswered(done, stored, batches.length);
      finish(batch, batches[batch].map(opts.parseHere), false);
      // Lets worker replies in, and the extension host breathe.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    for (const worker of [...workers]) retire(worker);
  }
  return byWorkers;
}

/** The last batch in [from, to) without results (there is one while batch `from` has none). */
function lastUnanswered(done: ReadonlyArray<unknown>, from: number, to: number): number {
  let b = to - 1;
  while (b > from && done[b]) b--;
  return b;
}
