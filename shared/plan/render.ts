// EJS rendering of persona templates. Templates see the persona, the chosen level and the tools.
import ejs from 'ejs';
import { readFileSync } from 'node:fs';
import { DpError } from '../errors.js';

export function renderTemplate(file: string, data: Record<string, unknown>, shownAs: string): string {
  let template: string;
  try {
    template = readFileSync(file, 'utf8');
  } catch {
    throw new DpError(`${shownAs}: template not found`, 'the persona folder is incomplete: reinstall generator-dp, or add the template');
  }
  try {
    return ejs.render(template, data, { filename: file, async: false, strict: false });
  } catch (error) {
    const first = ((error as Error).message.split('\n').find((line) => line.trim() !== '') ?? '').trim();
    throw new DpError(`${shownAs}: template error: ${first}`, 'fix the template and run again');
  }
}
