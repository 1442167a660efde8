/** Makes a page (or any element) a drop target for files dragged from a file manager: the browser does not open them, `onFiles` gets them. */
export function fileDropTarget(onFiles: (files: FileList | undefined) => void): { onDragOver: (event: DragEvent) => void; onDrop: (event: DragEvent) => void } {
  return {
    onDragOver: (event) => event.preventDefault(),
    onDrop: (event) => {
      event.preventDefault();
      onFiles(event.dataTransfer?.files);
    },
  };
}
