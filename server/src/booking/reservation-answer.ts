import { formatPhone, type Reservation } from '@seatmap/shared';
import { isoInZone } from '../time.ts';

export type SeatDetail = Reservation['seats'][number];

/** The one Reservation answer, whether its parts come from the booking just made or from a stored row. */
export function reservationAnswer(parts: {
  reservationNumber: string;
  concert: { id: string; title: string };
  schedule: { id: string; dateTime: Date; timezone: string };
  seats: SeatDetail[];
  totalPrice: number;
  customer: { name: string; phone: string; email: string | null };
  createdAt: Date;
}): Reservation {
  const { schedule, customer } = parts;
  return {
    reservationNumber: parts.reservationNumber,
    status: 'confirmed',
    concert: parts.concert,
    schedule: { id: schedule.id, dateTime: isoInZone(schedule.dateTime, schedule.timezone) },
    seats: parts.seats,
    totalPrice: parts.totalPrice,
    customer: { name: customer.name, phone: formatPhone(customer.phone), email: customer.email },
    createdAt: parts.createdAt.toISOString(),
  };
}
