/**
 * Replays the attacks of issue #11 (SPEC §11) against running nodes on this machine and prints how each one ends:
 *   npx tsx scripts/abuse-check.ts --url http://127.0.0.1:3000[,http://127.0.0.1:3001] [--json out.json]
 * 1. denial of inventory: one client address tries to hold every seat of the demo hall (4 seats a request, the
 *    nodes in turn), plainly and with a rotating forged X-Forwarded-For;
 * 2. 2,000 wrong lookups and 1,000 wrong cancellations of a real booking, then the right phone tries to cancel;
 * 3. a 300-name dictionary against a known phone (the real name at try 32);
 *    2 and 3 once from one address writing a new X-Forwarded-For each time, once from a new real address each try;
 * 4. response headers and a CORS preflight.
 * Every loop is bounded in requests and time. Targets are loopback only. Run the nodes with their default limits and
 * TRUST_PROXY=127.0.0.1 (this script plays the proxy: see `seenFrom`).
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    url: { type: 'string', multiple: true },
    'max-requests': { type: 'string', default: '3000' },
    'max-seconds': { type: 'string', default: '60' },
    json: { type: 'string' },
    'admin-token': { type: 'string' },
  },
});
const urls = (values.url ?? ['http://127.0.0.1:3000']).flatMap((u) => u.split(',')).map((u) => u.replace(/\/$/, ''));
for (const url of urls) {
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname)) {
    console.error(`abuse-check: ${url} is not on this machine; only loopback targets are allowed`);
    process.exit(2);
  }
}
const MAX_REQUESTS = Number(values['max-requests']);
const MAX_MS = Number(values['max-seconds']) * 1000;

let turn = 0;
const nextUrl = () => urls[turn++ % urls.length]!;

interface Answer {
  status: number;
  code: string;
  body: Record<string, unknown>;
  headers: Headers;
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(`${nextUrl()}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  const code = (parsed.error as { code?: string } | undefined)?.code ?? '';
  return { status: res.status, code, body: parsed, headers: res.headers };
}

/** Outcomes by status and code; a 429 RATE_LIMITED also by which limit answered (the message's first words). */
const tally = (answers: Answer[]) => {
  const out: Record<string, number> = {};
  for (const a of answers) {
    const message = (a.body.error as { message?: string } | undefined)?.message ?? '';
    const which = a.code === 'RATE_LIMITED' ? ` (${message.split(';')[0]})` : '';
    const key = `${a.status}${a.code ? ` ${a.code}` : ''}${which}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
};

/**
 * The nodes run as behind a proxy at 127.0.0.1 (TRUST_PROXY=127.0.0.1): X-Forwarded-For is what that proxy would
 * send, the client's own header (any forged entries) followed by the address it saw.
 */
const ATTACKER = '203.0.113.66';
const VICTIM = '203.0.113.77';
let forged = 0;
const seenFrom = (address: string) => ({ 'x-forwarded-for': address });
const forgedFrom = (address: string) => ({
  'x-forwarded-for': `198.18.${(forged >> 8) & 255}.${forged++ & 255}, ${address}`,
});
/** 'forged': one attacker writing a new X-Forwarded-For each time; 'distributed': each try from a real address of its own. */
type Mode = 'forged' | 'distributed';
let distinct = 0;
const attackerHeaders = (mode: Mode) =>
  mode === 'forged' ? forgedFrom(ATTACKER) : seenFrom(`100.64.${(distinct >> 8) & 255}.${distinct++ & 255}`);

async function hall() {
  const { body } = await call('GET', '/api/concerts');
  const concerts = body.concerts as { id: string; title: string }[];
  // The demo hall (the ~2,000-seat concert) is the one whose first performance is not the stadium.
  for (const concert of concerts) {
    const detail = (await call('GET', `/api/concerts/${concert.id}`)).body as { dates: string[] };
    const date = detail.dates[0];
    if (!date) continue;
    const schedules = (await call('GET', `/api/concerts/${concert.id}/schedules?date=${date}`)).body.schedules as {
      id: string;
      totalSeats: number;
    }[];
    const schedule = schedules.find((s) => s.totalSeats < 10_000);
    if (schedule) {
      const layout = (await call('GET', `/api/schedules/${schedule.id}/layout`)).body as {
        seats: { id: string }[];
      };
      return { concertId: concert.id, scheduleId: schedule.id, seatIds: layout.seats.map((s) => s.id) };
    }
  }
  throw new Error('no demo hall found: start the nodes with SEED_DEMO on and an empty database');
}

async function heldSeats(scheduleId: string): Promise<number> {
  const status = (await call('GET', `/api/schedules/${scheduleId}/status`)).body.statuses as string;
  return [...status].filter((c) => c === 'h').length;
}

/** Attack 1: hold every seat of the hall from one client. */
async function denyInventory(target: Awaited<ReturnType<typeof hall>>, forge: boolean) {
  const start = Date.now();
  const answers: Answer[] = [];
  const holds: string[] = [];
  let firstRefusal: { request: number; code: string; retryAfter: string | null } | null = null;
  for (let i = 0; i < target.seatIds.length && answers.length < MAX_REQUESTS && Date.now() - start < MAX_MS; i += 4) {
    const a = await call(
      'POST',
      `/api/schedules/${target.scheduleId}/holds`,
      { seatIds: target.seatIds.slice(i, i + 4) },
      forge ? forgedFrom(ATTACKER) : seenFrom(ATTACKER),
    );
    answers.push(a);
    if (a.status === 201) holds.push(a.body.holdId as string);
    if (a.status === 429 && !firstRefusal) {
      firstRefusal = { request: answers.length, code: a.code, retryAfter: a.headers.get('retry-after') };
    }
  }
  const held = await heldSeats(target.scheduleId);
  // Give the seats back for the next attack.
  for (const id of holds) await call('DELETE', `/api/holds/${id}`);
  return {
    forgedXForwardedFor: forge,
    requests: answers.length,
    seconds: (Date.now() - start) / 1000,
    outcomes: tally(answers),
    firstRefusal,
    seatsHeldAtEnd: held,
    hallSeats: target.seatIds.length,
  };
}

async function book(target: Awaited<ReturnType<typeof hall>>, seatIndex: number, customer: object) {
  const hold = await call(
    'POST',
    `/api/schedules/${target.scheduleId}/holds`,
    { seatIds: [target.seatIds[seatIndex]] },
    seenFrom(VICTIM),
  );
  if (hold.status !== 201) throw new Error(`hold for the victim's booking: ${hold.status} ${hold.code}`);
  const booked = await call(
    'POST',
    '/api/reservations',
    { holdId: hold.body.holdId, customer },
    { ...seenFrom(VICTIM), 'idempotency-key': randomUUID() },
  );
  if (booked.status !== 201) throw new Error(`victim's booking: ${booked.status} ${booked.code}`);
  return booked.body.reservationNumber as string;
}

/** Attack 2: rotating forged X-Forwarded-For on lookups and cancellations, then the right phone cancels. */
async function lookupsAndCancels(target: Awaited<ReturnType<typeof hall>>, mode: Mode, seat: number) {
  const phone = mode === 'forged' ? '010-7777-1234' : '010-7777-5678';
  const number = await book(target, seat, { name: '피해자', phone });
  const lookups: Answer[] = [];
  const start = Date.now();
  for (let i = 0; i < 2000 && Date.now() - start < MAX_MS; i++) {
    lookups.push(
      await call(
        'POST',
        '/api/reservations/lookup',
        { phone, reservationNumber: `ZZ${String(i).padStart(8, '2').replace(/[01]/g, '3')}` },
        attackerHeaders(mode),
      ),
    );
  }
  const cancels: Answer[] = [];
  for (let i = 0; i < 1000 && Date.now() - start < 2 * MAX_MS; i++) {
    const wrong = `010-${String(1000 + (i % 9000)).padStart(4, '0')}-0000`;
    cancels.push(await call('POST', `/api/reservations/${number}/cancel`, { phone: wrong }, attackerHeaders(mode)));
  }
  // The attacker, who learnt the phone, tries it last; then the customer from their own address.
  const rightPhone = await call('POST', `/api/reservations/${number}/cancel`, { phone }, attackerHeaders(mode));
  const customerLookup = await call(
    'POST',
    '/api/reservations/lookup',
    { phone, reservationNumber: number },
    seenFrom(VICTIM),
  );
  // The box office sees whether the booking still stands (the customer's own lookup is locked out too).
  const list = values['admin-token']
    ? await call('GET', `/api/admin/schedules/${target.scheduleId}/reservations`, undefined, {
        authorization: `Bearer ${values['admin-token']}`,
        ...seenFrom('203.0.113.99'),
      })
    : null;
  const standing = (list?.body.reservations as { reservationNumber: string; status: string }[] | undefined)?.find(
    (r) => r.reservationNumber === number,
  );
  return {
    mode,
    lookups: { requests: lookups.length, outcomes: tally(lookups), firstLimited: firstIndex(lookups, 429) },
    cancels: { requests: cancels.length, outcomes: tally(cancels), firstLimited: firstIndex(cancels, 429) },
    attackerWithRightPhone: `${rightPhone.status} ${rightPhone.code || (rightPhone.body.status as string)}`,
    retryAfter: rightPhone.headers.get('retry-after'),
    boxOfficeSeesReservation: standing?.status ?? (list ? `not listed (${list.status})` : 'no --admin-token'),
    customerLookupAfter: `${customerLookup.status} ${customerLookup.code || 'ok'}`,
  };
}

const firstIndex = (answers: Answer[], status: number) => {
  const i = answers.findIndex((a) => a.status === status);
  return i < 0 ? null : i + 1;
};

/** Attack 3: a 300-name dictionary against a known phone; the real name is try 32. */
async function nameDictionary(target: Awaited<ReturnType<typeof hall>>, mode: Mode, seat: number) {
  const phone = mode === 'forged' ? '010-8888-4321' : '010-8888-8765';
  const realName = '박서연';
  const number = await book(target, seat, { name: realName, phone });
  // Even the right name shows the number masked: the full number (shown at booking) is the other cancel factor.
  const byName = await call('POST', '/api/reservations/lookup', { phone, name: realName }, seenFrom(VICTIM));
  const maskedAs = (byName.body.reservations as { reservationNumber: string }[] | undefined)?.[0]?.reservationNumber;
  const family = ['김', '이', '박', '최', '정', '강', '조', '윤', '장', '임'];
  const given = ['민준', '서윤', '도윤', '서연', '하준', '지우', '시우', '하은', '주원', '지호', '예준', '수아'];
  const names = family.flatMap((f) => given.map((g) => f + g)).filter((n) => n !== realName);
  while (names.length < 299) names.push(`${family[names.length % 10]}${given[names.length % 12]}${names.length}`);
  names.splice(31, 0, realName);
  const answers: Answer[] = [];
  for (const name of names.slice(0, 300)) {
    answers.push(await call('POST', '/api/reservations/lookup', { phone, name }, attackerHeaders(mode)));
  }
  const found = answers.findIndex((a) => ((a.body.reservations as unknown[]) ?? []).length > 0);
  const shown = found < 0 ? null : (answers[found]!.body.reservations as { reservationNumber: string }[])[0]!;
  return {
    mode,
    tries: answers.length,
    outcomes: tally(answers),
    firstLimited: firstIndex(answers, 429),
    realNameAtTry: 32,
    matchedAtTry: found < 0 ? null : found + 1,
    numberShown: shown?.reservationNumber ?? null,
    numberIsMasked: shown ? shown.reservationNumber !== number : null,
    rightNameLookupShows: maskedAs ?? null,
    fullNumberEndsWith: number.slice(-4),
  };
}

async function headers() {
  const page = await fetch(`${urls[0]}/`);
  const api = await call('GET', '/api/concerts');
  const preflight = await fetch(`${urls[0]}/api/reservations`, {
    method: 'OPTIONS',
    headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
  });
  const pick = (h: Headers) =>
    Object.fromEntries(
      [
        'content-security-policy',
        'x-content-type-options',
        'x-frame-options',
        'referrer-policy',
        'strict-transport-security',
      ].map((k) => [k, h.get(k)]),
    );
  return {
    page: pick(page.headers),
    api: pick(api.headers),
    preflight: { status: preflight.status, allowOrigin: preflight.headers.get('access-control-allow-origin') },
  };
}

const target = await hall();
console.log(`nodes: ${urls.join(', ')}; hall ${target.scheduleId} with ${target.seatIds.length} seats`);
const report = {
  nodes: urls,
  denialOfInventory: [await denyInventory(target, false), await denyInventory(target, true)],
  lookupsAndCancels: [
    await lookupsAndCancels(target, 'forged', target.seatIds.length - 1),
    await lookupsAndCancels(target, 'distributed', target.seatIds.length - 2),
  ],
  nameDictionary: [
    await nameDictionary(target, 'forged', target.seatIds.length - 3),
    await nameDictionary(target, 'distributed', target.seatIds.length - 4),
  ],
  headers: await headers(),
};
console.log(JSON.stringify(report, null, 2));
if (values.json) {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`);
}
