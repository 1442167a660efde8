export * from './error-codes.js';
export * from './cas-token-error.js';
export * from './host-messages.js';
export * from './token-types.js';
export * from './limits.js';
export * from './version.js';
export * from './page-messages.js';
