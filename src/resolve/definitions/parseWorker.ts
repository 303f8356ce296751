// Entry of a parse worker thread (bundled on its own as dist/parseWorker.js): reads and parses the batches
// of files parsePool sends, and answers each with their definitions. Holds no index state.
import { parentPort, workerData } from 'node:worker_threads';
import { fileDefinitions, readSourceText } from './fileDefinitions';
import type { ParseReply, ParseRequest, ParseWorkerData } from './parsePool';
import { TreeSitterHost, grammarOfFile } from './treeSitter';

const port = parentPort;
if (port) {
  const { wasmDir } = workerData as ParseWorkerData;
  const host = TreeSitterHost.create(wasmDir);
  port.on('message', (request: ParseRequest) => {
    answer(request).then(
      (reply) => port.postMessage(reply),
      (err: unknown) => port.postMessage({ batch: request.batch, error: err instanceof Error ? err.message : String(err) } satisfies ParseReply),
    );
  });

  async function answer({ batch, tasks }: ParseRequest): Promise<ParseReply> {
    const ready = await host;
    const results: ParseReply['results'] = [];
    for (const { path, place } of tasks) {
      await ready.load(grammarOfFile(path)!);
      const text = readSourceText(path);
      results.push(text === undefined ? null : fileDefinitions(ready, path, text, place));
    }
    return { batch, results };
  }
}
