export * from './api.ts';
export * from './common.ts';
export * from './errors.ts';
export * from './events.ts';
export * from './inventory.ts';
export * from './layout-columns.ts';
export * from './live.ts';
export * from './queue.ts';
export * from './seat-generator.ts';

import './schema-names.ts';
