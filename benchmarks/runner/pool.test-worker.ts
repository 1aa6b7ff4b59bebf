import { serveTasks } from './pool.ts';

/** Worker for pool.test.ts: answers, spins, throws or dies on request. */
type Payload = { action: 'echo'; value: number } | { action: 'spin' } | { action: 'throw' } | { action: 'die' };

serveTasks<Payload, { value: number; pid: number }>(async (p) => {
  switch (p.action) {
    case 'echo':
      return { value: p.value * 2, pid: process.pid };
    case 'spin':
      for (;;) {
        // a loop that never yields: only a kill stops it
      }
    case 'throw':
      throw new Error('asked to throw');
    case 'die':
      process.stderr.write('dying on purpose\n');
      process.exit(3);
  }
});
