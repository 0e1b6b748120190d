import { feedQuerySchema, uuid } from '@seatmap/shared';
import { z } from 'zod';

type Json = Record<string, unknown>;
const ref = (path: string) => ({ $ref: path });
const schemaRef = (id: string) => ref(`#/components/schemas/${id}`);
const messageRef = (id: string) => ref(`#/components/messages/${id}`);

/** Named shared schemas (shared/src/schema-names.ts) as JSON Schema draft 7, keeping the roots and what they use. */
function namedSchemas(roots: string[]): Record<string, Json> {
  const all = z.toJSONSchema(z.globalRegistry, {
    target: 'draft-7',
    io: 'output',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  }).schemas as Record<string, Json>;
  const kept: Record<string, Json> = {};
  const pending = [...roots];
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (kept[id]) continue;
    const schema = all[id];
    if (!schema) throw new Error(`AsyncAPI: no shared schema named ${id}`);
    const { $schema: _schema, $id: _id, ...rest } = schema;
    kept[id] = rest;
    for (const match of JSON.stringify(rest).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) pending.push(match[1]!);
  }
  return kept;
}

const inline = (schema: z.ZodType) => {
  const { $schema: _schema, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io: 'input' }) as Json;
  return rest;
};

/**
 * The AsyncAPI 3 document of the live side (SPEC §6, §9, §10), served at /asyncapi.json: the Socket.IO default
 * namespace (`schedule:join` / `schedule:leave` → `seats:changed`), the `/boxoffice` namespace (`stats:watch` →
 * `stats`) and the plain WebSocket feed. Payloads are the shared zod schemas, under the names /openapi.json uses.
 * It describes the server: `send` is what the server emits, `receive` what it listens for.
 */
export function buildAsyncApi(): Json {
  const scheduleIdPayload = { ...inline(uuid), description: 'The performance (schedule) id' };
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Seatmap live events',
      version: '0.1.0',
      description:
        'Seat changes of a performance as they happen, and box-office sell-through. Versions of one performance ' +
        'reach a watcher in order: `fromVersion` ≠ the last `version` seen means something was lost, and the ' +
        'watcher refetches `GET /api/schedules/{scheduleId}/status`. Every node delivers every change (Redis).',
    },
    defaultContentType: 'application/json',
    servers: {
      socketio: {
        host: 'localhost:3000',
        protocol: 'ws',
        pathname: '/socket.io/',
        title: 'Socket.IO',
        description: 'Socket.IO 4 (engine.io WebSocket or polling) on the HTTP port of any node.',
      },
      feed: {
        host: 'localhost:3000',
        protocol: 'ws',
        title: 'Plain WebSocket feed',
        description: 'A plain WebSocket on the HTTP port of any node, for tools that do not speak Socket.IO.',
      },
    },
    channels: {
      seatMap: {
        address: '/',
        title: 'Socket.IO default namespace',
        description:
          'Join a performance to receive its `seats:changed`. A performance of a queued concert (SPEC §10) needs ' +
          'an admission: handshake `auth: {admissionToken}` (or `admissionTokens: [...]`), else the join ack is ' +
          '`{ok:false,error:{code:"ADMISSION_REQUIRED"}}`.',
        servers: [ref('#/servers/socketio')],
        messages: {
          scheduleJoin: messageRef('scheduleJoin'),
          scheduleJoinAck: messageRef('joinAck'),
          scheduleLeave: messageRef('scheduleLeave'),
          seatsChanged: messageRef('seatsChanged'),
        },
      },
      boxOffice: {
        address: '/boxoffice',
        title: 'Socket.IO /boxoffice namespace',
        description:
          'Box office: handshake `auth: {token: ADMIN_TOKEN}`, refused otherwise (`connect_error`). Sell-through ' +
          'of watched performances at most once a second while it changes.',
        servers: [ref('#/servers/socketio')],
        messages: {
          statsWatch: messageRef('statsWatch'),
          statsWatchAck: messageRef('joinAck'),
          statsUnwatch: messageRef('statsUnwatch'),
          stats: messageRef('stats'),
        },
      },
      liveFeed: {
        address: '/api/schedules/{scheduleId}/live',
        title: 'Plain WebSocket feed of one performance',
        description:
          'First message: the snapshot (compact by default, `?snapshot=full` for the per-seat form), then every ' +
          '`seats:changed`. Close codes: 4400 bad id or query, 4404 unknown performance; an upgrade beyond the ' +
          'per-address limit is refused with HTTP 429.',
        servers: [ref('#/servers/feed')],
        parameters: { scheduleId: { description: 'The performance (schedule) id, a UUID' } },
        messages: {
          snapshot: messageRef('feedSnapshot'),
          seatsChanged: messageRef('feedSeatsChanged'),
        },
        bindings: { ws: { method: 'GET', query: inline(feedQuerySchema), bindingVersion: '0.1.0' } },
      },
    },
    operations: {
      joinSchedule: {
        action: 'receive',
        channel: ref('#/channels/seatMap'),
        summary: 'schedule:join (scheduleId, ack): watch a performance; the ack carries its current version',
        messages: [ref('#/channels/seatMap/messages/scheduleJoin')],
        reply: {
          channel: ref('#/channels/seatMap'),
          messages: [ref('#/channels/seatMap/messages/scheduleJoinAck')],
        },
      },
      leaveSchedule: {
        action: 'receive',
        channel: ref('#/channels/seatMap'),
        summary: 'schedule:leave (scheduleId): stop watching',
        messages: [ref('#/channels/seatMap/messages/scheduleLeave')],
      },
      sendSeatsChanged: {
        action: 'send',
        channel: ref('#/channels/seatMap'),
        summary: "seats:changed to the performance's room, coalesced over a few tens of ms",
        messages: [ref('#/channels/seatMap/messages/seatsChanged')],
      },
      watchStats: {
        action: 'receive',
        channel: ref('#/channels/boxOffice'),
        summary: 'stats:watch (scheduleId, ack?): receive its sell-through',
        messages: [ref('#/channels/boxOffice/messages/statsWatch')],
        reply: {
          channel: ref('#/channels/boxOffice'),
          messages: [ref('#/channels/boxOffice/messages/statsWatchAck')],
        },
      },
      unwatchStats: {
        action: 'receive',
        channel: ref('#/channels/boxOffice'),
        summary: 'stats:unwatch (scheduleId)',
        messages: [ref('#/channels/boxOffice/messages/statsUnwatch')],
      },
      sendStats: {
        action: 'send',
        channel: ref('#/channels/boxOffice'),
        summary: 'stats: the sell-through of a watched performance',
        messages: [ref('#/channels/boxOffice/messages/stats')],
      },
      sendFeedSnapshot: {
        action: 'send',
        channel: ref('#/channels/liveFeed'),
        summary: 'The first message of a feed connection',
        messages: [ref('#/channels/liveFeed/messages/snapshot')],
      },
      sendFeedChanges: {
        action: 'send',
        channel: ref('#/channels/liveFeed'),
        summary: 'Every change after the snapshot, in version order',
        messages: [ref('#/channels/liveFeed/messages/seatsChanged')],
      },
    },
    components: {
      messages: {
        scheduleJoin: {
          name: 'schedule:join',
          title: 'Join a performance',
          summary: 'First argument: the schedule id; last: the acknowledgement callback',
          payload: scheduleIdPayload,
        },
        scheduleLeave: { name: 'schedule:leave', title: 'Leave a performance', payload: scheduleIdPayload },
        joinAck: {
          name: 'ack',
          title: 'Join acknowledgement',
          summary: '`{ok:true,version}` or `{ok:false,error:{code,message}}`',
          payload: schemaRef('JoinAck'),
        },
        seatsChanged: {
          name: 'seats:changed',
          title: 'Seats changed',
          summary: 'One version step per seat change; `index` is the seat in the layout order',
          payload: schemaRef('SeatsChanged'),
        },
        statsWatch: { name: 'stats:watch', title: 'Watch sell-through', payload: scheduleIdPayload },
        statsUnwatch: { name: 'stats:unwatch', title: 'Stop watching sell-through', payload: scheduleIdPayload },
        stats: { name: 'stats', title: 'Sell-through per grade', payload: schemaRef('Stats') },
        feedSnapshot: {
          name: 'snapshot',
          title: 'Feed snapshot',
          summary: '`{type:"snapshot",version,layoutVersion,statuses}`, or with ?snapshot=full the per-seat form',
          payload: { oneOf: [schemaRef('LiveCompactSnapshot'), schemaRef('LiveFullSnapshot')] },
        },
        feedSeatsChanged: {
          name: 'seats:changed',
          title: 'Feed seats changed',
          summary: '`seats:changed` with `type: "seats:changed"`',
          payload: schemaRef('LiveSeatsChanged'),
        },
      },
      schemas: namedSchemas([
        'JoinAck',
        'SeatsChanged',
        'Stats',
        'LiveCompactSnapshot',
        'LiveFullSnapshot',
        'LiveSeatsChanged',
      ]),
    },
  };
}
