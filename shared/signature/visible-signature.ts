/**
 * The visible signature box: one appearance for every path that signs a PDF (page SDK, Sign files,
 * CLI, the registration request). Placement by a rectangle or a named corner, checked against the
 * page (SIGNATURE_PLACEMENT_INVALID when it does not fit); the text in the language the user chose,
 * wrapped to the box and shrunk until it fits; DejaVu Sans embedded (subset), so ă â î ș ț and
 * Cyrillic are drawn as written and extracted as text (ToUnicode).
 *
 * pades.ts calls `resolveVisiblePlacement` (where the box goes) and `buildVisibleAppearance` (the
 * appearance objects, numbered by pades' allocator) and nothing else.
 */
import { PDFArray, PDFDict, PDFDocument, PDFRef, PDFStream } from 'pdf-lib';
import type { PDFFont, PDFObject } from 'pdf-lib';
import { CasTokenError } from '../protocol/cas-token-error.js';
import { loadFontkit } from './fontkit-loader.js';
import type { PdfObjectUpdate } from './pdf-incremental-update.js';

export const SIGNATURE_CORNERS = ['bottom-right', 'bottom-left', 'top-right', 'top-left'] as const;
export type SignatureCorner = (typeof SIGNATURE_CORNERS)[number];
export const SIGNATURE_LANGUAGES = ['ro', 'en', 'ru'] as const;
export type SignatureLanguage = (typeof SIGNATURE_LANGUAGES)[number];

/** Where the box goes and what it says: what a person or a page chooses (the font is added where the signature is made). */
export type VisiblePlacement = Omit<VisibleSignature, 'font'>;

export interface VisibleSignature {
  /** 1-based page number; 'last' (or a negative number, -1 the last page). Default: the last page for a corner, 1 for a rectangle. */
  page?: number | 'last';
  /** [x1, y1, x2, y2] in PDF points, from the page's lower-left corner. */
  rect?: [number, number, number, number];
  /** A box of the default size in this corner of the page (used when there is no rect). */
  corner?: SignatureCorner;
  /** The text instead of "Digitally signed by NAME / Date: …" (lines split at \n). */
  text?: string;
  /** The language of the default text's labels. Default: ro. */
  language?: SignatureLanguage;
  /** The TrueType font the box is written in (DejaVu Sans: the `dejavu-fonts-ttf` package). */
  font?: Uint8Array;
}

/** The box a corner gets, and its distance from the page's edges, in points. */
export const CORNER_BOX = { width: 200, height: 56, margin: 28 } as const;
/** The smallest box the text can be read in. */
export const MIN_BOX = { width: 40, height: 16 } as const;

const CORNER_ALIASES: Record<string, SignatureCorner> = {
  'bottom-right': 'bottom-right',
  'bottom-left': 'bottom-left',
  'top-right': 'top-right',
  'top-left': 'top-left',
  'jos-dreapta': 'bottom-right',
  'jos-stanga': 'bottom-left',
  'jos-stânga': 'bottom-left',
  'sus-dreapta': 'top-right',
  'sus-stanga': 'top-left',
  'sus-stânga': 'top-left',
  'снизу-справа': 'bottom-right',
  'снизу-слева': 'bottom-left',
  'сверху-справа': 'top-right',
  'сверху-слева': 'top-left',
};

const placementError = (detail: string): CasTokenError => new CasTokenError('SIGNATURE_PLACEMENT_INVALID', detail);

/**
 * A placement as a person writes it: `page,x,y,w,h` (points, from the lower-left corner), a corner
 * (`bottom-right`, `top-left`, … or `jos-dreapta`, `снизу-справа`, …), or `page,corner`; the page is
 * a number (1 the first) or `last`.
 */
export function parseVisiblePlacement(spec: string): VisibleSignature {
  const parts = spec.split(',').map((part) => part.trim().toLowerCase());
  const page = (value: string): number | 'last' => {
    if (value === 'last' || value === 'ultima' || value === 'последняя') return 'last';
    if (!/^-?\d+$/.test(value) || Number(value) === 0) throw placementError(`"${value}" is not a page number (1 is the first page, last the last one).`);
    return Number(value);
  };
  if (parts.length === 1 || parts.length === 2) {
    const corner = CORNER_ALIASES[parts.at(-1)!];
    if (!corner) throw placementError(`"${spec}" is neither page,x,y,w,h nor a corner (${SIGNATURE_CORNERS.join(', ')}).`);
    return parts.length === 2 ? { page: page(parts[0]!), corner } : { corner };
  }
  if (parts.length !== 5) throw placementError(`"${spec}" is neither page,x,y,w,h nor a corner (${SIGNATURE_CORNERS.join(', ')}).`);
  const numbers = parts.slice(1).map((value) => {
    if (!/^-?\d+(\.\d+)?$/.test(value)) throw placementError(`"${value}" in "${spec}" is not a number of points.`);
    return Number(value);
  });
  const [x, y, w, h] = numbers as [number, number, number, number];
  return { page: page(parts[0]!), rect: [x, y, x + w, y + h] };
}

export interface PageBox {
  x: number;
  y: number;
  width: number;
  height: number;
  /** The page's /Rotate: how far a viewer turns it clockwise (0, 90, 180 or 270). */
  rotation?: number;
}

/** Where the box goes: the page (0-based), its rectangle in the page's own space, and the turn its appearance needs to read upright. */
export interface ResolvedPlacement {
  pageIndex: number;
  /** [x1, y1, x2, y2] in the page's default space (the widget's /Rect). */
  rect: [number, number, number, number];
  /** The box as the reader sees it: width and height on the turned page. */
  width: number;
  height: number;
  /** The page's rotation (0, 90, 180, 270): the appearance is turned back by as much. */
  rotation: number;
}

/** A /Rotate value as a viewer applies it: a multiple of 90, 0 to 270. */
export function normalisedRotation(angle: number | undefined): number {
  if (!angle || !Number.isFinite(angle)) return 0;
  const quarter = Math.round(angle / 90) * 90;
  return ((quarter % 360) + 360) % 360;
}

/**
 * A point of the page as the reader sees it (u from the left, v from the bottom of the turned page)
 * in the page's default space. A viewer turns the page clockwise by `rotation`.
 */
function fromViewerSpace(box: PageBox, rotation: number, u: number, v: number): [number, number] {
  switch (rotation) {
    case 90:
      return [box.x + box.width - v, box.y + u];
    case 180:
      return [box.x + box.width - u, box.y + box.height - v];
    case 270:
      return [box.x + v, box.y + box.height - u];
    default:
      return [u, v]; // unturned: the reader's coordinates are the page's
  }
}

/**
 * Where the box goes, checked against the page's visible area. Corners and rectangles are the
 * reader's: on a page turned by /Rotate, "bottom-right" is the bottom right of the page as shown and
 * x, y count from the lower-left corner of the page as shown.
 */
export function resolveVisiblePlacement(visible: VisibleSignature, pageCount: number, pageBox: (index: number) => PageBox): ResolvedPlacement {
  const wanted = visible.page ?? (visible.rect ? 1 : 'last');
  const pageNumber = wanted === 'last' ? pageCount : wanted < 0 ? pageCount + 1 + wanted : wanted;
  if (!Number.isInteger(pageNumber) || pageNumber < 1 || pageNumber > pageCount) {
    throw placementError(`The PDF has ${pageCount} page(s); there is no page ${String(wanted)}.`);
  }
  const pageSpace = pageBox(pageNumber - 1);
  const rotation = normalisedRotation(pageSpace.rotation);
  const turned = rotation === 90 || rotation === 270;
  // The page as the reader sees it: unturned, its own box; turned, its lower-left corner as shown at 0, 0.
  const box: PageBox = rotation === 0 ? pageSpace : { x: 0, y: 0, width: turned ? pageSpace.height : pageSpace.width, height: turned ? pageSpace.width : pageSpace.height };
  const size = `${Math.round(box.width)} × ${Math.round(box.height)} pt`;
  let rect: [number, number, number, number];
  if (visible.rect) {
    if (!visible.rect.every(Number.isFinite)) throw placementError('The signature box has coordinates that are not numbers.');
    const [a, b, c, d] = visible.rect;
    rect = [Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)];
  } else if (visible.corner) {
    const { width, height, margin } = CORNER_BOX;
    if (box.width < width + 2 * margin || box.height < height + 2 * margin) throw placementError(`Page ${pageNumber} (${size}) is too small for the signature box (${width} × ${height} pt).`);
    const left = visible.corner.endsWith('left') ? box.x + margin : box.x + box.width - margin - width;
    const bottom = visible.corner.startsWith('bottom') ? box.y + margin : box.y + box.height - margin - height;
    rect = [left, bottom, left + width, bottom + height];
  } else {
    throw placementError('A visible signature needs a box (page,x,y,w,h) or a corner.');
  }
  const [x1, y1, x2, y2] = rect;
  if (x2 - x1 < MIN_BOX.width || y2 - y1 < MIN_BOX.height) {
    throw placementError(`The signature box (${round(x2 - x1)} × ${round(y2 - y1)} pt) is too small: at least ${MIN_BOX.width} × ${MIN_BOX.height} pt.`);
  }
  const tolerance = 0.5;
  if (x1 < box.x - tolerance || y1 < box.y - tolerance || x2 > box.x + box.width + tolerance || y2 > box.y + box.height + tolerance) {
    throw placementError(`The signature box [${rect.map(round).join(' ')}] goes outside page ${pageNumber} (${size}, from ${round(box.x)},${round(box.y)}).`);
  }
  const [a1, b1] = fromViewerSpace(pageSpace, rotation, x1, y1);
  const [a2, b2] = fromViewerSpace(pageSpace, rotation, x2, y2);
  const inPage = [Math.min(a1, a2), Math.min(b1, b2), Math.max(a1, a2), Math.max(b1, b2)].map(round) as [number, number, number, number];
  return { pageIndex: pageNumber - 1, rect: inPage, width: round(x2 - x1), height: round(y2 - y1), rotation };
}

const round = (n: number): number => Math.round(n * 100) / 100;

const LABELS: Record<SignatureLanguage, { signedBy: string; signed: string; date: string }> = {
  ro: { signedBy: 'Semnat digital de', signed: 'Semnat digital', date: 'Data' },
  en: { signedBy: 'Digitally signed by', signed: 'Digitally signed', date: 'Date' },
  ru: { signedBy: 'Подписано электронной подписью:', signed: 'Подписано электронной подписью', date: 'Дата' },
};

/** "Semnat digital de NAME\nData: DD.MM.YYYY HH:mm" in the language asked, in the local time zone with its offset. */
export function defaultVisibleText(name: string | undefined, signingTime: Date, language: SignatureLanguage = 'ro'): string {
  const labels = LABELS[language] ?? LABELS.ro;
  const p = (n: number): string => String(n).padStart(2, '0');
  const offset = -signingTime.getTimezoneOffset();
  const zone = `UTC${offset >= 0 ? '+' : '-'}${p(Math.floor(Math.abs(offset) / 60))}:${p(Math.abs(offset) % 60)}`;
  const date = `${p(signingTime.getDate())}.${p(signingTime.getMonth() + 1)}.${signingTime.getFullYear()} ${p(signingTime.getHours())}:${p(signingTime.getMinutes())} (${zone})`;
  return `${name ? `${labels.signedBy} ${name}` : labels.signed}\n${labels.date}: ${date}`;
}

interface Measure {
  widthOfTextAtSize(text: string, size: number): number;
}

/** Lines of at most `width` points: words wrapped, a word longer than the width cut where it must be. */
export function wrapText(text: string, font: Measure, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= width || !line) line = candidate;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines.flatMap((l) => {
    const parts: string[] = [];
    let rest = l;
    while (font.widthOfTextAtSize(rest, size) > width && rest.length > 1) {
      let cut = rest.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut -= 1;
      parts.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    return [...parts, rest];
  });
}

const PADDING = 4;
const MAX_SIZE = 11;
const MIN_SIZE = 4;
const LEADING = 1.22;

/** The biggest size (MAX_SIZE down to MIN_SIZE) at which the wrapped text fits the box; at the smallest, lines that do not fit end in "…". */
export function layoutText(text: string, font: Measure, width: number, height: number): { size: number; lines: string[] } {
  const innerWidth = width - 2 * PADDING;
  const innerHeight = height - 2 * PADDING;
  const paragraphs = text.split('\n');
  for (let size = MAX_SIZE; size >= MIN_SIZE; size -= 0.5) {
    const lines = paragraphs.flatMap((p) => (p.trim() ? wrapText(p, font, size, innerWidth) : ['']));
    if (lines.length * size * LEADING <= innerHeight) return { size, lines };
  }
  const lines = paragraphs.flatMap((p) => (p.trim() ? wrapText(p, font, MIN_SIZE, innerWidth) : ['']));
  const room = Math.max(1, Math.floor(innerHeight / (MIN_SIZE * LEADING)));
  const kept = lines.slice(0, room);
  let last = kept[room - 1]!;
  while (last.length > 0 && font.widthOfTextAtSize(`${last}…`, MIN_SIZE) > innerWidth) last = last.slice(0, -1);
  kept[room - 1] = `${last}…`;
  return { size: MIN_SIZE, lines: kept };
}

/** Every indirect object `start` leads to, itself included. */
function reachable(document: PDFDocument, start: PDFRef): PDFRef[] {
  const seen = new Map<string, PDFRef>();
  const visit = (object: PDFObject | undefined): void => {
    if (object instanceof PDFRef) {
      if (seen.has(object.toString())) return;
      seen.set(object.toString(), object);
      visit(document.context.lookup(object));
    } else if (object instanceof PDFDict) {
      for (const [, value] of object.entries()) visit(value);
    } else if (object instanceof PDFArray) {
      for (let i = 0; i < object.size(); i++) visit(object.get(i));
    } else if (object instanceof PDFStream) {
      visit(object.dict);
    }
  };
  visit(start);
  return [...seen.values()];
}

/** Replaces the references inside an object by the new numbers. */
function renumber(object: PDFObject, numbers: Map<string, number>): void {
  const mapped = (value: PDFObject): PDFObject => {
    if (value instanceof PDFRef) return PDFRef.of(numbers.get(value.toString())!);
    renumber(value, numbers);
    return value;
  };
  if (object instanceof PDFDict) for (const [key, value] of object.entries()) object.set(key, mapped(value));
  else if (object instanceof PDFArray) for (let i = 0; i < object.size(); i++) object.set(i, mapped(object.get(i)));
  else if (object instanceof PDFStream) renumber(object.dict, numbers);
}

/** The appearance's /Matrix on a page turned clockwise by the key: the same turn counter-clockwise. */
const APPEARANCE_TURN: Record<number, number[]> = { 0: [1, 0, 0, 1, 0, 0], 90: [0, 1, -1, 0, 0, 0], 180: [-1, 0, 0, -1, 0, 0], 270: [0, -1, 1, 0, 0, 0] };

/**
 * The appearance (a form XObject) of a `width` × `height` box (as the reader sees it): a light background, a border, the text
 * wrapped and sized to fit, in the given TrueType font embedded as a subset. Objects are numbered with
 * `allocate`; the result names the appearance stream's number for the widget's /AP.
 */
export async function buildVisibleAppearance(input: {
  width: number;
  height: number;
  text: string;
  font: Uint8Array;
  allocate: () => number;
  /** The page's rotation: the appearance is turned back by as much, so that it reads upright on the page as shown. */
  rotation?: number;
}): Promise<{ appearanceNumber: number; updates: PdfObjectUpdate[] }> {
  const { width, height } = input;
  const scratch = await PDFDocument.create({ updateMetadata: false });
  scratch.registerFontkit(await loadFontkit());
  let font: PDFFont;
  try {
    font = await scratch.embedFont(input.font, { subset: true });
  } catch (error) {
    throw new CasTokenError('INTERNAL_ERROR', `The signature font could not be read (${error instanceof Error ? error.message : String(error)}).`);
  }
  const { size, lines } = layoutText(input.text, font, width, height);
  const ascent = size * 0.93;
  // The block of lines centred vertically in the box.
  const top = height - PADDING - Math.max(0, (height - 2 * PADDING - lines.length * size * LEADING) / 2);
  const text = lines
    .map((line, i) => (line ? `1 0 0 1 ${PADDING} ${(top - ascent - i * size * LEADING).toFixed(2)} Tm ${font.encodeText(line).toString()} Tj` : ''))
    .filter(Boolean)
    .join('\n');
  const content = `q 0.96 0.97 1 rg 0 0 ${width} ${height} re f 0.2 0.3 0.6 RG 1 w 0.5 0.5 ${width - 1} ${height - 1} re S Q\nq 0 0 ${width} ${height} re W n\nBT /F1 ${size} Tf 0.1 0.1 0.2 rg\n${text}\nET Q`;
  await font.embed();
  const stream = scratch.context.flateStream(content, {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, width, height],
    // Counter-clockwise by the page's rotation (a viewer fits the turned box to the widget's /Rect).
    ...(input.rotation ? { Matrix: APPEARANCE_TURN[normalisedRotation(input.rotation)] } : {}),
    Resources: { Font: { F1: font.ref } },
  });
  const streamRef = scratch.context.register(stream);
  const refs = reachable(scratch, streamRef);
  const numbers = new Map(refs.map((ref) => [ref.toString(), input.allocate()]));
  const updates = refs.map((ref): PdfObjectUpdate => {
    const object = scratch.context.lookup(ref)!;
    renumber(object, numbers);
    const body = new Uint8Array(object.sizeInBytes());
    object.copyBytesInto(body, 0);
    return { objectNumber: numbers.get(ref.toString())!, body };
  });
  return { appearanceNumber: numbers.get(streamRef.toString())!, updates };
}
