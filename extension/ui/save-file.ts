/** Saves bytes as a download from an extension page. */
export function saveFile(name: string, data: Uint8Array | string, type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob([typeof data === 'string' ? data : (data.slice().buffer as ArrayBuffer)], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
