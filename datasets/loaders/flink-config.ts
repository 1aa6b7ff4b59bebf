/**
 * Reads a Flink configuration file into flat `key: value` entries (`FlinkConfigEntry`, models/memory), the form
 * `readMemoryOptions` checks. Two formats, told apart by the file name as Flink 1.19/1.20 do (a `config.yaml`
 * in the configuration directory wins; otherwise the legacy `flink-conf.yaml` is read):
 *
 * - `flink-conf.yaml` (Flink up to 1.18, still read by 1.19/1.20): not really YAML but lines `key: value`.
 *   As Flink's legacy reader does: everything after the first `#` is a comment; the line is split at the first
 *   `": "` (colon and space); key and value are trimmed; a line that does not split, or has an empty key or value,
 *   is skipped with a warning (returned in `warnings`, Flink logs them); a later line wins over an earlier one.
 *   Quotes are part of the value.
 * - `config.yaml` (Flink 1.19+) and any other name: standard YAML 1.2. Nested maps are flattened into dotted keys
 *   (`taskmanager: {memory: {process: {size: 1728m}}}` is `taskmanager.memory.process.size`), so nested and flat
 *   spellings mean the same. Scalars are kept as the text written (YAML's failsafe schema), because Flink converts
 *   each option from text. A key written twice (also once nested and once flat) is refused: YAML forbids it.
 *
 * Every entry remembers `file:line`, so that a bad value is reported where it was written.
 */
import { basename } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { InstanceFormatError } from '../../models/errors.ts';
import type { FlinkConfigEntry } from '../../models/memory/flink-config.ts';
import { readTextFile } from './files.ts';

export type FlinkConfigFormat = 'flink-conf.yaml' | 'config.yaml';

export interface FlinkConfigFile {
  readonly file: string;
  readonly format: FlinkConfigFormat;
  /** In file order; a key may repeat in `flink-conf.yaml` (the last one wins, as in Flink). */
  readonly entries: readonly FlinkConfigEntry[];
  /** Lines Flink's legacy reader skips with a warning. */
  readonly warnings: readonly string[];
}

export function readFlinkConfigFile(file: string): FlinkConfigFile {
  return parseFlinkConfig(readTextFile(file), file);
}

export function parseFlinkConfig(text: string, file: string): FlinkConfigFile {
  return basename(file) === 'flink-conf.yaml' ? parseLegacyFlinkConf(text, file) : parseStandardYamlConfig(text, file);
}

/** Flink's legacy `flink-conf.yaml` reader (see the module comment). */
export function parseLegacyFlinkConf(text: string, file: string): FlinkConfigFile {
  const entries: FlinkConfigEntry[] = [];
  const warnings: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const lineNo = index + 1;
    const content = line.split('#', 1)[0]!.trim();
    if (content === '') return;
    const split = content.indexOf(': ');
    if (split < 0) {
      warnings.push(`${file}:${lineNo}: line is not a key-value pair (missing space after ':'?); Flink skips it`);
      return;
    }
    const key = content.slice(0, split).trim();
    const value = content.slice(split + 2).trim();
    if (key === '' || value === '') {
      warnings.push(`${file}:${lineNo}: key or value is empty; Flink skips the line`);
      return;
    }
    entries.push({ key, value, source: `${file}:${lineNo}` });
  });
  return { file, format: 'flink-conf.yaml', entries, warnings };
}

/** Flink 1.19+'s `config.yaml`: standard YAML, nested keys flattened with dots. */
export function parseStandardYamlConfig(text: string, file: string): FlinkConfigFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { schema: 'failsafe', lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const firstError = doc.errors[0];
  if (firstError) {
    const line = firstError.linePos?.[0].line ?? lines.linePos(firstError.pos[0]).line;
    throw new InstanceFormatError(file, `line ${line}`, 'valid YAML (Flink 1.19+ reads config.yaml as standard YAML)', firstError.message.split('\n')[0]);
  }
  const entries: FlinkConfigEntry[] = [];
  const seen = new Map<string, string>();
  const where = (node: Node | null | undefined): string => (node?.range ? `${file}:${lines.linePos(node.range[0]).line}` : file);
  const visit = (node: unknown, prefix: string, keyNode?: Node | null): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const keyText = isScalar(keyNode) ? String(keyNode.value) : '';
        if (keyText === '') throw new InstanceFormatError(where(keyNode), prefix === '' ? 'a key' : `a key under ${prefix}`, 'a plain text key');
        visit(pair.value, prefix === '' ? keyText : `${prefix}.${keyText}`, keyNode);
      }
      return;
    }
    if (prefix === '') {
      if (node === null || node === undefined || (isScalar(node) && String(node.value).trim() === '')) return; // an empty file
      throw new InstanceFormatError(file, 'the document', 'a map of configuration keys to values', isScalar(node) ? String(node.value) : 'a list');
    }
    const value = isSeq(node)
      ? node.items.map((item) => (isScalar(item) ? String(item.value) : String(item))).join(';')
      : isScalar(node)
        ? String(node.value ?? '')
        : '';
    const source = where(isScalar(node) || isSeq(node) ? node : keyNode);
    const earlier = seen.get(prefix);
    if (earlier !== undefined)
      throw new InstanceFormatError(source, prefix, `written once (it is also written at ${earlier}; nested and dotted spellings are the same key)`);
    seen.set(prefix, source);
    entries.push({ key: prefix, value, source });
  };
  visit(doc.contents, '');
  return { file, format: 'config.yaml', entries, warnings: [] };
}
