'use strict';
/**
 * One HiGHS solve, as plain CommonJS so that it runs unchanged inline (required by highs.ts) and as
 * the body of the worker thread highs.ts starts (no TypeScript loader needed in the worker).
 * Types: `HighsJob`, `HighsOutcome`, `HighsEvent` in highs.ts.
 *
 * As a worker (workerData.slotlabHighsWorker): loads the `highs` wasm runtime once, then runs every
 * job posted to it, posting `incumbent` / `progress` / `log` events while HiGHS runs (from its
 * synchronous callbacks; the parent receives them while this thread is still busy), then `done` or
 * `error`. After an `error` the parent terminates this worker: a wasm instance is not trusted after a
 * native failure.
 */
const workerThreads = require('node:worker_threads');

function runJob(highs, job, post) {
  const inf = highs.infinity;
  const clamp = (a) => Float64Array.from(a, (v) => (v === Infinity ? inf : v === -Infinity ? -inf : v));
  const hm = highs.createModel({
    numCols: job.numCols,
    numRows: job.numRows,
    sense: job.minimize ? highs.constants.objectiveSense.minimize : highs.constants.objectiveSense.maximize,
    offset: job.offset,
    colCost: job.colCost,
    colLower: clamp(job.colLower),
    colUpper: clamp(job.colUpper),
    rowLower: clamp(job.rowLower),
    rowUpper: clamp(job.rowUpper),
    matrix: { format: 'csr', numRows: job.numRows, numCols: job.numCols, starts: job.starts, indices: job.indices, values: job.values },
    integrality: job.integrality,
  });
  try {
    const options = Object.assign({}, job.options);
    // The budget is what is left of the solve's deadline now, after the runtime loaded and the model was built.
    if (Number.isFinite(job.deadlineEpochMs)) {
      const left = (job.deadlineEpochMs - (performance.timeOrigin + performance.now())) / 1000;
      options.time_limit = Math.min(options.time_limit, Math.max(0.05, left));
    }
    if (options.time_limit === Infinity) options.time_limit = inf;
    hm.options.set(options);
    const hasIntegers = job.integrality.some((v) => v === 1);
    if (hasIntegers && job.start) hm.setSolution(job.start);
    const cb = highs.constants.callbackType;
    const callbacks = {};
    if (job.log) {
      callbacks[cb.logging] = (event) => {
        const line = (event.data && event.data.log_msg) || event.message;
        if (line) post({ type: 'log', line: String(line).trimEnd() });
        return undefined;
      };
    }
    if (hasIntegers && job.events) {
      let last = 0;
      callbacks[cb.mipImprovingSolution] = (event) => {
        if (event.data.mip_solution) post({ type: 'incumbent', values: event.data.mip_solution });
        return undefined;
      };
      callbacks[cb.mipInterrupt] = (event) => {
        const now = Date.now();
        if (now - last >= 250) {
          last = now;
          post({ type: 'progress', bound: event.data.mip_dual_bound, nodes: Number(event.data.mip_node_count || 0) });
        }
        return undefined;
      };
    }
    const result = Object.keys(callbacks).length > 0 ? hm.run(callbacks) : hm.run();
    const primal = Number(hm.info.get('primal_solution_status'));
    const outcome = { modelStatus: result.modelStatus };
    if (primal === highs.constants.solutionStatus.feasible) outcome.values = hm.getSolution().colValue;
    if (hasIntegers) {
      outcome.nodes = Number(hm.info.get('mip_node_count'));
      outcome.bound = Number(hm.info.get('mip_dual_bound'));
    }
    return outcome;
  } finally {
    hm.dispose();
  }
}

module.exports = { runJob };

if (!workerThreads.isMainThread && workerThreads.workerData && workerThreads.workerData.slotlabHighsWorker) {
  const port = workerThreads.parentPort;
  const ready = require('highs')();
  port.on('message', (job) => {
    ready.then(
      (highs) => {
        try {
          const outcome = runJob(highs, job, (m) => port.postMessage(Object.assign({ id: job.id }, m)));
          port.postMessage({ id: job.id, type: 'done', outcome });
        } catch (error) {
          port.postMessage({ id: job.id, type: 'error', message: String((error && error.message) || error) });
        }
      },
      (error) => port.postMessage({ id: job.id, type: 'error', message: 'HiGHS failed to load: ' + String(error) }),
    );
  });
}
