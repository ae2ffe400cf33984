// Models from the ORMs real codebases use (SQLModel through a base, GORM, EF Core), and one entity
// declared in several places (an ORM class and its migration, several SQL dialects) listed once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { entityKey, mergeModels, modelsIn } from '../../../shared/tools/architecture/models.js';
import { analyze, facts, writeTree } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function sample(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'models-'));
  dirs.push(dir);
  return writeTree(dir, files);
}
const lines = (...text: string[]) => `${text.join('\n')}\n`;
const names = (path: string, text: string) => modelsIn(path, text).map((m) => `${m.kind} ${m.name} :${m.line}`);

describe('ORMs', () => {
  it('SQLModel: tables through a base of the project, not the base or the API schemas', () => {
    const py = lines(
      'from sqlmodel import Field, SQLModel',
      'class UserBase(SQLModel):',
      '    email: str',
      'class User(UserBase, table=True):',
      '    id: int | None = Field(default=None, primary_key=True)',
      'class UserPublic(UserBase):',
      '    id: int',
      'class Item(ItemBase, table=True):',
      '    __tablename__ = "items"',
    );
    expect(names('backend/app/models.py', py)).toEqual(['sqlmodel User :4', 'sqlmodel Item :8']);
  });

  it('GORM: structs embedding gorm.Model or with gorm tags, and AutoMigrate over several lines', () => {
    const go = lines(
      'package models',
      'import "gorm.io/gorm"',
      'type User struct {',
      '\tgorm.Model',
      '\tName string',
      '}',
      'type ArticleModel struct {',
      '\tID    uint   `gorm:"primary_key"`',
      '\tSlug  string `gorm:"unique_index"`',
      '}',
      'type Plain struct {',
      '\tName string `json:"name"`',
      '}',
      'func Migrate(db *gorm.DB) {',
      '\tdb.AutoMigrate(&User{}, &ArticleModel{})',
      '\tdb.AutoMigrate(',
      '\t\t&tags.TagModel{},',
      '\t)',
      '}',
    );
    expect(names('models/models.go', go)).toEqual(['gorm User :3', 'gorm ArticleModel :7', 'gorm User :15', 'gorm ArticleModel :15', 'gorm TagModel :16']);
  });

  it('EF Core: DbSet<T> properties of a DbContext and modelBuilder.Entity<T>()', () => {
    const cs = lines(
      'public class ShopContext : DbContext',
      '{',
      '    public DbSet<Order> Orders { get; set; }',
      '    public DbSet<Models.Customer> Customers => Set<Models.Customer>();',
      '    protected override void OnModelCreating(ModelBuilder modelBuilder)',
      '    {',
      '        modelBuilder.Entity<AuditEntry>().ToTable("audit");',
      '    }',
      '}',
    );
    expect(names('Data/ShopContext.cs', cs)).toEqual(['ef-core Order :3', 'ef-core Customer :4', 'ef-core AuditEntry :7']);
    expect(names('Services/Mailer.cs', 'public class Mailer {}\n')).toEqual([]);
    const configuration = lines('class OrderEntityTypeConfiguration : IEntityTypeConfiguration<Order>', '{', '    public void Configure(EntityTypeBuilder<Order> builder)', '    {', '        builder.ToTable("orders");', '    }', '}');
    expect(names('EntityConfigurations/OrderEntityTypeConfiguration.cs', configuration)).toEqual(['ef-core Order :1']);
    expect(mergeModels([...modelsIn('Data/ShopContext.cs', cs), ...modelsIn('EntityConfigurations/OrderEntityTypeConfiguration.cs', configuration)]).find((m) => m.name === 'Order')?.sources?.length).toBe(2);
  });
});

describe('one entity, one model', () => {
  it('migrations written in Python: Alembic op.create_table and Django CreateModel, merged with their models', () => {
    const alembic = lines('from alembic import op', 'def upgrade():', '    op.create_table(', '        "user",', '        sa.Column("id", sa.Integer()),', '    )');
    const migration = lines('from django.db import migrations', 'class Migration(migrations.Migration):', '    operations = [', '        migrations.CreateModel(', "            name='Order',", '        ),', "        migrations.CreateModel(name='Line', fields=[]),", '    ]');
    expect(names('app/alembic/versions/e2412789c190_init.py', alembic)).toEqual(['alembic-table user :3']);
    expect(names('shop/migrations/0001_initial.py', migration)).toEqual(['django-migration Order :4', 'django-migration Line :7']);
    const merged = mergeModels([...modelsIn('app/alembic/versions/e2412789c190_init.py', alembic), ...modelsIn('app/models.py', lines('from sqlmodel import SQLModel', 'class User(SQLModel, table=True):', '    id: int'))]);
    expect(merged.map((m) => `${m.kind} ${m.name} ${m.file}:${m.line} ${m.sources?.length}`)).toEqual(['sqlmodel User app/models.py:2 2']);
  });

  it('the key: schema, case, plural and ORM suffixes', () => {
    expect(['public.users', 'User', 'UserModel', '"Users"', 'categories', 'Category', 'addresses', 'Address', 'status', 'boxes'].map(entityKey)).toEqual([
      'user',
      'user',
      'user',
      'user',
      'category',
      'category',
      'address',
      'address',
      'status',
      'box',
    ]);
  });

  it('an ORM class and its tables in three SQL dialects are one model listing every source; the ORM class is its place', () => {
    const merged = mergeModels([
      { name: 'users', kind: 'sql-table', file: 'migrations/mysql/001.sql', line: 1 },
      { name: 'User', kind: 'gorm', file: 'models/user.go', line: 3 },
      { name: 'public.users', kind: 'sql-table', file: 'migrations/postgres/001.sql', line: 2 },
      { name: 'users', kind: 'sql-table', file: 'migrations/sqlite/001.sql', line: 1 },
      { name: 'Tag', kind: 'gorm', file: 'models/tag.go', line: 1 },
    ]);
    expect(merged).toEqual([
      {
        name: 'User',
        kind: 'gorm',
        file: 'models/user.go',
        line: 3,
        sources: [
          { name: 'users', kind: 'sql-table', file: 'migrations/mysql/001.sql', line: 1 },
          { name: 'public.users', kind: 'sql-table', file: 'migrations/postgres/001.sql', line: 2 },
          { name: 'users', kind: 'sql-table', file: 'migrations/sqlite/001.sql', line: 1 },
          { name: 'User', kind: 'gorm', file: 'models/user.go', line: 3 },
        ],
      },
      { name: 'Tag', kind: 'gorm', file: 'models/tag.go', line: 1 },
    ]);
  });

  it('the table an ORM declares joins its SQL: @Table(name=), @Entity(\'name\'), __tablename__', () => {
    const models = [
      ...modelsIn('src/main/java/PetType.java', lines('import jakarta.persistence.*;', '@Entity', '@Table(name = "types")', 'public class PetType {}')),
      ...modelsIn('src/user.entity.ts', lines("import { Entity } from 'typeorm';", "@Entity('accounts')", 'export class User {}')),
      ...modelsIn('app/models.py', lines('from sqlalchemy.orm import DeclarativeBase', 'class Hero(Base):', '    __tablename__ = "heroes_v2"')),
      ...modelsIn('store/models.go', lines('package store', 'import "gorm.io/gorm"', 'type Tag struct {', '\tgorm.Model', '}', 'func (Tag) TableName() string { return "labels" }')),
      ...modelsIn('db/schema.sql', lines('CREATE TABLE types (id int);', 'CREATE TABLE accounts (id int);', 'CREATE TABLE heroes_v2 (id int);', 'CREATE TABLE users (id int);', 'CREATE TABLE labels (id int);')),
    ];
    expect(mergeModels(models).map((m) => `${m.kind} ${m.name} ${(m.sources ?? []).map((x) => x.name).join('+')}`)).toEqual([
      'jpa PetType types+PetType',
      'typeorm User accounts+users+User',
      'sqlalchemy Hero Hero+heroes_v2',
      'gorm Tag labels+Tag',
    ]);
    // The table is what merges, not a field of the report.
    expect(Object.keys(mergeModels(models)[0]!)).toEqual(['name', 'kind', 'file', 'line', 'sources']);
  });

  it('end to end: SQLModel, migration SQL and a GORM service in one repository; the text names the other sources', () => {
    const dir = sample({
      'backend/app/models.py': lines('from sqlmodel import SQLModel', 'class ItemBase(SQLModel):', '    title: str', 'class Item(ItemBase, table=True):', '    id: int'),
      'backend/app/alembic/versions/001_init.sql': 'CREATE TABLE item (id serial primary key);\n',
      'db/mysql.sql': 'CREATE TABLE `item` (id int);\n',
      'api/main.go': lines('package main', 'import "gorm.io/gorm"', 'func migrate(db *gorm.DB) {', '\tdb.AutoMigrate(&Comment{})', '}'),
    });
    const f = facts(dir);
    expect(f.models.map((m: { name: string; kind: string; file: string; line: number; sources?: unknown[] }) => `${m.kind} ${m.name} ${m.file}:${m.line} ${m.sources?.length ?? 1}`)).toEqual([
      'gorm Comment api/main.go:4 1',
      'sqlmodel Item backend/app/models.py:4 3',
    ]);
    expect(analyze([], dir).stdout).toMatch(/Item +sqlmodel +backend\/app\/models\.py:4 \(also: backend\/app\/alembic\/versions\/001_init\.sql:1, db\/mysql\.sql:1\)/);
  });
});
