// Data models: Prisma models, SQL CREATE TABLE, SQLAlchemy/SQLModel/Django/Active Record classes,
// TypeORM and JPA entities, Mongoose models and schemas, Sequelize definitions. Found by pattern, with
// file:line; what a pattern cannot see (models built in code, other ORMs) is not reported.
import { decoratedBlocks } from './decorated.js';
import { isReadableSource, lines } from './source.js';
import type { Model } from './types.js';

/** Whether a file may hold models, by its name (test files excluded: source.ts). */
export function mayHoldModels(path: string): boolean {
  return isReadableSource(path) && /\.(prisma|sql|py|js|mjs|cjs|ts|mts|cts|java|kt|rb)$/.test(path);
}

function byLine(file: string, text: string, pattern: RegExp, kind: string): Model[] {
  return lines(text).flatMap((line, index) => [...line.matchAll(pattern)].map((m) => ({ name: m[1]!, kind, file, line: index + 1 })));
}

function pythonModels(file: string, text: string): Model[] {
  const django = /^\s*from\s+django\.db\s+import\s+models\b/m.test(text);
  const sqlmodel = /^\s*(?:from|import)\s+sqlmodel\b/m.test(text);
  const sqlalchemy = /^\s*(?:from|import)\s+(?:flask_)?sqlalchemy\b/m.test(text) || /\bdb\.Model\b/.test(text);
  const models: Model[] = [];
  if (django) models.push(...byLine(file, text, /^class\s+(\w+)\s*\(\s*models\.Model\s*\)/g, 'django'));
  if (sqlmodel) models.push(...byLine(file, text, /^class\s+(\w+)\s*\(\s*SQLModel\s*,[^)]*\btable\s*=\s*True/g, 'sqlmodel'));
  if (sqlalchemy) {
    // A class whose body sets __tablename__, or that extends db.Model (Flask-SQLAlchemy).
    const all = lines(text);
    all.forEach((line, index) => {
      const m = /^class\s+(\w+)\s*\(([^)]*)\)\s*:/.exec(line);
      if (!m || /\bDeclarativeBase\b|\bdeclarative_base\b/.test(m[2]!)) return;
      let tablename = false;
      for (let j = index + 1; j < all.length && j < index + 40; j += 1) {
        if (/^\S/.test(all[j]!)) break;
        if (/^\s+__tablename__\s*=/.test(all[j]!)) tablename = true;
      }
      if (tablename || /\bdb\.Model\b/.test(m[2]!)) models.push({ name: m[1]!, kind: 'sqlalchemy', file, line: index + 1 });
    });
  }
  return models;
}

function entityModels(file: string, text: string, kind: string): Model[] {
  const models: Model[] = [];
  for (const block of decoratedBlocks(text)) {
    if (!block.isClass || !block.annotations.some((a) => a.name === 'Entity' || a.name.endsWith('.Entity'))) continue;
    const declaration = lines(text)[block.line - 1] ?? '';
    const name = /\b(?:class|interface)\s+(\w+)/.exec(declaration)?.[1];
    if (name) models.push({ name, kind, file, line: block.line });
  }
  return models;
}

function javascriptModels(file: string, text: string): Model[] {
  const models: Model[] = [];
  if (/['"]typeorm['"]/.test(text)) models.push(...entityModels(file, text, 'typeorm'));
  if (/['"]mongoose['"]/.test(text)) {
    models.push(...byLine(file, text, /\bmodel\s*(?:<[^>]*>)?\(\s*['"]([\w-]+)['"]/g, 'mongoose-model'));
    models.push(...byLine(file, text, /\b(?:const|let|var)\s+(\w+)\s*=\s*new\s+(?:mongoose\.)?Schema\b/g, 'mongoose-schema'));
  }
  if (/['"]sequelize['"]/.test(text)) {
    models.push(...byLine(file, text, /\.define\(\s*['"](\w+)['"]/g, 'sequelize'));
    models.push(...byLine(file, text, /^\s*(?:export\s+)?class\s+(\w+)\s+extends\s+Model\b/g, 'sequelize'));
  }
  return models;
}

export function modelsIn(path: string, text: string): Model[] {
  if (!mayHoldModels(path)) return [];
  if (path.endsWith('.prisma')) return byLine(path, text, /^\s*model\s+(\w+)\s*\{/g, 'prisma');
  if (path.endsWith('.sql')) {
    return byLine(path, text, /\bcreate\s+(?:or\s+replace\s+)?(?:(?:global\s+|local\s+)?(?:temporary|temp)\s+|unlogged\s+)?table\s+(?:if\s+not\s+exists\s+)?((?:[`"[]?[\w$]+[`"\]]?\.)?[`"[]?[\w$]+[`"\]]?)/gi, 'sql-table').map((m) => ({
      ...m,
      name: m.name.replace(/[`"[\]]/g, ''),
    }));
  }
  if (path.endsWith('.py')) return pythonModels(path, text);
  if (/\.(java|kt)$/.test(path)) return /\b(javax|jakarta)\.persistence\b/.test(text) ? entityModels(path, text, 'jpa') : [];
  if (path.endsWith('.rb')) return byLine(path, text, /^\s*class\s+(\w+)\s*<\s*(?:ApplicationRecord|ActiveRecord::Base)\b/g, 'active-record');
  return javascriptModels(path, text);
}
