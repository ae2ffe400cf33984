#!/usr/bin/env node
// npx create-dp-project [directory] --persona <id>: everything happens in generator-dp.
import { runCreate } from 'generator-dp/create';

process.exitCode = await runCreate(process.argv.slice(2));
