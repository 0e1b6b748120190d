// Writes the server's OpenAPI and AsyncAPI documents (as served at /openapi.json and /asyncapi.json) to a folder,
// for `redocly lint` and other tools: `tsx scripts/api-docs.ts [dir]` (default .data/api-docs).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildApp } from '../server/src/app.ts';
import { testConfig } from '../server/src/config.ts';

const dir = path.resolve(process.argv[2] ?? '.data/api-docs');
const app = await buildApp(testConfig({ DATABASE_URL: 'memory://' }), { clientDir: null });
try {
  await mkdir(dir, { recursive: true });
  for (const name of ['openapi.json', 'asyncapi.json']) {
    const res = await app.inject({ url: `/${name}` });
    if (res.statusCode !== 200) {
      if (name === 'asyncapi.json' && res.statusCode === 404) continue;
      throw new Error(`/${name} answered ${res.statusCode}`);
    }
    await writeFile(path.join(dir, name), `${JSON.stringify(JSON.parse(res.body), null, 2)}\n`);
    console.log(`wrote ${path.join(dir, name)}`);
  }
} finally {
  await app.close();
}
