/**
 * The native host's commands, without their schemas: what the host checks a message's `command` against
 * before it loads any schema (host-messages.ts holds the schemas and checks, at compile time, that they
 * name exactly these).
 */
export const HOST_COMMANDS = ['status', 'modules', 'tokens', 'certificates', 'sign', 'generateRequest', 'importCertificate'] as const;
export type HostCommandName = (typeof HOST_COMMANDS)[number];
