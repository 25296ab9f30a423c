'use strict';
/* global require, process, setInterval */
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, loaded with node --require */
/**
 * Preloaded (`node --require`) into the `censorwatch run` process bench/scale.ts measures: once a
 * second it appends the process's own split of its memory (V8 heap, external, array buffers) to
 * the file named by CW_SCALE_PROBE, one JSON line each, which /proc cannot tell from outside. With
 * CW_SCALE_SNAPSHOT set it writes a heap snapshot (CW_SCALE_SNAPSHOT-N.heapsnapshot) on each
 * SIGUSR2, for looking into a run by hand. Plain JavaScript, so the measured process loads
 * nothing but the compiled CLI and this.
 */
const { appendFileSync } = require('node:fs');
const v8 = require('node:v8');

const file = process.env.CW_SCALE_PROBE;
if (file) {
  const t = setInterval(() => {
    const m = process.memoryUsage();
    const h = v8.getHeapStatistics();
    appendFileSync(
      file,
      JSON.stringify({
        at: Date.now(),
        rss: m.rss,
        heapUsed: m.heapUsed,
        heapTotal: m.heapTotal,
        external: m.external,
        arrayBuffers: m.arrayBuffers,
        mallocedMemory: h.malloced_memory,
        peakMallocedMemory: h.peak_malloced_memory,
      }) + '\n',
    );
  }, 1000);
  t.unref();
}
const snapshot = process.env.CW_SCALE_SNAPSHOT;
let snapshots = 0;
if (snapshot) process.on('SIGUSR2', () => v8.writeHeapSnapshot(`${snapshot}-${++snapshots}.heapsnapshot`));
