// A node:test reporter that counts finished tests (suites excluded, as in the runner's own summary) and
// writes {"passed":N,"failed":N,"skipped":N} to its destination; scripts/test.mjs sums these over runs.
// It also rewrites the file named by $POD_PROFILER_COUNTS_FILE synchronously after every test: the stream
// destination alone came out empty after long e2e runs with stdout redirected to a file (seen with Node 24),
// which made `npm test` print "0 passed" for files that passed.
import { writeFileSync } from 'node:fs';

export default async function* countReporter(source) {
  const n = { passed: 0, failed: 0, skipped: 0 };
  const file = process.env.POD_PROFILER_COUNTS_FILE;
  if (file) writeFileSync(file, JSON.stringify(n));
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.details?.type === 'suite') continue;
    if (event.type === 'test:fail') n.failed++;
    else if (event.data.skip !== undefined || event.data.todo !== undefined) n.skipped++;
    else n.passed++;
    if (file) writeFileSync(file, JSON.stringify(n));
  }
  yield JSON.stringify(n) + '\n';
}
