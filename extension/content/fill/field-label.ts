/**
 * The name of a form field as a person reads it, from the most to the least explicit source:
 * <label for>, a wrapping <label>, aria-labelledby, aria-label, title, placeholder, the table cell
 * (or column header) before it, the text just before it, then name/id split into words.
 */
export type LabelSource = 'label-for' | 'label-wrap' | 'aria-labelledby' | 'aria-label' | 'title' | 'placeholder' | 'table-cell' | 'preceding-text' | 'name';

export interface FieldLabel {
  source: LabelSource;
  text: string;
  /** A label that names this field alone (not a group label over several fields): when it names nothing we know, the field is not ours. */
  decisive: boolean;
}

export type FormField = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

export { normaliseLabel } from '../../../shared/form-vocabulary/normalise-label.js';

const FIELD_SELECTOR = 'input, select, textarea';
const LONGEST_LABEL = 160;

function textOf(element: Element | null | undefined): string {
  if (!element) return '';
  const clone = element.cloneNode(true) as Element;
  clone.querySelectorAll('input, select, textarea, script, style, button, option').forEach((child) => child.remove());
  return (clone.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function fieldCount(element: Element): number {
  return element.querySelectorAll(FIELD_SELECTOR).length;
}

const hasLetters = (text: string): boolean => /\p{L}{2,}/u.test(text);

/** `nrSerieCertificat`, `cert_serial`, `data-expirarii` → words. */
function wordsOfIdentifier(identifier: string): string {
  return identifier
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_\-.[\]0-9]+/g, ' ')
    .trim();
}

/** The text right before the field inside its container, back to the previous field (`Valabil de la [ ]`). */
export function textJustBefore(field: Element): string {
  let node: Node | null = field.previousSibling;
  const pieces: string[] = [];
  while (node) {
    if (node.nodeType === 1) {
      const element = node as Element;
      if (element.matches(FIELD_SELECTOR) || fieldCount(element) > 0) break;
      if (!element.matches('br')) pieces.unshift(textOf(element));
    } else if (node.nodeType === 3) {
      pieces.unshift(node.textContent ?? '');
    }
    if (pieces.join('').trim()) break;
    node = node.previousSibling;
  }
  return pieces.join(' ').replace(/\s+/g, ' ').trim();
}

/** The text right after the field, up to the next field (`[ ] până la [ ]`). */
export function textJustAfter(field: Element): string {
  let node: Node | null = field.nextSibling;
  while (node) {
    if (node.nodeType === 1) {
      const element = node as Element;
      if (element.matches(FIELD_SELECTOR) || fieldCount(element) > 0) return '';
      if (textOf(element)) return textOf(element);
    } else if (node.nodeType === 3 && (node.textContent ?? '').trim()) {
      return (node.textContent ?? '').trim();
    }
    node = node.nextSibling;
  }
  return '';
}

function precedingText(field: Element): string {
  const before = textJustBefore(field);
  if (before) return before;
  // The field first in a container of its own: the text before that container
  // (`<div>Label</div><div><input><small>hint</small></div>`), a few levels up at most.
  let container: Element = field;
  for (let depth = 0; depth < 3; depth += 1) {
    const parent = container.parentElement;
    if (!parent || fieldCount(parent) !== 1 || textJustBefore(container) !== '' || parent.matches('td, th, label, form, body')) return '';
    container = parent;
    const previous = container.previousElementSibling;
    if (previous) return fieldCount(previous) === 0 ? textOf(previous) : '';
  }
  return '';
}

function tableCellText(field: Element): string {
  const cell = field.closest('td, th');
  if (!cell) return '';
  // The nearest cell before it that says something (a row number "1." or another field's cell does not).
  for (let previous = cell.previousElementSibling; previous; previous = previous.previousElementSibling) {
    if (fieldCount(previous) === 0 && hasLetters(textOf(previous))) return textOf(previous);
  }
  // Otherwise the header of its column.
  const row = cell.parentElement;
  const table = cell.closest('table');
  if (!row || !table) return '';
  const column = Array.from(row.children).indexOf(cell);
  const headerRow = table.querySelector('thead tr') ?? table.querySelector('tr');
  if (!headerRow || headerRow === row || fieldCount(headerRow) > 0) return '';
  return textOf(headerRow.children[column]);
}

export function fieldLabels(field: FormField): FieldLabel[] {
  const labels: FieldLabel[] = [];
  const add = (source: LabelSource, text: string | null | undefined, decisive = false): void => {
    const trimmed = (text ?? '').replace(/\s+/g, ' ').trim();
    if (trimmed) labels.push({ source, text: trimmed, decisive });
  };
  const document = field.ownerDocument;
  if (field.id) {
    for (const label of Array.from(document.querySelectorAll('label'))) if (label.htmlFor === field.id) add('label-for', textOf(label), true);
  }
  const wrapping = field.closest('label');
  if (wrapping && !wrapping.htmlFor) add('label-wrap', textOf(wrapping), fieldCount(wrapping) === 1);
  const labelledBy = field.getAttribute('aria-labelledby');
  if (labelledBy)
    add(
      'aria-labelledby',
      labelledBy
        .split(/\s+/)
        .map((id) => textOf(document.getElementById(id)))
        .join(' '),
      true,
    );
  add('aria-label', field.getAttribute('aria-label'), true);
  add('title', field.getAttribute('title'));
  add('placeholder', field.getAttribute('placeholder'));
  // Text around the field names it only when it is short enough to be a label, not a paragraph of instructions.
  const labelSized = (text: string): string => (text.length <= LONGEST_LABEL ? text : '');
  add('table-cell', labelSized(tableCellText(field)));
  add('preceding-text', labelSized(precedingText(field)));
  add('name', wordsOfIdentifier(field.getAttribute('name') ?? ''));
  if (field.id && field.id !== field.getAttribute('name')) add('name', wordsOfIdentifier(field.id));
  return labels;
}

/** The group a field shares with its neighbours (`<td>Valabilitate</td><td>de la [ ] până la [ ]</td>`): the container's own text. */
export function groupText(field: Element): string {
  for (let container = field.parentElement; container && container !== field.ownerDocument.body; container = container.parentElement) {
    if (container.matches('form, fieldset, table, tbody, thead, tr, section, main, article')) return '';
    const fields = fieldCount(container);
    if (fields > 3) return '';
    if (container.matches('td, th')) return fields > 1 ? `${tableCellText(field)} ${textOf(container)}` : '';
    if (fields > 1) return textOf(container);
  }
  return '';
}

/** A row of a table that heads the rows below it (`<tr><td colspan="2"><b>Date certificat</b></td></tr>`). */
function rowHeading(field: Element): Element | undefined {
  for (let row = field.closest('tr')?.previousElementSibling; row; row = row.previousElementSibling) {
    const cells = Array.from(row.children).filter((cell) => textOf(cell) !== '');
    if (fieldCount(row) === 0 && cells.length === 1) return cells[0];
  }
  return undefined;
}

/**
 * The heading of the section the field sits in (to tell the certificate's e-mail from a contact's, or
 * the ID card's series from the certificate's): the nearest one before the field among the headings
 * of the page, the legend of its fieldset, the caption of its table and a heading row of its table.
 */
export function sectionContext(field: Element): string {
  const document = field.ownerDocument;
  const headings = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role="heading"], legend, caption')).filter((heading) => {
    if (!(heading.compareDocumentPosition(field) & 4 /* FOLLOWING */)) return false;
    if (heading.matches('legend')) return heading.parentElement?.contains(field) ?? false;
    if (heading.matches('caption')) return heading.closest('table')?.contains(field) ?? false;
    return true;
  });
  const row = rowHeading(field);
  if (row) headings.push(row);
  const nearest = headings.sort((a, b) => (a.compareDocumentPosition(b) & 4 ? -1 : 1)).at(-1);
  return textOf(nearest);
}
