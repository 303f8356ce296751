// Flamegraph benchmark in headless Chromium: a 200k-node profile (real fixtures merged under synthetic pods
// with synthetic depth) drawn by our webview and, in the same run, by speedscope (npm package, its built app).
// Prints: first paint after the data arrives, when the functions table and minimap are ready, the longest
// main-thread task after the first paint (PerformanceObserver 'longtask' and 'long-animation-frame', and the
// webview's own slice lengths), the latency of a wheel zoom sent right after the first paint, draw time per
// pan/zoom frame (median, p95), JS heap, and a machine reference (a fixed JS loop timed in the page).
// Run: node scripts/build.mjs --tests && node out/test/bench/flamegraphBench.js [targetNodes]
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir, loadavg, cpus } from 'node:os';
import { createRequire } from 'node:module';
import type { Page, CDPSession } from 'playwright-core';
import { toFlameData } from '../../src/views/flamegraph/flameData';
import { buildLargeProfile, toFolded } from '../support/flamegraphProfiles';
import { installVsCodeStub, launchChromium, startPageServer } from '../support/flamegraphPage';

const TARGET = Number(process.argv[2] ?? 200_000);
const PAINT_RUNS = 7;

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}
const ms = (x: number) => `${x.toFixed(1)} ms`;
const mb = (x: number) => `${(x / 1024 / 1024).toFixed(1)} MB`;

/** JS heap plus ArrayBuffer backing stores (our tree lives in typed arrays, outside the JS heap proper). */
async function heap(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const u = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number; embedderHeapUsedSize?: number };
  return u.usedSize + (u.backingStorageSize ?? 0);
}

const twoFrames = (page: Page) => page.evaluate(() => new Promise<number>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now())))));

async function main(): Promise<void> {
  const t0 = Date.now();
  const profile = buildLargeProfile(TARGET, (p) => toFlameData(p, []).parent.length);
  const data = toFlameData(profile, []);
  const folded = toFolded(profile);
  // The page gets the columns as plain arrays (JSON, outside the timed part) and rebuilds the typed arrays
  // the host sends; the timed part is then exactly what happens in VS Code after the host's postMessage.
  const json = JSON.stringify({ type: 'profile', title: 'bench', data: { ...data, parent: [...data.parent], depth: [...data.depth], frame: [...data.frame], self: [...data.self], total: [...data.total] } });
  const binary = data.parent.byteLength + data.depth.byteLength + data.frame.byteLength + data.self.byteLength + data.total.byteLength;
  console.log(`profile: ${data.parent.length.toLocaleString()} flamegraph nodes, ${profile.frames.length.toLocaleString()} frames, ` +
    `${profile.totalValue.toLocaleString()} samples, depth ${data.depth.reduce((a, b) => Math.max(a, b), 0)}, message ${mb(binary)} typed columns + ` +
    `${mb(JSON.stringify(data.frames).length)} frames JSON (${mb(json.length)} as all-JSON), built in ${Date.now() - t0} ms`);

  console.log(`machine: ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} (figures scale with other load)`);
  const scratch = mkdtempSync(join(tmpdir(), 'flamegraph-bench-'));
  writeFileSync(join(scratch, 'profile.folded'), folded);
  const require = createRequire(join(process.cwd(), 'package.json'));
  const speedscopeDir = join(dirname(require.resolve('speedscope/package.json')), 'dist', 'release');
  const server = await startPageServer({ '/speedscope/': speedscopeDir, '/bench/': scratch });
  const browser = await launchChromium();
  try {
    // ---- ours ----
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1600, height: 900 });
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await installVsCodeStub(page);
    await page.goto(server.url('dark'));
    await page.waitForFunction(() => (window as any).__flamegraphTest !== undefined);
    const heapBefore = await heap(cdp);
    // Hand the JSON to the page first, so the measured time starts when the message is delivered, as in VS Code.
    await page.evaluate((text) => ((window as any).__benchJson = text), json);
    // The first load is fresh; the repeats are what a live refresh does (same work: validate, layout, draw).
    const paints: Array<{
      arrived: number;
      drawn: number;
      painted: number;
      ready: number;
      minimap: number;
      stats: { drawn: number; merged: number };
      phases: Record<string, number>;
      longestTask: number;
      longTasks: number;
      longestFrame: number;
      longestSlice: number;
      slices: number;
      timeline: string[];
    }> = [];
    for (let run = 0; run < PAINT_RUNS; run++) {
      paints.push(await page.evaluate(async () => {
        const w = window as any;
        const msg = JSON.parse(w.__benchJson);
        for (const k of ['parent', 'depth', 'frame']) msg.data[k] = Int32Array.from(msg.data[k]);
        for (const k of ['self', 'total']) msg.data[k] = Float64Array.from(msg.data[k]);
        await new Promise((r) => setTimeout(r, 50));
        const t = w.__flamegraphTest.timings;
        // Every main-thread task over 50 ms, and every frame over 50 ms (long animation frames also count
        // the rendering work: style, layout, paint of the table rows).
        const long: Array<{ type: string; start: number; duration: number }> = [];
        const obs = new PerformanceObserver((l) => long.push(...l.getEntries().map((e) => ({ type: e.entryType, start: e.startTime, duration: e.duration }))));
        for (const type of ['longtask', 'long-animation-frame']) {
          try {
            obs.observe({ type });
          } catch {
            /* not supported */
          }
        }
        w.__flamegraphTest.slices.slices = w.__flamegraphTest.slices.longest = 0;
        const trace: Array<[number, number, string]> = (w.__flamegraphTest.slices.trace = []);
        const start = performance.now();
        // VS Code's last hop into the webview frame transfers the message's ArrayBuffers
        // (pre/index.html: contentWindow.postMessage(message, origin, transfer)); so does this one.
        window.postMessage(msg, '*', ['parent', 'depth', 'frame', 'self', 'total'].map((k) => msg.data[k].buffer));
        // The graph's frame: the first animation frame after the draw; a task queued from its rAF callback
        // runs once that frame's rendering work is done (and before the table, queued later in that frame).
        const painted = await new Promise<number>((r) => {
          const poll = () => (t.drawnAt > start ? setTimeout(() => r(performance.now()), 0) : requestAnimationFrame(poll));
          poll();
        });
        const drawn = t.drawnAt - start;
        const phases = { deliver: t.messageAt - start, ...t.phases };
        // Then the functions table and the minimap (deferred after the first frame) are on screen too.
        await new Promise<void>((r) => {
          const poll = () => (t.tableAt > start ? requestAnimationFrame(() => setTimeout(r, 0)) : requestAnimationFrame(poll));
          poll();
        });
        const ready = performance.now() - start;
        // Observer callbacks are delivered asynchronously: give them a moment.
        await new Promise((r) => setTimeout(r, 100));
        for (const e of obs.takeRecords()) long.push({ type: e.entryType, start: e.startTime, duration: e.duration });
        obs.disconnect();
        // After the first paint: tasks that start once the first draw is done.
        const after = long.filter((e) => e.start >= painted - 1 && e.start < start + ready);
        w.__flamegraphTest.slices.trace = undefined;
        const timeline = [
          ...trace.map(([s0, d, k]) => `slice ${k} @${(s0 - start).toFixed(0)} ${d.toFixed(1)}`),
          ...long.map((e) => `${e.type} @${(e.start - start).toFixed(0)} ${e.duration.toFixed(0)}`),
        ].sort((a, b) => +a.split('@')[1].split(' ')[0] - +b.split('@')[1].split(' ')[0]);
        const maxOf = (type: string) => after.filter((e) => e.type === type).reduce((m, e) => Math.max(m, e.duration), 0);
        return {
          arrived: t.messageAt - start,
          drawn,
          painted: painted - start,
          ready,
          minimap: t.minimapAt - start,
          stats: w.__flamegraphTest.state().lastDraw,
          phases,
          longestTask: maxOf('longtask'),
          longTasks: after.filter((e) => e.type === 'longtask').length,
          longestFrame: maxOf('long-animation-frame'),
          longestSlice: w.__flamegraphTest.slices.longest,
          slices: w.__flamegraphTest.slices.slices,
          timeline,
        };
      }));
    }
    await page.evaluate(() => ((window as any).__benchJson = undefined));
    const paint = paints[0];
    const phaseText = (p: Record<string, number>) => Object.entries(p).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
    console.log(`ours: first load phases ${phaseText(paint.phases)} (ms)`);
    const medPhases: Record<string, number> = {};
    for (const k of Object.keys(paint.phases)) medPhases[k] = quantile(paints.map((p) => p.phases[k]), 0.5);
    console.log(`ours: median phases over ${PAINT_RUNS} loads: ${phaseText(medPhases)} (ms)`);
    const heapAfter = await heap(cdp);
    const med = (f: (p: (typeof paints)[number]) => number) => ms(quantile(paints.map(f), 0.5));
    console.log(`ours: first paint ${ms(paint.painted)} after the message is posted, ${ms(paint.painted - paint.arrived)} after it arrives ` +
      `(validation + layout + draw done at ${ms(paint.drawn)}); table and minimap on screen at ${ms(paint.ready)}; ` +
      `full view draws ${paint.stats.drawn} bars + ${paint.stats.merged} merged strips`);
    console.log(`ours: over ${PAINT_RUNS} loads (the first cold, the rest like live refreshes): first paint median ${med((p) => p.painted)} after posting, ` +
      `${med((p) => p.painted - p.arrived)} after arrival, max ${ms(Math.max(...paints.map((p) => p.painted)))}; table and minimap median ${med((p) => p.ready)}`);
    const longText = (p: (typeof paints)[number]) =>
      `longest task ${p.longestTask > 0 ? ms(p.longestTask) : 'none over 50 ms'} (${p.longTasks} over 50 ms), longest frame ${p.longestFrame > 0 ? ms(p.longestFrame) : 'none over 50 ms'}, ` +
      `longest slice ${ms(p.longestSlice)} of ${p.slices}`;
    console.log(`ours: after the first paint until table and minimap ready (first load): minimap at ${ms(paint.minimap)}, ${longText(paint)}`);
    if (process.env.BENCH_TIMELINE) for (const p of paints) console.log(`  timeline: ${p.timeline.join(', ')}`);
    console.log(`ours: after the first paint, worst over ${PAINT_RUNS} loads: longest task ${ms(Math.max(...paints.map((p) => p.longestTask)))}, ` +
      `longest frame ${ms(Math.max(...paints.map((p) => p.longestFrame)))}, longest slice ${ms(Math.max(...paints.map((p) => p.longestSlice)))}`);
    console.log(`ours: JS heap + array buffers ${mb(heapAfter)} (${mb(heapAfter - heapBefore)} for the profile)`);
    console.log(`machine reference (in the page, fixed JS loop): ${await page.evaluate(referenceLoop)}`);

    // Pan/zoom frames: real wheel and drag input through Playwright; every event schedules one draw.
    await page.evaluate(() => ((window as any).__flamegraphTest.drawTimes.length = 0));
    const box = (await page.locator('#flamegraph').boundingBox())!;
    const intervals: number[] = [];
    let last = await twoFrames(page);
    for (let i = 0; i < 40; i++) {
      await page.mouse.move(box.x + box.width * (0.2 + 0.6 * ((i * 7) % 10) / 10), box.y + 200);
      await page.mouse.wheel(0, i < 30 ? -120 : 240);
      const now = await twoFrames(page);
      intervals.push(now - last);
      last = now;
    }
    await page.keyboard.press('Escape');
    await page.mouse.move(box.x + 800, box.y + 300);
    await page.mouse.wheel(0, -600);
    await page.mouse.down();
    for (let i = 0; i < 40; i++) {
      await page.mouse.move(box.x + 800 + ((i % 20) - 10) * 25, box.y + 300 + ((i % 7) - 3) * 10);
      await twoFrames(page);
    }
    await page.mouse.up();
    const drawTimes: number[] = await page.evaluate(() => (window as any).__flamegraphTest.drawTimes.slice());
    console.log(`ours: pan/zoom draw per frame over ${drawTimes.length} frames: median ${ms(quantile(drawTimes, 0.5))}, p95 ${ms(quantile(drawTimes, 0.95))}, max ${ms(drawTimes.reduce((a, b) => Math.max(a, b), 0))}`);
    console.log(`ours: input-to-next-frame interval (headless rAF, includes Playwright round trips): median ${ms(quantile(intervals, 0.5))}`);
    await page.close();

    await zoomAfterFirstPaint(browser.context, server.url('dark'), json);

    // ---- speedscope, same profile as collapsed stacks ----
    const sp = await browser.context.newPage();
    await sp.setViewportSize({ width: 1600, height: 900 });
    const spCdp = await browser.context.newCDPSession(sp);
    await spCdp.send('Performance.enable');
    const profileUrl = `${server.origin}/bench/profile.folded`;
    await sp.goto(`${server.origin}/speedscope/index.html#profileURL=${encodeURIComponent(profileUrl)}&title=bench`);
    const ok = await sp
      .waitForFunction(() => document.title.startsWith('bench') && document.querySelector('canvas') !== null, undefined, { timeout: 120_000, polling: 'raf' })
      .then(() => true)
      .catch(() => false);
    if (!ok) {
      console.log(`speedscope: did not render within 120 s (title "${await sp.title()}")`);
    } else {
      const t = await sp.evaluate(async () => {
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const now = performance.now();
        const res = performance.getEntriesByType('resource').find((e) => e.name.includes('profile.folded')) as PerformanceResourceTiming | undefined;
        return { arrived: res?.responseEnd ?? NaN, painted: now };
      });
      console.log(`speedscope: first render ${ms(t.painted - t.arrived)} after the profile download finished (import + layout + WebGL draw; polled per frame)`);
      console.log(`speedscope: JS heap + array buffers ${mb(await heap(spCdp))}`);
    }
    await sp.close();
  } finally {
    await browser.close();
    await server.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * A fixed JS workload (sorting 200k pseudo-random doubles) timed in the page: a few tens of ms on an idle
 * machine; when it takes far longer, the machine is busy and every figure above is inflated alike.
 */
function referenceLoop(): string {
  const times: number[] = [];
  for (let round = 0; round < 5; round++) {
    let seed = 1;
    const a = new Float64Array(200_000);
    for (let i = 0; i < a.length; i++) a[i] = (seed = (seed * 16807) % 2147483647);
    const t0 = performance.now();
    a.sort();
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  return `sort of 200k doubles best ${times[0].toFixed(1)} ms, median ${times[2].toFixed(1)} ms`;
}

/**
 * A wheel zoom sent through the browser's input pipeline (CDP, via Playwright) as soon as the page reports
 * its first paint, while the table and minimap are still being built: time from the event's timestamp to
 * the end of the frame that shows the zoomed view. Fresh page, so the first load is cold.
 */
async function zoomAfterFirstPaint(context: import('playwright-core').BrowserContext, url: string, json: string): Promise<void> {
  const RUNS = 5;
  const page = await context.newPage();
  await page.setViewportSize({ width: 1600, height: 900 });
  await installVsCodeStub(page);
  let painted: () => void = () => {};
  await page.exposeFunction('__benchPainted', () => painted());
  await page.goto(url);
  await page.waitForFunction(() => (window as any).__flamegraphTest !== undefined);
  await page.evaluate((text) => ((window as any).__benchJson = text), json);
  const box = (await page.locator('#flamegraph').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + 100);
  const results: Array<{ latency: number; handledIn: number; sentAfterPaint: number; tableAfterWheel: number; zoomed: boolean }> = [];
  for (let run = 0; run < RUNS; run++) {
    const paintedP = new Promise<void>((r) => (painted = r));
    const measured = page.evaluate(async () => {
      const w = window as any;
      const msg = JSON.parse(w.__benchJson);
      for (const k of ['parent', 'depth', 'frame']) msg.data[k] = Int32Array.from(msg.data[k]);
      for (const k of ['self', 'total']) msg.data[k] = Float64Array.from(msg.data[k]);
      await new Promise((r) => setTimeout(r, 50));
      const t = w.__flamegraphTest.timings;
      const canvas = document.getElementById('flamegraph')!;
      let wheelAt = 0;
      let handledAt = 0;
      const onWheel = (e: Event) => {
        if (wheelAt) return;
        wheelAt = e.timeStamp;
        handledAt = performance.now();
      };
      canvas.addEventListener('wheel', onWheel, { capture: true });
      const start = performance.now();
      window.postMessage(msg, '*', ['parent', 'depth', 'frame', 'self', 'total'].map((k) => msg.data[k].buffer));
      let paintedAt = 0;
      await new Promise<void>((r) => {
        const poll = () => (t.drawnAt > start ? ((paintedAt = performance.now()), w.__benchPainted(), r()) : requestAnimationFrame(poll));
        poll();
      });
      const span0 = w.__flamegraphTest.state().view.x1 - w.__flamegraphTest.state().view.x0;
      // The wheel's frame: the first draw after the handler, then the end of that frame.
      const framed = await new Promise<number>((r) => {
        const poll = () => (handledAt > 0 && t.drawnAt > handledAt ? setTimeout(() => r(performance.now()), 0) : requestAnimationFrame(poll));
        poll();
      });
      canvas.removeEventListener('wheel', onWheel, { capture: true });
      const span1 = w.__flamegraphTest.state().view.x1 - w.__flamegraphTest.state().view.x0;
      await new Promise<void>((r) => {
        const poll = () => (t.tableAt > start ? r() : requestAnimationFrame(poll));
        poll();
      });
      return { latency: framed - wheelAt, handledIn: handledAt - wheelAt, sentAfterPaint: wheelAt - paintedAt, tableAfterWheel: t.tableAt - wheelAt, zoomed: span1 < span0 };
    });
    await paintedP;
    await page.mouse.wheel(0, -240);
    results.push(await measured);
    // Back to the full view for the next load.
    await page.keyboard.press('Escape');
  }
  const r0 = results[0];
  const f = (r: (typeof results)[number]) =>
    `${ms(r.latency)} (handler ${ms(r.handledIn)} after the event, event ${ms(r.sentAfterPaint)} after the first paint, table ready ${ms(r.tableAfterWheel)} after the event${r.zoomed ? '' : ', VIEW NOT ZOOMED'})`;
  console.log(`ours: wheel zoom right after the first paint, event to its frame: first (cold) ${f(r0)}`);
  console.log(`ours: same over ${RUNS} loads: median ${ms(quantile(results.map((r) => r.latency), 0.5))}, max ${ms(Math.max(...results.map((r) => r.latency)))}; ` +
    `${results.filter((r) => r.tableAfterWheel > 0).length}/${RUNS} events arrived before the table was ready`);
  await page.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
