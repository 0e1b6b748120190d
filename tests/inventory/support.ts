import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { json } from '../support/app.ts';

export const ADMIN_TOKEN = 'inventory-admin-token-0123';
export const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** The base URL of a node, listening on a free port first when it is not yet (the embedded node is inject-only). */
export async function urlOf(node: FastifyInstance): Promise<string> {
  if (!node.server.listening) await node.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(node.server.address() as AddressInfo).port}`;
}

/** A concert made through the box-office API. */
export async function createConcert(node: FastifyInstance, title = '인벤토리 테스트'): Promise<string> {
  const res = await node.inject({
    method: 'POST',
    url: '/api/admin/concerts',
    headers: admin,
    payload: { title, venue: '테스트 홀' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return json(res).id;
}

/** A performance made through the box-office API, a week from now; returns its id and layout. */
export async function createPerformance(
  node: FastifyInstance,
  concertId: string,
  layout: Record<string, unknown>,
  startsInMinutes = 7 * 24 * 60,
) {
  const res = await node.inject({
    method: 'POST',
    url: `/api/admin/concerts/${concertId}/schedules`,
    headers: admin,
    payload: { dateTime: new Date(Date.now() + startsInMinutes * 60_000).toISOString(), layout },
  });
  expect(res.statusCode, res.body).toBe(201);
  const scheduleId = json(res).id as string;
  const layoutRes = await node.inject({ method: 'GET', url: `/api/schedules/${scheduleId}/layout` });
  expect(layoutRes.statusCode).toBe(200);
  const body = json(layoutRes) as {
    layoutVersion: string;
    seats: { id: string; seatNumber: string; accessible: boolean; companion: boolean }[];
    areas: { id: string; name: string; capacity: number }[];
  };
  const seats = Object.fromEntries(body.seats.map((s) => [s.seatNumber, s.id])) as Record<string, string>;
  return { scheduleId, totalSeats: json(res).totalSeats as number, layout: body, seats };
}

export const customerNo = (i: number) => ({
  name: `고객${i}`,
  phone: `010-${String(5000 + Math.floor(i / 10_000)).padStart(4, '0')}-${String(i % 10_000).padStart(4, '0')}`,
});
