import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchEarly, takeEarly } from './early-fetch.ts';

const concertId = '11111111-1111-4111-8111-111111111111';
const scheduleId = '33333333-3333-4333-8333-333333333333';

describe('early fetch of the seat page’s first requests', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  const stubFetch = () => {
    const asked: string[] = [];
    vi.stubGlobal('fetch', (path: string) => {
      asked.push(path);
      return Promise.resolve(new Response(JSON.stringify({ path })));
    });
    return asked;
  };

  it('asks for what the seat page asks first, each answer taken once', async () => {
    const asked = stubFetch();
    fetchEarly(`#/concerts/${concertId}/schedules/${scheduleId}?date=2026-12-28`);
    expect(asked).toEqual([
      '/api/config',
      `/api/schedules/${scheduleId}/status`,
      `/api/schedules/${scheduleId}/layout?form=columns`,
      `/api/concerts/${concertId}`,
      `/api/concerts/${concertId}/schedules?date=2026-12-28`,
    ]);
    const status = takeEarly(`/api/schedules/${scheduleId}/status`);
    expect(await (await status!).json()).toEqual({ path: `/api/schedules/${scheduleId}/status` });
    expect(takeEarly(`/api/schedules/${scheduleId}/status`)).toBeUndefined();
    expect(takeEarly('/api/concerts')).toBeUndefined();
  });

  it('asks nothing on other pages, and no schedules without a date', () => {
    const asked = stubFetch();
    fetchEarly('#/concerts');
    fetchEarly(`#/concerts/${concertId}`);
    fetchEarly('');
    expect(asked).toEqual([]);
    fetchEarly(`#/concerts/${concertId}/schedules/${scheduleId}`);
    expect(asked.some((p) => p.includes('/schedules?date='))).toBe(false);
  });

  it('an answer older than 5 s is not used', () => {
    vi.useFakeTimers();
    stubFetch();
    fetchEarly(`#/concerts/${concertId}/schedules/${scheduleId}`);
    vi.advanceTimersByTime(5_001);
    expect(takeEarly(`/api/concerts/${concertId}`)).toBeUndefined();
  });
});
