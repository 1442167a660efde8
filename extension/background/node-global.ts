/** node-gost-crypto reads `global` (a Node name) as it loads: in the service worker that is globalThis. Imported before it. */
(globalThis as { global?: unknown }).global ??= globalThis;
export {};
