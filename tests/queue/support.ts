import { randomUUID } from 'node:crypto';
import { type QueueTicketStatus, queueTicketStatusSchema } from '@seatmap/shared';
import type { FastifyInstance } from 'fastify';
import { ADMIN_TOKEN } from '../admin/support.ts';

export { ADMIN_TOKEN };
export const adminHeaders = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** A clock tests move by hand: the queue's opensAt, pacing and session minutes pass without waiting. */
export function manualClock(start = Date.now()) {
  const clock = { ms: start, now: () => new Date(clock.ms), advance: (ms: number) => (clock.ms += ms) };
  return clock;
}

export async function putQueue(app: FastifyInstance, concertId: string, body: Record<string, unknown>) {
  const res = await app.inject({
    method: 'PUT',
    url: `/api/admin/concerts/${concertId}/queue`,
    headers: adminHeaders,
    payload: body,
  });
  if (res.statusCode !== 200) throw new Error(`PUT queue: ${res.statusCode} ${res.body}`);
  return JSON.parse(res.body);
}

export async function joinQueue(
  app: FastifyInstance,
  concertId: string,
  body: object = {},
): Promise<QueueTicketStatus> {
  const res = await app.inject({ method: 'POST', url: `/api/concerts/${concertId}/queue`, payload: body });
  if (res.statusCode !== 200) throw new Error(`join: ${res.statusCode} ${res.body}`);
  return queueTicketStatusSchema.parse(JSON.parse(res.body));
}

export async function pollTicket(app: FastifyInstance, ticket: string): Promise<QueueTicketStatus> {
  const res = await app.inject({ method: 'GET', url: `/api/queue/${ticket}` });
  if (res.statusCode !== 200) throw new Error(`poll: ${res.statusCode} ${res.body}`);
  return queueTicketStatusSchema.parse(JSON.parse(res.body));
}

/** Polls until the ticket is admitted (the admitter runs on its own timer); returns its token. */
export async function admitted(app: FastifyInstance, ticket: string, timeoutMs = 30_000): Promise<string> {
  const start = Date.now();
  for (;;) {
    const status = await pollTicket(app, ticket);
    if (status.admission) return status.admission.token;
    if (Date.now() - start > timeoutMs)
      throw new Error(`not admitted after ${timeoutMs} ms: ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const booking = (holdId: string) => ({
  holdId,
  customer: { name: '김민지', phone: '010-1234-5678' },
});
export const idempotency = () => ({ 'idempotency-key': randomUUID() });
