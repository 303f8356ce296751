import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { withDelayedProgress, type ProgressStep, type ShowProgress } from './delayedProgress';

/** A ShowProgress that records what it was shown. */
function recorder() {
  const shown: Array<{ current: ProgressStep | undefined; later: ProgressStep[]; settled: boolean }> = [];
  const show: ShowProgress = (current, follow, done) => {
    const entry = { current, later: [] as ProgressStep[], settled: false };
    shown.push(entry);
    follow((s) => entry.later.push(s));
    void done.then(() => (entry.settled = true));
  };
  return { shown, show };
}

test('work done before the delay shows no progress at all', async () => {
  const { shown, show } = recorder();
  const result = await withDelayedProgress(50, show, async (report) => {
    report({ message: '0 of 2 files', percent: 0 });
    report({ message: '2 of 2 files', percent: 100 });
    return 42;
  });
  assert.equal(result, 42);
  await sleep(120);
  assert.equal(shown.length, 0);
});

test('work that outlasts the delay shows the step reached, then follows the later ones, and settles', async () => {
  const { shown, show } = recorder();
  const result = await withDelayedProgress(20, show, async (report) => {
    report({ message: '0 of 3 files', percent: 0 });
    report({ message: '1 of 3 files', percent: 33 });
    await sleep(100);
    report({ message: '3 of 3 files', percent: 100 });
    return 'built';
  });
  assert.equal(result, 'built');
  await sleep(0);
  assert.equal(shown.length, 1);
  assert.deepEqual(shown[0].current, { message: '1 of 3 files', percent: 33 });
  assert.deepEqual(shown[0].later, [{ message: '3 of 3 files', percent: 100 }]);
  assert.equal(shown[0].settled, true);
});

test('a failure reaches the caller; the display opened meanwhile settles too', async () => {
  const { shown, show } = recorder();
  await assert.rejects(
    withDelayedProgress(10, show, async () => {
      await sleep(60);
      throw new Error('parse worker died');
    }),
    /parse worker died/,
  );
  await sleep(0);
  assert.equal(shown.length, 1);
  assert.equal(shown[0].current, undefined);
  assert.equal(shown[0].settled, true);
});
