/**
 * Files from a drop, with their relative paths: a dropped folder is walked recursively through the
 * File System Entries API (webkitGetAsEntry), so `set/cat/1.png` keeps its folder names; plain dropped files
 * keep their names.
 */
export async function filesFromDrop(dt: DataTransfer): Promise<{ files: File[]; paths: string[] }> {
  const files: File[] = [];
  const paths: string[] = [];
  const entries = Array.from(dt.items ?? [])
    .map((it) => (typeof it.webkitGetAsEntry === 'function' ? it.webkitGetAsEntry() : null))
    .filter((e): e is FileSystemEntry => e !== null);
  if (entries.length === 0) {
    for (const f of Array.from(dt.files)) {
      files.push(f);
      paths.push(f.webkitRelativePath || f.name);
    }
    return { files, paths };
  }
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
      files.push(file);
      paths.push(`${prefix}${entry.name}`);
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
        if (batch.length === 0) break;
        for (const e of batch) await walk(e, `${prefix}${entry.name}/`);
      }
    }
  };
  for (const e of entries) await walk(e, '');
  return { files, paths };
}
