import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * A small glob for suite files (Node 20 has no fs.glob): `*` and `?` within one path segment, `**` for any number
 * of folders, `[abc]` / `[0-9]` character classes and `{a,b}` alternatives. Paths use `/`.
 */
export function hasGlobMagic(pattern: string): boolean {
  return /[*?[\]{}]/.test(pattern);
}

export function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        // `**/` matches zero or more folders; a trailing `**` matches everything below.
        if (pattern[i + 2] === '/') {
          out += '(?:[^/]+/)*';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) out += '\\[';
      else {
        const body = pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = end;
      }
    } else if (c === '{') {
      const end = pattern.indexOf('}', i + 1);
      if (end === -1) out += '\\{';
      else {
        out += '(?:' + pattern.slice(i + 1, end).split(',').map((alt) => globToRegExp(alt).source.slice(1, -1)).join('|') + ')';
        i = end;
      }
    } else out += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else if (entry.isFile()) out.push(path);
  }
}

/**
 * Files under `base` matching `pattern` (relative to `base`, or absolute), sorted. A pattern without magic
 * returns that one path when it is a file, else nothing.
 */
export function expandGlob(pattern: string, base: string): string[] {
  const absolute = pattern.startsWith('/');
  const full = absolute ? pattern : join(base, pattern).split(sep).join('/');
  if (!hasGlobMagic(pattern)) return existsSync(full) && statSync(full).isFile() ? [full] : [];
  const segments = full.split('/');
  const firstMagic = segments.findIndex((s) => hasGlobMagic(s));
  const root = segments.slice(0, firstMagic).join('/') || '/';
  if (!existsSync(root) || !statSync(root).isDirectory()) return [];
  const re = globToRegExp(segments.slice(firstMagic).join('/'));
  const files: string[] = [];
  walk(root, files);
  return files.filter((f) => re.test(relative(root, f).split(sep).join('/'))).sort();
}
