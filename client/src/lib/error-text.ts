import type { ErrorCode } from '@seatmap/shared';
import { lang } from './i18n.ts';

/** Every API error code in plain words, [ko, en]. Keyed by the closed union so a new code fails to compile. */
const errorText: Record<ErrorCode, readonly [string, string]> = {
  VALIDATION_FAILED: ['입력한 내용을 다시 확인해 주세요.', 'Please check what you entered.'],
  UNAUTHORIZED: ['로그인이 필요합니다.', 'Please sign in first.'],
  FORBIDDEN: ['이 작업을 할 권한이 없습니다.', 'You are not allowed to do this.'],
  NOT_FOUND: ['찾는 내용이 없습니다.', 'We could not find that.'],
  CONCERT_NOT_FOUND: ['공연을 찾을 수 없습니다.', 'We could not find this concert.'],
  SCHEDULE_NOT_FOUND: ['공연 회차를 찾을 수 없습니다.', 'We could not find this performance.'],
  HOLD_NOT_FOUND: [
    '좌석 유지 시간이 끝났거나 선택이 취소되었습니다. 좌석을 다시 선택해 주세요.',
    'Your seat hold has ended. Please choose seats again.',
  ],
  RESERVATION_NOT_FOUND: [
    '예매를 찾을 수 없습니다. 예매 번호와 연락처를 확인해 주세요.',
    'No booking matches. Check the reservation number and contact.',
  ],
  SCHEDULE_CLOSED: ['이 회차는 예매가 마감되었습니다.', 'Booking for this performance has closed.'],
  SEAT_UNAVAILABLE: ['다른 고객이 먼저 선택한 좌석이 있습니다.', 'Someone else took one of these seats first.'],
  ORPHAN_SEAT: [
    '한 좌석만 홀로 남게 되는 선택은 할 수 없습니다. 옆 좌석을 함께 선택하거나 다른 좌석을 골라 주세요.',
    'This choice would leave a single empty seat stranded. Include the neighbouring seat or choose others.',
  ],
  NO_ADJACENT_SEATS: [
    '붙어 있는 빈 좌석을 찾지 못했습니다. 매수나 등급을 바꿔 보세요.',
    'No adjacent free seats were found. Try fewer seats or another grade.',
  ],
  ALREADY_CANCELLED: ['이미 취소된 예매입니다.', 'This booking is already cancelled.'],
  CANCELLATION_CLOSED: [
    '공연 시작이 임박하여 취소할 수 없습니다.',
    'It is too close to the start of the show to cancel.',
  ],
  IDEMPOTENCY_KEY_REUSED: [
    '이미 다른 내용으로 처리된 요청입니다. 새로고침 후 다시 시도해 주세요.',
    'This request was already used for something else. Reload and try again.',
  ],
  PAYLOAD_TOO_LARGE: ['요청이 너무 큽니다.', 'The request is too large.'],
  UNSUPPORTED_MEDIA_TYPE: ['지원하지 않는 요청 형식입니다.', 'That request format is not supported.'],
  RATE_LIMITED: [
    '요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.',
    'Too many requests. Please wait a moment and try again.',
  ],
  SERVICE_UNAVAILABLE: [
    '서비스가 잠시 혼잡합니다. 잠시 후 다시 시도해 주세요.',
    'The service is briefly unavailable. Please try again shortly.',
  ],
  QUEUE_NOT_FOUND: ['이 공연에는 대기열이 없습니다.', 'This concert has no waiting room.'],
  TICKET_NOT_FOUND: [
    '대기 번호를 찾을 수 없습니다. 대기열에 다시 들어가 주세요.',
    'We could not find your place in line. Please join the line again.',
  ],
  ADMISSION_REQUIRED: [
    '지금은 대기열을 거쳐야 좌석을 고를 수 있습니다.',
    'Please go through the waiting room before choosing seats.',
  ],
  ADMISSION_EXPIRED: [
    '입장 시간이 끝났습니다. 대기열에 다시 들어가 주세요.',
    'Your time to choose seats has ended. Please join the line again.',
  ],
  ADMISSION_HOLD_EXISTS: [
    '이미 선택해 둔 좌석이 있습니다. 그 좌석을 예매하거나 취소한 뒤 다시 선택해 주세요.',
    'You are already holding seats. Book or release them before choosing others.',
  ],
  CHALLENGE_FAILED: [
    '확인 절차가 끝나지 않았습니다. 잠시 후 다시 시도해 주세요.',
    'The check did not go through. Please try again.',
  ],
  PURCHASE_LIMIT: [
    '한 사람이 이 회차에 예매할 수 있는 매수를 넘었습니다. 이미 예매한 매수를 빼고 남은 만큼만 선택해 주세요.',
    'You have reached the ticket limit per person for this performance. Choose only as many seats as you have left.',
  ],
  HOLD_LIMIT: [
    '지금 붙잡아 둔 좌석이 너무 많습니다. 예매하거나 선택을 취소한 뒤, 잠시 후 다시 시도해 주세요.',
    'You are holding too many seats at once. Book or release some, then try again in a moment.',
  ],
  AREA_SOLD_OUT: [
    '스탠딩 구역에 남은 자리가 부족합니다. 수량을 줄이거나 다른 구역을 선택해 주세요.',
    'Not enough places are left in this standing area. Choose fewer or another area.',
  ],
  PRESALE_CODE_REQUIRED: [
    '선예매 기간입니다. 선예매 코드를 입력해 주세요.',
    'This is a presale: please enter your presale code.',
  ],
  PRESALE_CODE_INVALID: [
    '선예매 코드가 올바르지 않거나 이미 모두 사용되었습니다.',
    'This presale code is not valid or has been used up.',
  ],
  INTERNAL_ERROR: [
    '일시적인 오류가 발생했습니다. 잠시 후 다시 시도해 주세요.',
    'Something went wrong on our side. Please try again.',
  ],
};

/** Codes whose details make the words exact (the numbers the server sent), [ko, en]. */
function withDetails(code: ErrorCode, details: Record<string, unknown>): readonly [string, string] | null {
  const { limit, alreadyBooked } = details;
  if (code === 'PURCHASE_LIMIT' && typeof limit === 'number' && typeof alreadyBooked === 'number') {
    const left = Math.max(0, limit - alreadyBooked);
    return [
      `이 회차는 한 사람당 ${limit}매까지 예매할 수 있습니다. 이미 ${alreadyBooked}매를 예매하셔서 ${left}매만 더 예매할 수 있습니다.`,
      `Each person may book at most ${limit} tickets for this performance. You already have ${alreadyBooked}, so you can book ${left} more.`,
    ];
  }
  return null;
}

export function errorMessage(code: ErrorCode, details: Record<string, unknown> = {}): string {
  const entry = withDetails(code, details) ?? errorText[code];
  return lang() === 'en' ? entry[1] : entry[0];
}
