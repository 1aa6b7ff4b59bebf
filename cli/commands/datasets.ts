import type { Command } from 'commander';
import { SlotlabError } from '../../models/errors.ts';

function humanBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(2)} MiB`;
}

/** `slotlab datasets [name] [--json] [--files]`: the bundled datasets with sizes (from disk), sources and licences. */
export function registerDatasets(program: Command): void {
  program
    .command('datasets')
    .description('list the bundled datasets: model, instance count, size on disk, source, licence and citation')
    .argument('[name]', 'show one dataset (with its files)')
    .option('--json', 'print the catalog as JSON')
    .option('--files', 'list every instance file')
    .action(async (name: string | undefined, opts: { json?: boolean; files?: boolean }) => {
      const [{ default: Table }, { CATALOG, catalogFigures, findDataset }] = await Promise.all([import('cli-table3'), import('../../datasets/catalog.ts')]);
      let entries = CATALOG;
      if (name !== undefined) {
        const entry = findDataset(name);
        if (!entry) throw new SlotlabError(`no bundled dataset is named "${name}"; known: ${CATALOG.map((d) => d.name).join(', ')}`);
        entries = [entry];
      }
      const figures = catalogFigures(entries);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(figures.map((f) => ({ ...f.entry, instances: f.instances, bytes: f.bytes, groundTruthBytes: f.groundTruthBytes, files: f.files })), null, 2)}\n`);
        return;
      }
      const color = Boolean(process.stdout.isTTY);
      const table = new Table({
        head: ['dataset', 'model', 'format', 'instances', 'size', 'files (under datasets/)', 'licence'],
        style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [], compact: true },
        colWidths: [null, null, null, null, null, null, 38],
        wordWrap: true,
      });
      for (const f of figures) table.push([f.entry.name, f.entry.model, f.entry.format, String(f.instances), humanBytes(f.bytes), f.entry.glob, f.entry.licence]);
      const total = figures.reduce((t, f) => t + f.bytes, 0);
      const count = figures.reduce((t, f) => t + f.instances, 0);
      const lines = [table.toString(), `${count} instances, ${humanBytes(total)} of instance files (ground-truth tables not counted).`, '', 'Sources and citations:'];
      for (const f of figures) {
        lines.push(`  ${f.entry.name}: ${f.entry.description}.`);
        lines.push(`    source: ${f.entry.source}`);
        lines.push(`    cite: ${f.entry.citation}`);
        if (f.entry.needs) lines.push(`    needs: ${f.entry.needs}`);
        if (f.entry.groundTruth.length > 0) lines.push(`    ground truth: ${f.entry.groundTruth.join(', ')} (${humanBytes(f.groundTruthBytes)})`);
        if (opts.files || name !== undefined) for (const file of f.files) lines.push(`    ${file}`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
