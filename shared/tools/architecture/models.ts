// Data models: Prisma models, SQL CREATE TABLE, SQLAlchemy/SQLModel/Django/Active Record classes,
// TypeORM and JPA entities, Mongoose models and schemas, Sequelize definitions, GORM structs and
// AutoMigrate, EF Core DbSet<T>; one entity declared in several places merged (mergeModels). Found by pattern, with
// file:line; what a pattern cannot see (models built in code, other ORMs) is not reported.
import { decoratedBlocks } from './decorated.js';
import { lineAt } from './routes-js.js';
import { isReadableSource, lines } from './source.js';
import type { Model } from './types.js';

/** Whether a file may hold models, by its name (test files excluded: source.ts). */
export function mayHoldModels(path: string): boolean {
  return isReadableSource(path) && /\.(prisma|sql|py|js|mjs|cjs|ts|mts|cts|java|kt|rb|go|cs)$/.test(path);
}

/** A model as a reader finds it, with the table its ORM declares (merged by it, not reported). */
export interface DeclaredModel extends Model {
  table?: string;
}

/** Like byLine, for calls whose arguments run over several lines: the line is the call's. */
function byText(file: string, text: string, pattern: RegExp, kind: string): Model[] {
  const lineOf = lineAt(text);
  return [...text.matchAll(pattern)].map((m) => ({ name: m[1]!, kind, file, line: lineOf(m.index!) }));
}

function byLine(file: string, text: string, pattern: RegExp, kind: string): Model[] {
  return lines(text).flatMap((line, index) => [...line.matchAll(pattern)].map((m) => ({ name: m[1]!, kind, file, line: index + 1 })));
}

/** The `__tablename__` a Python class body sets ('' when set in code); null when it sets none. */
function tableName(all: string[], index: number): string | null {
  for (let j = index + 1; j < all.length && j < index + 40; j += 1) {
    if (/^\S/.test(all[j]!)) break;
    const m = /^\s+__tablename__\s*(?::\s*[\w[\]]+\s*)?=\s*(?:(['"])([\w.]+)\1)?/.exec(all[j]!);
    if (m) return m[2] ?? '';
  }
  return null;
}

function pythonModels(file: string, text: string): DeclaredModel[] {
  const django = /^\s*from\s+django\.db\s+import\s+models\b/m.test(text);
  const sqlmodel = /^\s*(?:from|import)\s+sqlmodel\b/m.test(text);
  const sqlalchemy = /^\s*(?:from|import)\s+(?:flask_)?sqlalchemy\b/m.test(text) || /\bdb\.Model\b/.test(text);
  const models: DeclaredModel[] = [];
  // Migrations written in Python: Alembic `op.create_table('user', ...)`, Django `migrations.CreateModel(name='Order', ...)`.
  if (text.includes('create_table')) models.push(...byText(file, text, /\bop\.create_table\(\s*['"]([\w.]+)['"]/g, 'alembic-table'));
  if (text.includes('CreateModel')) models.push(...byText(file, text, /\bmigrations\.CreateModel\(\s*(?:name\s*=\s*)?['"](\w+)['"]/g, 'django-migration'));
  if (django) models.push(...byLine(file, text, /^class\s+(\w+)\s*\(\s*models\.Model\s*\)/g, 'django'));
  // `class Hero(SQLModel, table=True)` and, through a base of the project, `class User(UserBase, table=True)`.
  if (sqlmodel || /^class\s+\w+\s*\([^)]*\btable\s*=\s*True/m.test(text)) {
    const all = lines(text);
    for (const model of byLine(file, text, /^class\s+(\w+)\s*\([^)]*\btable\s*=\s*True/g, 'sqlmodel')) {
      const table = tableName(all, model.line - 1);
      models.push(table ? { ...model, table } : model);
    }
  }
  if (sqlalchemy) {
    // A class whose body sets __tablename__, or that extends db.Model (Flask-SQLAlchemy).
    const all = lines(text);
    all.forEach((line, index) => {
      const m = /^class\s+(\w+)\s*\(([^)]*)\)\s*:/.exec(line);
      if (!m || /\bDeclarativeBase\b|\bdeclarative_base\b|\btable\s*=\s*True/.test(m[2]!)) return;
      const table = tableName(all, index);
      if (table !== null || /\bdb\.Model\b/.test(m[2]!)) models.push({ name: m[1]!, kind: 'sqlalchemy', file, line: index + 1, ...(table ? { table } : {}) });
    });
  }
  return models;
}

function entityModels(file: string, text: string, kind: string): DeclaredModel[] {
  const models: DeclaredModel[] = [];
  for (const block of decoratedBlocks(text)) {
    if (!block.isClass || !block.annotations.some((a) => a.name === 'Entity' || a.name.endsWith('.Entity'))) continue;
    const declaration = lines(text)[block.line - 1] ?? '';
    const name = /\b(?:class|interface)\s+(\w+)/.exec(declaration)?.[1];
    // `@Table(name = "types")` (JPA), `@Entity('users')` or `@Entity({ name: 'users' })` (TypeORM).
    const named = block.annotations.find((a) => a.name === 'Table' || a.name.endsWith('.Table'))?.args ?? block.annotations.find((a) => a.name === 'Entity' || a.name.endsWith('.Entity'))?.args ?? '';
    const table = /^\s*['"]([\w.]+)['"]|\bname\s*[=:]\s*['"]([\w.]+)['"]/.exec(named);
    if (name) models.push({ name, kind, file, line: block.line, ...(table ? { table: table[1] ?? table[2]! } : {}) });
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

/** GORM: structs embedding `gorm.Model` or with `gorm:"..."` tags, and the types handed to `AutoMigrate(&User{}, ...)`. */
function goModels(file: string, text: string): DeclaredModel[] {
  if (!/"gorm\.io\/gorm"|"github\.com\/jinzhu\/gorm"|\bgorm\.Model\b|`[^`]*\bgorm:"/.test(text)) return [];
  // `func (UserModel) TableName() string { return "users" }`
  const tables = new Map([...text.matchAll(/func\s*\(\s*(?:\w+\s+)?\*?(\w+)\s*\)\s*TableName\(\)\s*string\s*\{\s*return\s*"([\w.]+)"/g)].map((m) => [m[1]!, m[2]!]));
  const models: DeclaredModel[] = [];
  const all = lines(text);
  all.forEach((line, index) => {
    const struct = /^type\s+(\w+)\s+struct\s*\{/.exec(line);
    if (struct) {
      for (let j = index + 1; j < all.length && j < index + 80 && !/^\}/.test(all[j]!); j += 1) {
        if (/^\s*gorm\.Model\b/.test(all[j]!) || /`[^`]*\bgorm:"/.test(all[j]!)) {
          const table = tables.get(struct[1]!);
          models.push({ name: struct[1]!, kind: 'gorm', file, line: index + 1, ...(table ? { table } : {}) });
          break;
        }
      }
    }
    const migrate = /\bAutoMigrate\(([^)]*)\)?/.exec(line);
    if (migrate) {
      // The arguments may run over the following lines.
      let args = migrate[1]!;
      for (let j = index + 1; !line.includes(')') && j < all.length && j < index + 30 && !args.includes(')'); j += 1) args += all[j]!;
      for (const m of args.matchAll(/&(?:\w+\.)?(\w+)\s*\{\s*\}/g)) models.push({ name: m[1]!, kind: 'gorm', file, line: index + 1 });
    }
  });
  return models;
}

/** EF Core: `DbSet<Order>` properties of a DbContext (and `modelBuilder.Entity<Order>()`). */
function efCoreModels(file: string, text: string): DeclaredModel[] {
  if (!/\bDbSet<|\bDbContext\b|\bIEntityTypeConfiguration</.test(text)) return [];
  // `class OrderConfiguration : IEntityTypeConfiguration<Order>` with `builder.ToTable("orders")`.
  const table = /\.ToTable\(\s*"([\w.]+)"/.exec(text)?.[1];
  const configured = byLine(file, text, /\bIEntityTypeConfiguration<\s*(?:[\w.]+\.)?(\w+)\s*>/g, 'ef-core');
  return [
    ...byLine(file, text, /\bDbSet<\s*(?:[\w.]+\.)?(\w+)\s*>/g, 'ef-core'),
    ...byLine(file, text, /\bmodelBuilder\.Entity<\s*(?:[\w.]+\.)?(\w+)\s*>/g, 'ef-core'),
    ...configured.map((m) => (table && configured.length === 1 ? { ...m, table } : m)),
  ];
}

/** `public.users`, `Users`, `UserModel`, `user_entity` -> `user`: the key under which one entity's declarations are merged. */
export function entityKey(name: string): string {
  let key = name.split('.').pop()!.toLowerCase().replace(/[^a-z0-9]/g, '');
  key = key.replace(/(model|entity|record|table|schema)$/, '') || key;
  if (/ies$/.test(key)) key = `${key.slice(0, -3)}y`;
  else if (/(ss|us|is)$/.test(key)) return key;
  else if (/(ches|shes|sses|xes)$/.test(key)) key = key.slice(0, -2);
  else if (/s$/.test(key)) key = key.slice(0, -1);
  return key;
}

/** Kinds ranked for the merged model's own file:line: an ORM class before a reference or migration SQL. */
const RANK: Record<string, number> = { 'sql-table': 3, 'alembic-table': 3, 'django-migration': 3, 'mongoose-schema': 2 };

/**
 * One model per entity: declarations with the same key (an ORM class and its migration's CREATE
 * TABLE, the same table in several SQL dialects, a GORM struct and its AutoMigrate) merged, in
 * file:line order, all of them in `sources`. The merged model is named and placed after its most
 * telling declaration (an ORM class rather than SQL, a model rather than its schema).
 */
export function mergeModels(declared: readonly DeclaredModel[]): Model[] {
  // Groups joined by any key they share: the name's, and the declared table's (`PetType` with `@Table(name = "types")` and `CREATE TABLE types`).
  const groupOf = new Map<string, Model[]>();
  const groups: Model[][] = [];
  for (const { table, ...model } of declared) {
    const keys = [entityKey(model.name), ...(table ? [entityKey(table)] : [])];
    const found = [...new Set(keys.map((k) => groupOf.get(k)).filter((g): g is Model[] => g !== undefined))];
    const group = found[0] ?? [];
    if (!found.length) groups.push(group);
    for (const other of found.slice(1)) {
      group.push(...other.splice(0));
      for (const [k, g] of groupOf) if (g === other) groupOf.set(k, group);
    }
    group.push(model);
    for (const key of keys) groupOf.set(key, group);
  }
  const merged: Model[] = [];
  for (const group of groups) {
    if (group.length === 0) continue;
    const unique = group.filter((m, i) => !group.slice(0, i).some((n) => n.file === m.file && n.line === m.line && n.name === m.name));
    if (unique.length === 1) {
      merged.push(unique[0]!);
      continue;
    }
    const sorted = [...unique].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
    const primary = [...sorted].sort((a, b) => (RANK[a.kind] ?? 0) - (RANK[b.kind] ?? 0))[0]!;
    merged.push({ ...primary, sources: sorted.map(({ name, kind, file, line }) => ({ name, kind, file, line })) });
  }
  return merged;
}

export function modelsIn(path: string, text: string): DeclaredModel[] {
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
  if (path.endsWith('.go')) return goModels(path, text);
  if (path.endsWith('.cs')) return efCoreModels(path, text);
  if (path.endsWith('.rb')) return byLine(path, text, /^\s*class\s+(\w+)\s*<\s*(?:ApplicationRecord|ActiveRecord::Base)\b/g, 'active-record');
  return javascriptModels(path, text);
}
