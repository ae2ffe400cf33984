// Tests run the built output (dist/), the files users get: build once before the suite.
// @ts-expect-error build.mjs is plain JavaScript
import { buildAll } from '../build.mjs';

export default async function setup(): Promise<void> {
  await buildAll();
}
