import type { AddressInfo } from 'node:net';
import type { ClientToServerEvents, JoinAck, ServerToClientEvents } from '@seatmap/shared';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestApp, type TestApp } from '../support/app.ts';
import { createFixture, type Fixture } from '../support/fixtures.ts';
import { ADMIN_TOKEN, admitted, joinQueue, putQueue } from './support.ts';

describe.each(await backends())('schedule:join of a queued concert (%s)', (backend) => {
  let t: TestApp;
  let f: Fixture;
  let open: Fixture;
  let url: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await startTestApp(backend, { ADMIN_TOKEN, QUEUE_ADMIT_INTERVAL_MS: 20 });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    f = await createFixture(t.app.context.db);
    open = await createFixture(t.app.context.db, { title: 'no queue' });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t?.close();
  });

  const connect = (auth?: object) => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      ...(auth ? { auth } : {}),
    });
    sockets.push(socket);
    return socket;
  };
  const join = (socket: Socket<ServerToClientEvents, ClientToServerEvents>, scheduleId: string) =>
    new Promise<JoinAck>((resolve) => socket.emit('schedule:join', scheduleId, resolve));

  it('needs the admission token in the handshake while the queue is on; other performances stay open', async () => {
    await putQueue(t.app, f.concertId, {
      enabled: true,
      opensAt: new Date(Date.now() - 1000).toISOString(),
      admitPerMinute: 6000,
      maxActive: 10,
    });
    const token = await admitted(t.app, (await joinQueue(t.app, f.concertId)).ticket);
    const anonymous = connect();
    expect(await join(anonymous, f.scheduleId)).toMatchObject({ ok: false, error: { code: 'ADMISSION_REQUIRED' } });
    expect(await join(anonymous, open.scheduleId)).toMatchObject({ ok: true });
    const forged = connect({ admissionTokens: [`${token.split('.')[0]}.${'0'.repeat(40)}`] });
    expect(await join(forged, f.scheduleId)).toMatchObject({ ok: false, error: { code: 'ADMISSION_REQUIRED' } });
    const admittedSocket = connect({ admissionTokens: ['junk', token] });
    expect(await join(admittedSocket, f.scheduleId)).toMatchObject({ ok: true, version: expect.any(Number) });
  });
});
