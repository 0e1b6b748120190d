import { lang } from '../lib/i18n.ts';

/** Box-office text as [ko, en], kept beside the dashboard; `{name}` placeholders like the shop's messages. */
const messages = {
  title: ['박스오피스', 'Box office'],
  signInTitle: ['박스오피스 로그인', 'Box office sign-in'],
  signInHelp: [
    '관리자 토큰(ADMIN_TOKEN)을 입력하세요. 토큰은 이 화면에만 보관되어, 새로고침하거나 탭을 닫으면 로그아웃됩니다.',
    'Enter the admin token (ADMIN_TOKEN). It is kept on this page only: reloading or closing the tab signs you out.',
  ],
  tokenLabel: ['관리자 토큰', 'Admin token'],
  signIn: ['로그인', 'Sign in'],
  signOut: ['로그아웃', 'Sign out'],
  wrongToken: ['토큰이 올바르지 않습니다.', 'That token is not right.'],
  concert: ['공연', 'Concert'],
  performance: ['회차', 'Performance'],
  noConcerts: ['등록된 공연이 없습니다.', 'No concerts yet.'],
  noPerformances: ['회차가 없습니다.', 'No performances.'],
  pastSuffix: [' (종료)', ' (past)'],
  live: ['실시간', 'Live'],
  reconnecting: ['재연결 중…', 'Reconnecting…'],
  sold: ['판매', 'Sold'],
  held: ['선점', 'Held'],
  available: ['잔여', 'Available'],
  revenue: ['매출', 'Revenue'],
  sellThrough: ['판매율', 'Sell-through'],
  seatsOf: ['{n} / {total}석', '{n} of {total} seats'],
  seatsCount: ['{n}석', '{n} seats'],
  byGrade: ['등급별 판매 현황', 'Sell-through by grade'],
  gradeLabel: ['{grade}석 · {price}', '{grade} · {price}'],
  perMinute: ['분당 예매 건수 (최근 30분)', 'Bookings per minute (last 30 min)'],
  perMinuteSummary: [
    '최근 30분 예매 {n}건, 최대 분당 {max}건',
    '{n} bookings in the last 30 minutes, at most {max} a minute',
  ],
  minutesAgo: ['{n}분 전', '{n} min ago'],
  now: ['지금', 'now'],
  revenueShare: ['등급별 매출 구성', 'Revenue by grade'],
  latest: ['최근 예매', 'Latest reservations'],
  noReservations: ['아직 예매가 없습니다.', 'No reservations yet.'],
  colTime: ['시각', 'Time'],
  colNumber: ['예매 번호', 'Number'],
  colName: ['예매자', 'Name'],
  colSeats: ['좌석', 'Seats'],
  colTotal: ['금액', 'Total'],
  colStatus: ['상태', 'Status'],
  confirmed: ['예매', 'Confirmed'],
  cancelled: ['취소', 'Cancelled'],
  downloadCsv: ['CSV 내려받기', 'Download CSV'],
  updatedAt: ['{time} 갱신', 'Updated {time}'],
  // Waiting room (SPEC §10)
  queueTitle: ['대기열', 'Waiting room'],
  queueOff: ['대기열 (꺼짐)', 'Waiting room (off)'],
  queuePause: ['입장 일시 정지', 'Pause admissions'],
  queueResume: ['입장 재개', 'Resume admissions'],
  queueWaiting: ['대기 인원', 'In line'],
  queueActive: ['입장 중', 'Admitted now'],
  queuePerMinute: ['최근 1분 입장', 'Admitted last minute'],
  queueAdmittedTotal: ['누적 입장', 'Admitted in total'],
  queueExpired: ['시간 만료', 'Timed out'],
  queueUnavailable: ['대기열 정보를 불러올 수 없습니다. 다시 시도하는 중…', 'Cannot read the waiting room; retrying…'],
} as const;

export type BoxOfficeMessage = keyof typeof messages;

/** Looks up a box-office message in the current language and fills its placeholders. */
export function bt(key: BoxOfficeMessage, params: Record<string, string | number> = {}): string {
  const [ko, en] = messages[key];
  return (lang() === 'en' ? en : ko).replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
