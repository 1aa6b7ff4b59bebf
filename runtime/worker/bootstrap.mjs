// Worker entry: registers tsx in this thread (module hooks are per thread), then loads the TypeScript
// TaskManager. Works under vitest, under ./bin/slotlab.js and under plain `node --import tsx`.
import { register } from 'tsx/esm/api';

register();
await import('./task-manager.ts');
