// A node:test reporter that counts finished tests (suites excluded, as in the runner's own summary) and
// writes {"passed":N,"failed":N,"skipped":N} to its destination; scripts/test.mjs sums these over runs.
export default async function* countReporter(source) {
  const n = { passed: 0, failed: 0, skipped: 0 };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.details?.type === 'suite') continue;
    if (event.type === 'test:fail') n.failed++;
    else if (event.data.skip !== undefined || event.data.todo !== undefined) n.skipped++;
    else n.passed++;
  }
  yield JSON.stringify(n) + '\n';
}
