import { detectLeadsFormat, parseLeadsFile } from '@lead-router/shared';

/** Leads read from an uploaded file, with what could not be read. */
export interface LoadedLeads {
  leads: Record<string, unknown>[];
  problems: string[];
}

/**
 * Reads a CSV/JSON/JSONL file of leads, reporting progress while the browser reads it (large files take a
 * moment), then parses it with the shared reader the CLI and server use.
 */
export function readLeadsFile(file: File, onProgress: (fraction: number) => void): Promise<LoadedLeads> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.onload = () => {
      onProgress(1);
      const text = String(reader.result ?? '');
      const parsed = parseLeadsFile(text, detectLeadsFormat(file.name, text));
      resolve({
        leads: parsed.records.filter((r) => typeof r.data === 'object' && r.data !== null).map((r) => ({ id: `row-${r.row}`, ...(r.data as Record<string, unknown>) })),
        problems: parsed.problems.map((p) => (p.row ? `Row ${p.row}: ${p.message}` : p.message)),
      });
    };
    reader.readAsText(file);
  });
}

/** Leads pasted as JSON: one object or an array of them. Throws a message naming what is wrong. */
export function parsePastedLeads(text: string): Record<string, unknown>[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`The pasted text is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const list = Array.isArray(value) ? value : [value];
  list.forEach((l, i) => {
    if (typeof l !== 'object' || l === null || Array.isArray(l)) throw new Error(`Lead ${i + 1} is not a JSON object.`);
  });
  return list as Record<string, unknown>[];
}
