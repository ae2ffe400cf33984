// Validation against the Claude Code settings schema in ../shared/schemas (SchemaStore copy).
import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { hasShared, settingsSchemaPath } from './shared-fixtures.js';

let validate: ((data: unknown) => boolean) & { errors?: unknown } | undefined;

/** Errors of a settings object against the schema (empty = valid). Callers gate on `hasShared`. */
export function settingsSchemaErrors(settings: unknown): string[] {
  if (!hasShared) throw new Error('the settings schema needs ../shared (gate the test with hasShared)');
  if (!validate) {
    // strict: false — the schema carries SchemaStore's non-standard allowTrailingCommas keyword.
    const ajv = new Ajv.default({ strict: false, allErrors: true, validateFormats: false });
    validate = ajv.compile(JSON.parse(readFileSync(settingsSchemaPath(), 'utf8')));
  }
  return validate(settings) ? [] : ((validate.errors as Array<{ instancePath: string; message: string }>) ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
