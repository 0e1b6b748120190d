import { describe, expect, it } from 'vitest';
import { OrderedLine } from './ordered-line.ts';

describe('ordered line', () => {
  it('ranks, removes from the middle and pops the front, past a growth of its index', () => {
    const line = new OrderedLine();
    const n = 3000;
    for (let i = 0; i < n; i++) line.push(`m${i}`);
    expect(line.size).toBe(n);
    expect(line.rank('m0')).toBe(0);
    expect(line.rank('m2999')).toBe(2999);
    expect(line.remove('m10')).toBe(true);
    expect(line.remove('m10')).toBe(false);
    expect(line.rank('m11')).toBe(10);
    expect(line.shift(5)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(line.rank('m11')).toBe(5);
    expect(line.shift(6)).toEqual(['m5', 'm6', 'm7', 'm8', 'm9', 'm11']);
    expect(line.rank('m12')).toBe(0);
    expect(line.rank('nobody')).toBe(-1);
    expect(line.has('m12')).toBe(true);
    expect(line.size).toBe(n - 12);
  });
});
