// Worker entry when the runtime runs from its TypeScript sources (vitest, tsx, notebooks): registers tsx in this
// thread (module hooks are per thread), then loads the TypeScript TaskManager. Compiled (dist/), the job master
// starts dist/runtime/worker/task-manager.js directly and this file is not used.
import { register } from 'tsx/esm/api';

register();
await import('./task-manager.ts');
