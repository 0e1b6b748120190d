import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { textFrame } from './feed.ts';

/** ws's own frame builder (not in its type declarations). */
const { Sender } = ws as unknown as { Sender: { frame(data: Buffer, options: Record<string, unknown>): Buffer[] } };
const wsFrame = (payload: Buffer) =>
  Buffer.concat(Sender.frame(payload, { readOnly: false, mask: false, rsv1: false, opcode: 1, fin: true }));

describe('textFrame', () => {
  it('builds the same frame ws builds for send(text), for every length encoding', () => {
    for (const length of [0, 1, 125, 126, 127, 65_535, 65_536, 3_500_000]) {
      const payload = Buffer.alloc(length, 'a');
      expect(textFrame(payload).equals(wsFrame(payload)), `${length} bytes`).toBe(true);
    }
  });
});
