/**
 * The name of a form field as a person reads it, from the most to the least explicit source:
 * <label for>, a wrapping <label>, aria-labelledby, aria-label, title, placeholder, the table cell
 * (or column header) before it, the text just before it, then name/id split into words.
 */
export type LabelSource = 'label-for' | 'label-wrap' | 'aria-labelledby' | 'aria-label' | 'title' | 'placeholder' | 'table-cell' | 'preceding-text' | 'name';

export interface FieldLabel {
  source: LabelSource;
  text: string;
}

export type FormField = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

export { normaliseLabel } from '../../../shared/form-vocabulary/normalise-label.js';
import { normaliseLabel } from '../../../shared/form-vocabulary/normalise-label.js';


function textOf(element: Element | null | undefined): string {
  if (!element) return '';
  const clone = element.cloneNode(true) as Element;
  clone.querySelectorAll('input, select, textarea, script, style, button').forEach((child) => child.remove());
  return (clone.textContent ?? '').trim();
}

/** `nrSerieCertificat`, `cert_serial`, `data-expirarii` → words. */
function wordsOfIdentifier(identifier: string): string {
  return identifier
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_\-.[\]]+/g, ' ')
    .trim();
}

function precedingText(field: Element): string {
  let node: Node | null = field.previousSibling;
  let collected = '';
  while (node && collected.trim().length === 0) {
    if (node.nodeType === 3) collected = node.textContent ?? '';
    else if (node.nodeType === 1) {
      const element = node as Element;
      if (element.matches('input, select, textarea')) break;
      if (element.matches('br')) {
        node = node.previousSibling;
        continue;
      }
      collected = textOf(element);
    }
    node = node.previousSibling;
  }
  if (collected.trim()) return collected.trim();
  // The field alone in its container: the container's previous sibling (a <div>Label</div><div><input></div> layout).
  const parent = field.parentElement;
  if (parent && parent.querySelectorAll('input, select, textarea').length === 1 && textOf(parent) === '') {
    return textOf(parent.previousElementSibling);
  }
  return '';
}

function tableCellText(field: Element): string {
  const cell = field.closest('td, th');
  if (!cell) return '';
  let previous = cell.previousElementSibling;
  while (previous && textOf(previous) === '') previous = previous.previousElementSibling;
  if (previous) return textOf(previous);
  // No cell before it: the header of its column.
  const row = cell.parentElement;
  const table = cell.closest('table');
  if (!row || !table) return '';
  const column = Array.from(row.children).indexOf(cell);
  const headerRow = table.querySelector('thead tr') ?? table.querySelector('tr');
  if (!headerRow || headerRow === row) return '';
  return textOf(headerRow.children[column]);
}

export function fieldLabels(field: FormField): FieldLabel[] {
  const labels: FieldLabel[] = [];
  const add = (source: LabelSource, text: string | null | undefined): void => {
    const trimmed = (text ?? '').trim();
    if (trimmed) labels.push({ source, text: trimmed });
  };
  const document = field.ownerDocument;
  if (field.id) {
    for (const label of Array.from(document.querySelectorAll('label'))) if (label.htmlFor === field.id) add('label-for', textOf(label));
  }
  add('label-wrap', textOf(field.closest('label')));
  const labelledBy = field.getAttribute('aria-labelledby');
  if (labelledBy) add('aria-labelledby', labelledBy.split(/\s+/).map((id) => textOf(document.getElementById(id))).join(' '));
  add('aria-label', field.getAttribute('aria-label'));
  add('title', field.getAttribute('title'));
  add('placeholder', field.getAttribute('placeholder'));
  add('table-cell', tableCellText(field));
  add('preceding-text', precedingText(field));
  add('name', wordsOfIdentifier(field.getAttribute('name') ?? ''));
  if (field.id) add('name', wordsOfIdentifier(field.id));
  return labels;
}

/** The heading of the section, fieldset or table the field sits in (to tell the certificate's e-mail from others). */
export function sectionContext(field: Element): string {
  const parts: string[] = [];
  const fieldset = field.closest('fieldset');
  if (fieldset) parts.push(textOf(fieldset.querySelector('legend')));
  const table = field.closest('table');
  if (table) parts.push(textOf(table.querySelector('caption')));
  let section: Element | null = field.closest('section, [role="group"], .section, .card');
  if (section) parts.push(textOf(section.querySelector('h1, h2, h3, h4, h5, legend, .title')));
  // The nearest heading before the field in document order.
  const headings = Array.from(field.ownerDocument.querySelectorAll('h1, h2, h3, h4, h5, legend, caption'));
  const before = headings.filter((heading) => heading.compareDocumentPosition(field) & 4 /* FOLLOWING */);
  section = before.at(-1) ?? null;
  if (section) parts.push(textOf(section));
  return parts.join(' ');
}
