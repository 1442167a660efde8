/**
 * The first page of a PDF drawn by pdf.js (Mozilla's renderer, bundled into the extension: the page's
 * own renderer is never trusted to show what is signed). Loaded only when a PIN window previews a PDF.
 */
import { getDocument, GlobalWorkerOptions } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = workerUrl;

/** Draws page 1 of `data` into `canvas`, `width` CSS pixels wide; resolves the number of pages. */
export async function renderFirstPage(data: Uint8Array, canvas: HTMLCanvasElement, width: number): Promise<number> {
  // pdf.js takes the buffer over (transfers it to its worker): give it a copy.
  const task = getDocument({ data: data.slice(), isEvalSupported: false, enableXfa: false, stopAtErrors: false });
  const pdf = await task.promise;
  try {
    const page = await pdf.getPage(1);
    const natural = page.getViewport({ scale: 1 });
    const ratio = globalThis.devicePixelRatio || 1;
    const viewport = page.getViewport({ scale: (width / natural.width) * ratio });
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
    canvas.style.height = `${Math.floor(viewport.height / ratio)}px`;
    await page.render({ canvas, canvasContext: canvas.getContext('2d')!, viewport }).promise;
    return pdf.numPages;
  } finally {
    await pdf.destroy();
  }
}
