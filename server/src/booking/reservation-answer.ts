import { type AreaTicket, formatPhone, type Reservation } from '@seatmap/shared';
import type { SeatLayout } from '../catalog/seat-layouts.ts';
import { isoInZone } from '../time.ts';

export type SeatDetail = Reservation['seats'][number];

/** A reservation's tickets from the performance's layout: its seats, and its standing places with entry numbers. */
export function ticketsOf(layout: SeatLayout, seatIds: string[]): { seats: SeatDetail[]; areaTickets: AreaTicket[] } {
  const seats: SeatDetail[] = [];
  const areaTickets: AreaTicket[] = [];
  for (const id of seatIds) {
    const seat = layout.byId.get(id);
    if (seat) {
      seats.push({ id, seatNumber: seat.seatNumber, grade: seat.grade, price: seat.price });
      continue;
    }
    const place = layout.places.get(id);
    if (place) {
      const { area, entryNumber } = place;
      areaTickets.push({ areaId: area.id, name: area.name, grade: area.grade, price: area.price, entryNumber });
    }
  }
  areaTickets.sort((a, b) => a.areaId.localeCompare(b.areaId) || a.entryNumber - b.entryNumber);
  return { seats, areaTickets };
}

/** The one Reservation answer, whether its parts come from the booking just made or from a stored row. */
export function reservationAnswer(parts: {
  reservationNumber: string;
  concert: { id: string; title: string };
  schedule: { id: string; dateTime: Date; timezone: string };
  seats: SeatDetail[];
  areaTickets: AreaTicket[];
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
    areaTickets: parts.areaTickets,
    totalPrice: parts.totalPrice,
    customer: { name: customer.name, phone: formatPhone(customer.phone), email: customer.email },
    createdAt: parts.createdAt.toISOString(),
  };
}
