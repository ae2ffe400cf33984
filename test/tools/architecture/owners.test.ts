// Models and routes tied to the service that owns them: the compose service whose build context holds
// their file. Files outside every build context, or in one two services share, have no owner.
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../support/tmp.js';
import { analyze, facts, writeTree } from './helpers.js';

const newDir = useTempDir('dp-owners-');

function repository(): string {
  return writeTree(newDir(), {
    'docker-compose.yml': 'services:\n  api:\n    build: ./services/api\n  worker:\n    build:\n      context: ./services/worker\n  db:\n    image: postgres:16\n',
    'services/api/app/models.py': 'from sqlalchemy.orm import DeclarativeBase\nclass Base(DeclarativeBase):\n    pass\nclass Order(Base):\n    __tablename__ = "orders"\n',
    'services/api/app/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/orders")\ndef orders():\n    return []\n',
    'services/worker/index.js': "const express = require('express');\nconst app = express();\napp.get('/health', (req, res) => res.send('ok'));\n",
    'tools/schema.sql': 'CREATE TABLE audit (id int);\n',
  });
}

describe('owners of models and routes', () => {
  it('each model and route in a build context names its service; others name none', () => {
    const dir = repository();
    const result = facts(dir);
    const order = result.models.find((m: { name: string }) => m.name === 'Order');
    const audit = result.models.find((m: { name: string }) => m.name === 'audit');
    expect(order.owner).toBe('api');
    expect(audit.owner).toBeUndefined();
    const owners = Object.fromEntries(result.routes.map((r: { path: string; owner?: string }) => [r.path, r.owner ?? null]));
    expect(owners).toEqual({ '/orders': 'api', '/health': 'worker' });
  });

  it('the text report shows the owner beside the place', () => {
    const run = analyze([], repository(), { NO_COLOR: '1' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Order\s+sqlalchemy\s+services\/api\/app\/models\.py:4 \[api\]/);
    expect(run.stdout).toMatch(/\/health\s+express\s+services\/worker\/index\.js:3 \[worker\]/);
  });
});
