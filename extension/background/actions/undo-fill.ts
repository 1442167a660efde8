/** Undo: every frame puts back what its fields held before Fill form. */
export async function undoFillAction(tabId: number): Promise<{ restored: number }> {
  const results = await chrome.scripting.executeScript({
    target: { tabId, allFrames: true },
    func: () => (globalThis as unknown as { casTokenFill?: { undo(): number } }).casTokenFill?.undo() ?? 0,
  });
  return { restored: results.reduce((sum, r) => sum + (Number(r.result) || 0), 0) };
}
