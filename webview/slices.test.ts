import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { SliceRunner, drain, type SliceHost } from './slices';

/** A host with a hand-driven clock and task queue: every job step costs `stepMs`. */
function fakeHost() {
  let clock = 0;
  const tasks: Array<() => void> = [];
  const frames: Array<() => void> = [];
  const host: SliceHost = { now: () => clock, post: (f) => void tasks.push(f), afterFrame: (f) => void frames.push(f) };
  return {
    host,
    advance: (ms: number) => void (clock += ms),
    /** Runs queued tasks one at a time; returns how many ran. */
    runAll(limit = 1000): number {
      let n = 0;
      while (tasks.length > 0 && n < limit) {
        tasks.shift()!();
        n++;
      }
      return n;
    },
    get queued() {
      return tasks.length;
    },
    /** Paints a frame: what waited for it runs next. */
    frame(): void {
      tasks.push(...frames.splice(0));
    },
  };
}

function* counter(steps: number, advance: (ms: number) => void, stepMs: number, log: number[]): Generator<void, number> {
  for (let i = 0; i < steps; i++) {
    log.push(i);
    advance(stepMs);
    yield;
  }
  return steps;
}

describe('SliceRunner', () => {
  test('splits a job into slices of about the budget, one task each, and calls done once', () => {
    const h = fakeHost();
    const r = new SliceRunner(5, h.host);
    const log: number[] = [];
    let done = 0;
    r.run('a', counter(20, h.advance, 1, log), () => done++);
    assert.equal(log.length, 0, 'nothing runs synchronously');
    h.runAll(1);
    // 5 steps of 1 ms fill the first slice.
    assert.equal(log.length, 5);
    assert.equal(done, 0);
    const tasks = 1 + h.runAll();
    assert.equal(log.length, 20);
    assert.equal(done, 1);
    // 20 steps + the final next() that reports done: 5 slices.
    assert.equal(tasks, 5);
    assert.equal(r.stats.slices, 5);
    assert.ok(r.stats.longest <= 5, `longest slice ${r.stats.longest}`);
    assert.equal(h.queued, 0);
  });

  test('a new job under the same key cancels the old one (its done never runs); other keys go on', () => {
    const h = fakeHost();
    const r = new SliceRunner(3, h.host);
    const oldLog: number[] = [], newLog: number[] = [], otherLog: number[] = [];
    const doneKeys: string[] = [];
    r.run('load', counter(10, h.advance, 1, oldLog), () => doneKeys.push('old'));
    r.run('other', counter(4, h.advance, 1, otherLog), () => doneKeys.push('other'));
    h.runAll(1);
    assert.equal(oldLog.length, 3);
    r.run('load', counter(2, h.advance, 1, newLog), () => doneKeys.push('new'));
    h.runAll();
    assert.equal(oldLog.length, 3, 'the cancelled job is not resumed');
    assert.equal(newLog.length, 2);
    assert.equal(otherLog.length, 4);
    assert.deepEqual(doneKeys.sort(), ['new', 'other']);
    assert.equal(r.pending('load'), false);
  });

  test('a job may cancel itself or queue another job from inside a step; a throwing job is dropped and reported', () => {
    const h = fakeHost();
    const r = new SliceRunner(100, h.host);
    const errors: unknown[] = [];
    r.onError = (e) => errors.push(e);
    let followed = false;
    let selfDone = false;
    r.run('self', (function* () {
      yield;
      r.cancel('self');
      yield;
      throw new Error('resumed after cancel');
    })(), () => (selfDone = true));
    r.run('spawn', (function* () {
      yield;
      r.run('child', (function* () {
        followed = true;
      })());
    })());
    r.run('bad', (function* () {
      yield;
      throw new Error('boom');
    })());
    h.runAll();
    assert.equal(selfDone, false);
    assert.equal(followed, true);
    assert.deepEqual(errors.map((e) => (e as Error).message), ['boom']);
  });

  test('while holdWhile says a frame is due, no step runs until that frame is painted', () => {
    const h = fakeHost();
    const r = new SliceRunner(5, h.host);
    const log: number[] = [];
    let inputPending = true;
    r.holdWhile = () => inputPending;
    r.run('a', counter(3, h.advance, 1, log));
    h.runAll();
    assert.equal(log.length, 0, 'held');
    inputPending = false;
    h.frame();
    h.runAll();
    assert.equal(log.length, 3);
  });

  test('drain runs a job to its end and returns its value', () => {
    assert.equal(drain(counter(7, () => {}, 0, [])), 7);
  });
});
