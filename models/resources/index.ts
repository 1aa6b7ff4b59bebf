/** Fine-grained resource profiles: the arithmetic, the fits rule, cutting slots, stranded resources. */
export * from './profile.ts';
