import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { quotedSchema } from './identifiers';

export interface Migration {
  readonly version: number;
  readonly name: string;
  /** The file as written, with the `{{schema}}` placeholder. */
  readonly template: string;
  /** Of the template: an applied migration must never change under a database that ran it. */
  readonly checksum: string;
}

const FILE_NAME = /^(\d{3})_([a-z0-9_]+)\.sql$/;

/** The migration files next to this module, in version order. */
export function loadMigrations(directory: string = __dirname): Migration[] {
  return readdirSync(directory)
    .map((file) => ({ file, match: FILE_NAME.exec(file) }))
    .filter((entry): entry is { file: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ file, match }) => {
      const template = readFileSync(join(directory, file), 'utf8');
      return {
        version: Number(match[1]),
        name: match[2] ?? file,
        template,
        checksum: createHash('sha256').update(template).digest('hex'),
      };
    })
    .sort((a, b) => a.version - b.version);
}

export function renderMigration(migration: Migration, schema: string): string {
  return migration.template.replaceAll('{{schema}}', quotedSchema(schema));
}
