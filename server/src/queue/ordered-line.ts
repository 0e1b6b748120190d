/**
 * The in-process waiting line: members in queue order, removable from anywhere, with the rank of any member in
 * O(log n) (a Fenwick tree over "still in line" flags) and the front popped in O(1) amortised.
 */
export class OrderedLine {
  private members: string[] = [];
  private index = new Map<string, number>();
  private tree = new Int32Array(1024);
  private head = 0;

  get size(): number {
    return this.index.size;
  }

  has(member: string): boolean {
    return this.index.has(member);
  }

  push(member: string): void {
    const i = this.members.length;
    if (i + 1 >= this.tree.length) this.grow();
    this.members.push(member);
    this.index.set(member, i);
    this.add(i, 1);
  }

  /** Members ahead of this one, or -1 when it is not in line. */
  rank(member: string): number {
    const i = this.index.get(member);
    return i === undefined ? -1 : this.prefix(i);
  }

  remove(member: string): boolean {
    const i = this.index.get(member);
    if (i === undefined) return false;
    this.index.delete(member);
    this.add(i, -1);
    return true;
  }

  /** Takes up to `n` members from the front. */
  shift(n: number): string[] {
    const out: string[] = [];
    while (out.length < n && this.head < this.members.length) {
      const member = this.members[this.head++]!;
      if (this.remove(member)) out.push(member);
    }
    return out;
  }

  /** Count of members in line at positions < i. */
  private prefix(i: number): number {
    let sum = 0;
    for (let k = i; k > 0; k -= k & -k) sum += this.tree[k]!;
    return sum;
  }

  private add(i: number, delta: number): void {
    for (let k = i + 1; k < this.tree.length; k += k & -k) this.tree[k]! += delta;
  }

  private grow(): void {
    this.tree = new Int32Array(this.tree.length * 2);
    for (const i of this.index.values()) this.add(i, 1);
  }
}
