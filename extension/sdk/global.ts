/** Classic-script entry of the page SDK: defines `window.CasToken`. */
import * as CasToken from './index.js';

declare global {
  interface Window {
    CasToken: typeof CasToken;
  }
}

window.CasToken = CasToken;
