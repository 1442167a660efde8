/**
 * Whether a page request is over the size limit, measured cheaply on the structured-clone value a page
 * posted (no JSON.stringify of tens of megabytes): the lengths of its strings and keys, and the byte
 * lengths of any binary values (each byte is several characters of JSON). It walks at most
 * MAX_PAGE_REQUEST_VALUES values (so a deep, cyclic or enormous structure ends quickly) and stops as
 * soon as the limit is passed. Used by the page SDK and by the content bridge.
 */
import { MAX_PAGE_REQUEST_CHARS, MAX_PAGE_REQUEST_VALUES } from './limits.js';

export function pageRequestTooLarge(value: unknown, maxChars: number = MAX_PAGE_REQUEST_CHARS, maxValues: number = MAX_PAGE_REQUEST_VALUES): boolean {
  let chars = 0;
  let values = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    values += 1;
    if (typeof item === 'string') chars += item.length;
    else if (item instanceof ArrayBuffer || ArrayBuffer.isView(item)) chars += item.byteLength * 4;
    else if (Array.isArray(item)) {
      if (values + pending.length + item.length > maxValues) return true;
      for (const element of item) pending.push(element);
    } else if (item !== null && typeof item === 'object') {
      const keys = Object.keys(item);
      if (values + pending.length + keys.length > maxValues) return true;
      for (const key of keys) {
        chars += key.length;
        pending.push((item as Record<string, unknown>)[key]);
      }
    } else chars += 8;
    if (chars > maxChars) return true;
  }
  return false;
}
