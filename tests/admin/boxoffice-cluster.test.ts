import type { AddressInfo } from 'node:net';
import { type Stats, statsSchema } from '@seatmap/shared';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../support/app.ts';
import { createFixture, type Fixture } from '../support/fixtures.ts';
import { realServices } from '../support/services.ts';
import { ADMIN_TOKEN, type BoxOfficeSocket, book, boxOffice, connected, hold, waitFor } from './support.ts';

const enabled = await realServices();

/** Two nodes on one Postgres database and one Redis prefix, as `npm run start:cluster` runs them. */
describe.runIf(enabled)('/boxoffice across two nodes (Postgres + Redis)', () => {
  let cluster: TestCluster;
  let nodes: FastifyInstance[];
  let f: Fixture;
  let socket: BoxOfficeSocket;

  beforeAll(async () => {
    cluster = await startTestCluster(2, { ADMIN_TOKEN });
    nodes = cluster.nodes;
    f = await createFixture(nodes[0]!.context.db);
  });
  afterAll(async () => {
    socket?.disconnect();
    await cluster?.close();
  });

  it('pushes a booking made through node 2 to a watcher on node 1', async () => {
    const port = (nodes[0]!.server.address() as AddressInfo).port;
    socket = boxOffice(`http://127.0.0.1:${port}`, ADMIN_TOKEN);
    const received: Stats[] = [];
    socket.on('stats', (s) => received.push(statsSchema.parse(s)));
    await connected(socket);
    expect(await socket.emitWithAck('stats:watch', f.scheduleId)).toMatchObject({ ok: true });
    expect(received[0]).toMatchObject({ reserved: 0, revenue: 0 });

    const other = nodes[1]!;
    const holdId = await hold(other, f.scheduleId, [f.seats.A01!, f.seats.A02!]);
    // The hold's stats go out at once; waiting for them means the booking's are the next ones (one throttle
    // interval later). Timeouts here only bound a hang.
    await waitFor(() => received.at(-1)?.held === 2, 10_000, "the hold's stats");
    await book(other, holdId);
    await waitFor(() => received.at(-1)?.reserved === 2, 10_000, 'the booking on node 1');
    const last = received.at(-1)!;
    expect(last).toMatchObject({ reserved: 2, held: 0, revenue: 300_000, available: 58 });
    expect(last.byGrade.find((g) => g.grade === 'R')).toMatchObject({ reserved: 2, revenue: 300_000 });
    // Only node 1 emits to its own socket: no copy arrives through the Socket.IO Redis adapter. A copy would come
    // within milliseconds; the next change's stats come a throttle interval later, so they fence it.
    const count = received.length;
    await hold(other, f.scheduleId, [f.seats.F01!]);
    await waitFor(() => received.at(-1)?.held === 1, 10_000, "the next change's stats");
    expect(received.slice(count)).toHaveLength(1);
  });
});
