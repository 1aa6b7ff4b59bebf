/**
 * The datasets layer: loaders (slotlab JSON, STG, WfFormat, BPPLIB, the HEFT paper example), ground-truth
 * readers, seeded generators and the catalog of bundled data. Imports models/ only.
 */
export { dataPath, DATA_ROOT } from './paths.ts';
export * from './loaders/index.ts';
export { SLOTLAB_FORMATS, parseSlotlabDocument, toSlotlabDocument, type SlotlabDocument, type SlotlabFormat } from './loaders/slotlab-json.ts';
