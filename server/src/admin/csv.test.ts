import { describe, expect, it } from 'vitest';
import { csvField, reservationsCsv } from './csv.ts';

describe('csvField', () => {
  it('quotes only what needs it and doubles quotes', () => {
    expect(csvField('김민지')).toBe('김민지');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(150000)).toBe('150000');
    expect(csvField(null)).toBe('');
  });

  it('defuses text a spreadsheet would run as a formula, but not numbers', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-2')).toBe("'-2");
    expect(csvField(-2)).toBe('-2');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
  });
});

describe('reservationsCsv', () => {
  it('starts with a BOM, ends rows with CRLF and writes one row per reservation', () => {
    const csv = reservationsCsv([
      {
        reservationNumber: 'ABCD234567',
        status: 'confirmed',
        customer: { name: '홍길동', phone: '010-1234-5678', email: null },
        seats: [
          { id: '00000000-0000-4000-8000-000000000001', seatNumber: 'A01', grade: 'R', price: 150000 },
          { id: '00000000-0000-4000-8000-000000000002', seatNumber: 'A02', grade: 'R', price: 150000 },
        ],
        areaTickets: [
          { areaId: '00000000-0000-4000-8000-0000000000a1', name: 'FLOOR', grade: 'F', price: 99000, entryNumber: 12 },
        ],
        totalPrice: 399000,
        createdAt: '2026-11-25T10:00:00.000Z',
        cancelledAt: null,
      },
    ]);
    expect(csv.startsWith('\uFEFFreservationNumber,status,')).toBe(true);
    expect(csv.split('\r\n')).toEqual([
      '\uFEFFreservationNumber,status,customerName,customerPhone,customerEmail,seats,grades,seatCount,totalPrice,createdAt,cancelledAt,areaTickets',
      'ABCD234567,confirmed,홍길동,010-1234-5678,,A01 A02,R,2,399000,2026-11-25T10:00:00.000Z,,FLOOR #12',
      '',
    ]);
  });
});
