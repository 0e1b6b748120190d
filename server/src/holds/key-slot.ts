/**
 * The Redis Cluster slot of a key or shard channel (CRC16/XMODEM of its hash tag, mod 16384), as Redis computes it:
 * the text between the first `{` and the next `}` when that is not empty, else the whole name.
 */
export function keySlot(name: string): number {
  const bytes = Buffer.from(hashTag(name));
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16384;
}

function hashTag(name: string): string {
  const open = name.indexOf('{');
  if (open === -1) return name;
  const close = name.indexOf('}', open + 1);
  return close > open + 1 ? name.slice(open + 1, close) : name;
}
