/**
 * Performance prediction on measured runs: sweeps of one job over TaskManager counts on the runtime, their CSV, and
 * the fit-and-predict report (`slotlab sweep`, `slotlab predict`, benchmarks/prediction.ts). The models themselves are
 * in models/predict.
 */
export { sweep, sweepCluster, sweepPoints, SWEEP_COLUMNS, type SweepOptions, type SweepRow } from './sweep.ts';
export { csvToPerformancePoints, readPerformanceCsv, sweepToCsv, writeSweepCsv, TIME_COLUMNS, type PerformanceCsv } from './csv.ts';
export { predictionReport, medianMs, type PredictionReport, type ModelReport, type TargetPrediction } from './report.ts';
