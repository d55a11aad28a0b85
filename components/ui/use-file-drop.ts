'use client';

import { useState, type DragEvent } from 'react';

/**
 * Drop-zone behaviour: highlight while files are dragged over, hand the dropped files to `onFiles`.
 * Spread `props` on the drop zone and use `className` for the highlight.
 */
export function useFileDrop(onFiles: (files: File[]) => void) {
  const [dragging, setDragging] = useState(false);
  return {
    dragging,
    className: dragging ? 'border-sky-500 bg-accent-soft' : 'border-border-strong',
    props: {
      onDragOver: (e: DragEvent) => {
        e.preventDefault();
        setDragging(true);
      },
      onDragLeave: () => setDragging(false),
      onDrop: (e: DragEvent) => {
        e.preventDefault();
        setDragging(false);
        const files = Array.from(e.dataTransfer.files);
        if (files.length) onFiles(files);
      },
    },
  };
}
