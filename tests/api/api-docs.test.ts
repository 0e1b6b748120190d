import { Parser } from '@asyncapi/parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishOpenApi } from '../../server/src/http/openapi.ts';
import { json, startTestApp, type TestApp } from '../support/app.ts';

// biome-ignore lint/suspicious/noExplicitAny: the documents are arbitrary JSON.
type Doc = any;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

function operations(doc: Doc) {
  return Object.entries(doc.paths as Record<string, Doc>).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({
      path,
      method,
      op: item[method] as Doc,
      name: `${method} ${path}`,
    })),
  );
}

/**
 * What the route-schema convention in server/src/http/openapi.ts requires of one operation: a list of violations
 * (empty when it follows it).
 */
function conventionViolations(doc: Doc, path: string, method: string, op: Doc): string[] {
  const problems: string[] = [];
  const statuses = Object.keys(op.responses ?? {});
  const has = (status: number) => statuses.includes(String(status));
  const needs = (status: number, why: string) => {
    if (!has(status)) problems.push(`no ${status} (${why}): add it with errorResponses(...)`);
  };
  if (!/^[a-z][A-Za-z0-9]+$/.test(op.operationId ?? '')) problems.push('no camelCase operationId');
  if (!op.summary) problems.push('no summary');
  if (!op.tags?.length) problems.push('no tag');
  const admin = path.startsWith('/api/admin/');
  if (!Array.isArray(op.security)) problems.push('no explicit security (publicRoute or adminRoute)');
  else if (admin && JSON.stringify(op.security) !== '[{"adminToken":[]}]') problems.push('admin route without bearer');
  else if (!admin && op.security.length > 0) problems.push('public route with security');
  for (const [status, response] of Object.entries(op.responses ?? {}) as Array<[string, Doc]>) {
    if (Number(status) >= 400 && !(response.$ref ?? '').startsWith('#/components/responses/'))
      if (!(path.startsWith('/health/') && status === '503'))
        problems.push(`${status} is not a named error response (use errorResponses)`);
    for (const [type, media] of Object.entries(response.content ?? {}) as Array<[string, Doc]>) {
      if (type === 'application/json' && Number(status) < 300 && !media.schema?.$ref)
        problems.push(`${status} body is an anonymous schema (name it in shared/src/schema-names.ts or .meta({id}))`);
    }
  }
  const body = op.requestBody?.content?.['application/json']?.schema;
  if (op.requestBody && !body?.$ref) problems.push('request body is an anonymous schema');
  if ((op.parameters ?? []).some((p: Doc) => p.in === 'path' || p.in === 'query')) needs(400, 'params or query');
  if (op.requestBody) for (const s of [400, 413, 415]) needs(s, 'a body');
  if (path.startsWith('/api/')) needs(503, 'load shedding and store outages');
  if (path.startsWith('/api/') && (method !== 'get' || admin)) needs(429, 'rate limits');
  if (admin) for (const s of [401, 403]) needs(s, 'admin token');
  const ids = operations(doc).filter((o) => o.op.operationId === op.operationId);
  if (ids.length > 1) problems.push(`operationId ${op.operationId} is not unique`);
  return problems;
}

describe('API documents', () => {
  let t: TestApp;
  let openapi: Doc;
  beforeAll(async () => {
    t = await startTestApp('embedded', { ADMIN_TOKEN: 'test-admin-token-0123456789' });
    openapi = json(await t.app.inject({ url: '/openapi.json' }));
  });
  afterAll(() => t?.close());

  it('every route follows the route-schema convention (operationId, summary, security, named schemas, statuses)', () => {
    const ops = operations(openapi);
    expect(ops.length).toBeGreaterThan(25);
    const violations = Object.fromEntries(
      ops.map((o) => [o.name, conventionViolations(openapi, o.path, o.method, o.op)]).filter(([, v]) => v.length > 0),
    );
    expect(violations).toEqual({});
  });

  it('the convention check catches a route that breaks it', () => {
    const op = structuredClone(openapi.paths['/api/schedules/{scheduleId}/holds'].post);
    delete op.operationId;
    delete op.responses['429'];
    op.responses['409'] = { description: 'x', content: { 'application/json': { schema: { type: 'object' } } } };
    op.security = undefined;
    expect(conventionViolations(openapi, '/api/schedules/{scheduleId}/holds', 'post', op)).toEqual([
      'no camelCase operationId',
      'no explicit security (publicRoute or adminRoute)',
      '409 is not a named error response (use errorResponses)',
      'no 429 (rate limits): add it with errorResponses(...)',
    ]);
  });

  it('names every error response, with Retry-After on 429 and 503, and every schema it refers to exists', () => {
    const { responses, schemas } = openapi.components;
    expect(responses.TooManyRequests.headers).toHaveProperty('Retry-After');
    expect(responses.ServiceUnavailable.headers).toHaveProperty('Retry-After');
    expect(responses.BadRequest.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorBody' });
    const refs = [...JSON.stringify(openapi).matchAll(/"#\/components\/(schemas|responses)\/([^"]+)"/g)];
    for (const [, kind, name] of refs) expect(openapi.components[kind!], `${kind}/${name}`).toHaveProperty([name!]);
    // Body schemas keep their plain names (no "Input" suffix) and unused components are dropped.
    expect(schemas).toHaveProperty('CreateHoldBody');
    expect(Object.keys(schemas).filter((n) => n.endsWith('Input'))).toEqual([]);
  });

  it('documents the CSV variant of the reservations list and a 304 on the layout', () => {
    const list = openapi.paths['/api/admin/schedules/{scheduleId}/reservations'].get.responses['200'];
    expect(Object.keys(list.content)).toEqual(['application/json', 'text/csv']);
    expect(list.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/AdminReservationList' });
    expect(openapi.paths['/api/schedules/{scheduleId}/layout'].get.responses).toHaveProperty(['304']);
  });

  it('finishOpenApi renames an input component only when no output takes its name', () => {
    const doc = finishOpenApi({
      paths: {
        '/a': {
          post: {
            requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/FooInput' } } } },
            responses: { 200: { description: 'Default Response' } },
          },
        },
      },
      components: { schemas: { FooInput: { type: 'object' }, Unused: { type: 'string' } } },
    }) as Doc;
    expect(Object.keys(doc.components.schemas)).toEqual(['Foo']);
    expect(doc.paths['/a'].post.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/Foo');
    expect(doc.paths['/a'].post.responses['200'].description).toBe('OK');
  });

  it('serves an AsyncAPI 3 document of the live events that @asyncapi/parser accepts', async () => {
    const res = await t.app.inject({ url: '/asyncapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = json(res);
    expect(doc.asyncapi).toMatch(/^3\./);
    const parser = new Parser();
    const { document, diagnostics } = await parser.parse(res.body);
    // Severity 0 = error, 1 = warning (2 info, 3 hint).
    expect(
      diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.code}: ${d.message} at ${d.path.join('/')}`),
    ).toEqual([]);
    expect(document).toBeDefined();
    const names = document!
      .allMessages()
      .all()
      .map((m) => m.name());
    expect(names).toEqual(
      expect.arrayContaining(['schedule:join', 'schedule:leave', 'seats:changed', 'stats:watch', 'stats', 'snapshot']),
    );
    // The payloads are the shared zod schemas: seats:changed names its fields as SPEC §6/§9/§12 do.
    const changed = doc.components.schemas.SeatsChanged;
    expect(Object.keys(changed.properties)).toEqual(['scheduleId', 'fromVersion', 'version', 'changes', 'areaChanges']);
    expect(changed.required).toEqual(['scheduleId', 'fromVersion', 'version', 'changes']);
    expect(doc.components.schemas.SeatChange.required).toEqual(['seatId', 'index', 'status']);
    expect(doc.channels.liveFeed.address).toBe('/api/schedules/{scheduleId}/live');
  });
});
