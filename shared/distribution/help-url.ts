/**
 * Where the popup's "Help" link goes: the user guide on the project's site, next to the downloads page
 * (downloads-url.ts). Like that page, it must be published before the first release reaches users.
 */
export const HELP_URL = 'https://castoken.eu/help/';
