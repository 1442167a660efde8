/** ES module entry of the page SDK: the API, and the declarative buttons wired on load. */
import { installDeclarativeButtons } from './declarative-button.js';

export * from './cas-token.js';
export { installDeclarativeButtons } from './declarative-button.js';

if (typeof document !== 'undefined') installDeclarativeButtons();
