/**
 * The datasets layer: loaders (slotlab JSON, STG, WfFormat, BPPLIB, the HEFT paper example), ground-truth
 * readers, seeded generators and the catalog of bundled data. Imports models/ only.
 * Formats and mappings are documented in docs/formats.md. This is the datasets layer's public surface
 * (`import { loadInstance } from 'slotlab'`); internal: file reading helpers, schemas and format sniffing.
 */
export { dataPath, DATA_ROOT } from './paths.ts';
export * from './loaders/index.ts';
export { SLOTLAB_FORMATS, parseSlotlabDocument, toSlotlabDocument, type SlotlabDocument, type SlotlabFormat } from './loaders/slotlab-json.ts';
export { parseStg, readStg, stgJobGraph, stgGraphKey, stgDagPlacementSpec, type StgGraph, type StgTask } from './loaders/stg.ts';
export { readStgOptima, stgOptimum, readStgGraphBounds, type StgOptimum, type StgOptimaTable, type StgGraphBounds } from './loaders/stg-reference.ts';
export { parseWfFormat, wfDagPlacementSpec, type WfWorkflow } from './loaders/wfformat.ts';
export { FLINK_SHIP_STRATEGIES, DEFAULT_FLINK_WORK_MS, parseFlinkPlan, parseFlinkCosts, readFlinkCostsFile, flinkPlanJob, flinkPlanDagPlacementSpec, looksLikeFlinkPlan, type FlinkPlan, type FlinkCosts, type FlinkPlanShape } from './loaders/flink-plan.ts';
export { parseBpp, readBpp, bppLoadBalancingSpec, readBppOptima, bppOptimum, type BppInstance, type BppOptimum } from './loaders/bpplib.ts';
export { HEFT_PAPER_FILE, readHeftFixture, heftFixtureDagPlacementSpec, heftPaperExpected, type HeftFixture, type HeftPaperExpected } from './loaders/heft-paper.ts';
export * from './generators/index.ts';
export { WORKLOAD_FORMAT, loadWorkload, looksLikeWorkload, parseWorkloadDocument, workloadSchema, type WorkloadDocument, type WorkloadJobEntry } from './loaders/workload.ts';
export { CATALOG, DATASETS_ROOT, catalogFigures, datasetFiles, findDataset, globFiles, type CatalogEntry, type CatalogFigures } from './catalog.ts';
