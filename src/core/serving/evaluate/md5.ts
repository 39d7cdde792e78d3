/**
 * MD5 for bucketing, written for short strings: node:crypto's createHash costs microseconds per
 * call, which dwarfs the rest of an evaluation. Not for security; MD5 is what every flagops
 * reader in any language agrees on (see docs/bucketing.md).
 */

let buffer = new ArrayBuffer(256);
let bytes = new Uint8Array(buffer);
let ints = new Int32Array(buffer);
/** MD5 reads little-endian words: on a little-endian machine (all Node targets in practice) the bytes are the words. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function ensure(size: number): void {
  if (bytes.length >= size) return;
  const grown = new ArrayBuffer(size * 2 + 64 - ((size * 2) % 64));
  new Uint8Array(grown).set(bytes);
  buffer = grown;
  bytes = new Uint8Array(buffer);
  ints = new Int32Array(buffer);
}

/** UTF-8 of `text` into the shared buffer from byte `n`; returns the end. */
function encode(text: string, n: number): number {
  ensure(n + text.length * 3 + 72);
  return encodeInto(text, bytes, n);
}

/** UTF-8 of `text` into `b` from byte `n` (room for 3 bytes a code unit is the caller's); returns the end. */
function encodeInto(text: string, b: Uint8Array, n: number): number {
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) b[n++] = c;
    else if (c < 0x800) {
      b[n++] = 0xc0 | (c >> 6);
      b[n++] = 0x80 | (c & 63);
    } else {
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low < 0xe000) {
          c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
          i++;
          b[n++] = 0xf0 | (c >> 18);
          b[n++] = 0x80 | ((c >> 12) & 63);
          b[n++] = 0x80 | ((c >> 6) & 63);
          b[n++] = 0x80 | (c & 63);
          continue;
        }
      }
      // A lone surrogate is encoded as U+FFFD, as TextEncoder and Buffer do.
      if (c >= 0xd800 && c < 0xe000) c = 0xfffd;
      b[n++] = 0xe0 | (c >> 12);
      b[n++] = 0x80 | ((c >> 6) & 63);
      b[n++] = 0x80 | (c & 63);
    }
  }
  return n;
}

/** MD5 padding after `length` message bytes; returns the padded length (a multiple of 64). */
function pad(length: number): number {
  const b = bytes;
  b[length] = 0x80;
  const end = (length + 8 + 64) & ~63;
  // Zero the rest of the word holding 0x80, then whole words up to the length field.
  let n = length + 1;
  while ((n & 3) !== 0) b[n++] = 0;
  const w = ints;
  for (let i = n >> 2; i < (end >> 2) - 2; i++) w[i] = 0;
  const bits = length * 8;
  const high = Math.floor(length / 0x20000000);
  if (LITTLE_ENDIAN) {
    w[(end >> 2) - 2] = bits | 0;
    w[(end >> 2) - 1] = high;
    return end;
  }
  for (let i = 0; i < 4; i++) {
    b[end - 8 + i] = (bits >>> (8 * i)) & 0xff;
    b[end - 4 + i] = (high >>> (8 * i)) & 0xff;
  }
  for (let i = 0; i < end; i += 4) {
    const [b0, b1, b2, b3] = [b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!];
    b[i] = b3;
    b[i + 1] = b2;
    b[i + 2] = b1;
    b[i + 3] = b0;
  }
  return end;
}

/** The UTF-8 bytes of a text, for a prefix that many digests share (a flag's `<salt>:`). */
export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** MD5 state words of `prefix` followed by the UTF-8 of `text`, without building the joined string. */
export function md5PrefixedWords(prefix: Uint8Array, text: string, out: Int32Array): void {
  const n = prefix.length;
  ensure(n + text.length * 3 + 72);
  // A loop, not bytes.set(): for the dozen bytes of a salt the call costs more than the copy.
  const b = bytes;
  for (let i = 0; i < n; i++) b[i] = prefix[i]!;
  digest(pad(encode(text, n)), out);
}

/**
 * The two blocks of md5PairWords, apart from the shared buffer so that what they hold is known:
 * below the length field, a block is zero from `blockEnds[i]` on, so padding a message zeroes only
 * what a longer one before it left.
 */
const pairInts = new Int32Array(32);
const pairBytes = new Uint8Array(pairInts.buffer);
const blockEnds = [0, 0];
/** The text last hashed in a pair and its UTF-8: a bulk answer hashes one user id for every flag. */
let pairText: string | undefined;
const textBytes = new Uint8Array(55 * 3);
let textLength = 0;

/**
 * The MD5 state words of `first` + text into out[0..3] and of `second` + text into out[4..7], both
 * at once (digestTwo). False, with nothing written, when either message needs more than one block
 * (or the machine is big-endian): the caller then hashes them one by one.
 */
export function md5PairWords(first: Uint8Array, second: Uint8Array, text: string, out: Int32Array): boolean {
  if (!LITTLE_ENDIAN || text.length > 55) return false;
  if (text !== pairText) {
    textLength = encodeInto(text, textBytes, 0);
    pairText = text;
  }
  if (first.length + textLength > 55 || second.length + textLength > 55) return false;
  fillBlock(0, first);
  fillBlock(1, second);
  digestTwo(out);
  return true;
}

/** Block `block` of the pair: `prefix`, the text, then one-block padding (0x80, zeros, the length in bits). */
function fillBlock(block: number, prefix: Uint8Array): void {
  const b = pairBytes;
  const at = block * 64;
  const n = prefix.length;
  // A loop, not set(): for a dozen bytes the call costs more than the copy.
  for (let i = 0; i < n; i++) b[at + i] = prefix[i]!;
  const length = n + textLength;
  for (let i = 0; i < textLength; i++) b[at + n + i] = textBytes[i]!;
  b[at + length] = 0x80;
  for (let i = length + 1; i < blockEnds[block]!; i++) b[at + i] = 0;
  blockEnds[block] = length + 1;
  pairInts[block * 16 + 14] = length * 8;
}

/** The MD5 state words (a, b, c, d) of `text`'s UTF-8 bytes, written into `out`. */
export function md5Words(text: string, out: Int32Array): void {
  digest(pad(encode(text, 0)), out);
}

function digest(end: number, out: Int32Array): void {
  const x = ints;
  let a0 = 0x67452301;
  let b0 = 0xefcdab89 | 0;
  let c0 = 0x98badcfe | 0;
  let d0 = 0x10325476;
  for (let k = 0; k < end >> 2; k += 16) {
    const x0 = x[k + 0]!;
    const x1 = x[k + 1]!;
    const x2 = x[k + 2]!;
    const x3 = x[k + 3]!;
    const x4 = x[k + 4]!;
    const x5 = x[k + 5]!;
    const x6 = x[k + 6]!;
    const x7 = x[k + 7]!;
    const x8 = x[k + 8]!;
    const x9 = x[k + 9]!;
    const x10 = x[k + 10]!;
    const x11 = x[k + 11]!;
    const x12 = x[k + 12]!;
    const x13 = x[k + 13]!;
    const x14 = x[k + 14]!;
    const x15 = x[k + 15]!;
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    let t: number;
    // The 64 steps unrolled (generated): rotating the four registers by name instead of moving
    // values, with constants inline, makes a one-block digest about twice as fast.
    t = (a + ((b & c) | (~b & d)) + -680876936 + x0) | 0;
    a = (b + ((t << 7) | (t >>> 25))) | 0;
    t = (d + ((a & b) | (~a & c)) + -389564586 + x1) | 0;
    d = (a + ((t << 12) | (t >>> 20))) | 0;
    t = (c + ((d & a) | (~d & b)) + 606105819 + x2) | 0;
    c = (d + ((t << 17) | (t >>> 15))) | 0;
    t = (b + ((c & d) | (~c & a)) + -1044525330 + x3) | 0;
    b = (c + ((t << 22) | (t >>> 10))) | 0;
    t = (a + ((b & c) | (~b & d)) + -176418897 + x4) | 0;
    a = (b + ((t << 7) | (t >>> 25))) | 0;
    t = (d + ((a & b) | (~a & c)) + 1200080426 + x5) | 0;
    d = (a + ((t << 12) | (t >>> 20))) | 0;
    t = (c + ((d & a) | (~d & b)) + -1473231341 + x6) | 0;
    c = (d + ((t << 17) | (t >>> 15))) | 0;
    t = (b + ((c & d) | (~c & a)) + -45705983 + x7) | 0;
    b = (c + ((t << 22) | (t >>> 10))) | 0;
    t = (a + ((b & c) | (~b & d)) + 1770035416 + x8) | 0;
    a = (b + ((t << 7) | (t >>> 25))) | 0;
    t = (d + ((a & b) | (~a & c)) + -1958414417 + x9) | 0;
    d = (a + ((t << 12) | (t >>> 20))) | 0;
    t = (c + ((d & a) | (~d & b)) + -42063 + x10) | 0;
    c = (d + ((t << 17) | (t >>> 15))) | 0;
    t = (b + ((c & d) | (~c & a)) + -1990404162 + x11) | 0;
    b = (c + ((t << 22) | (t >>> 10))) | 0;
    t = (a + ((b & c) | (~b & d)) + 1804603682 + x12) | 0;
    a = (b + ((t << 7) | (t >>> 25))) | 0;
    t = (d + ((a & b) | (~a & c)) + -40341101 + x13) | 0;
    d = (a + ((t << 12) | (t >>> 20))) | 0;
    t = (c + ((d & a) | (~d & b)) + -1502002290 + x14) | 0;
    c = (d + ((t << 17) | (t >>> 15))) | 0;
    t = (b + ((c & d) | (~c & a)) + 1236535329 + x15) | 0;
    b = (c + ((t << 22) | (t >>> 10))) | 0;
    t = (a + ((d & b) | (~d & c)) + -165796510 + x1) | 0;
    a = (b + ((t << 5) | (t >>> 27))) | 0;
    t = (d + ((c & a) | (~c & b)) + -1069501632 + x6) | 0;
    d = (a + ((t << 9) | (t >>> 23))) | 0;
    t = (c + ((b & d) | (~b & a)) + 643717713 + x11) | 0;
    c = (d + ((t << 14) | (t >>> 18))) | 0;
    t = (b + ((a & c) | (~a & d)) + -373897302 + x0) | 0;
    b = (c + ((t << 20) | (t >>> 12))) | 0;
    t = (a + ((d & b) | (~d & c)) + -701558691 + x5) | 0;
    a = (b + ((t << 5) | (t >>> 27))) | 0;
    t = (d + ((c & a) | (~c & b)) + 38016083 + x10) | 0;
    d = (a + ((t << 9) | (t >>> 23))) | 0;
    t = (c + ((b & d) | (~b & a)) + -660478335 + x15) | 0;
    c = (d + ((t << 14) | (t >>> 18))) | 0;
    t = (b + ((a & c) | (~a & d)) + -405537848 + x4) | 0;
    b = (c + ((t << 20) | (t >>> 12))) | 0;
    t = (a + ((d & b) | (~d & c)) + 568446438 + x9) | 0;
    a = (b + ((t << 5) | (t >>> 27))) | 0;
    t = (d + ((c & a) | (~c & b)) + -1019803690 + x14) | 0;
    d = (a + ((t << 9) | (t >>> 23))) | 0;
    t = (c + ((b & d) | (~b & a)) + -187363961 + x3) | 0;
    c = (d + ((t << 14) | (t >>> 18))) | 0;
    t = (b + ((a & c) | (~a & d)) + 1163531501 + x8) | 0;
    b = (c + ((t << 20) | (t >>> 12))) | 0;
    t = (a + ((d & b) | (~d & c)) + -1444681467 + x13) | 0;
    a = (b + ((t << 5) | (t >>> 27))) | 0;
    t = (d + ((c & a) | (~c & b)) + -51403784 + x2) | 0;
    d = (a + ((t << 9) | (t >>> 23))) | 0;
    t = (c + ((b & d) | (~b & a)) + 1735328473 + x7) | 0;
    c = (d + ((t << 14) | (t >>> 18))) | 0;
    t = (b + ((a & c) | (~a & d)) + -1926607734 + x12) | 0;
    b = (c + ((t << 20) | (t >>> 12))) | 0;
    t = (a + (b ^ c ^ d) + -378558 + x5) | 0;
    a = (b + ((t << 4) | (t >>> 28))) | 0;
    t = (d + (a ^ b ^ c) + -2022574463 + x8) | 0;
    d = (a + ((t << 11) | (t >>> 21))) | 0;
    t = (c + (d ^ a ^ b) + 1839030562 + x11) | 0;
    c = (d + ((t << 16) | (t >>> 16))) | 0;
    t = (b + (c ^ d ^ a) + -35309556 + x14) | 0;
    b = (c + ((t << 23) | (t >>> 9))) | 0;
    t = (a + (b ^ c ^ d) + -1530992060 + x1) | 0;
    a = (b + ((t << 4) | (t >>> 28))) | 0;
    t = (d + (a ^ b ^ c) + 1272893353 + x4) | 0;
    d = (a + ((t << 11) | (t >>> 21))) | 0;
    t = (c + (d ^ a ^ b) + -155497632 + x7) | 0;
    c = (d + ((t << 16) | (t >>> 16))) | 0;
    t = (b + (c ^ d ^ a) + -1094730640 + x10) | 0;
    b = (c + ((t << 23) | (t >>> 9))) | 0;
    t = (a + (b ^ c ^ d) + 681279174 + x13) | 0;
    a = (b + ((t << 4) | (t >>> 28))) | 0;
    t = (d + (a ^ b ^ c) + -358537222 + x0) | 0;
    d = (a + ((t << 11) | (t >>> 21))) | 0;
    t = (c + (d ^ a ^ b) + -722521979 + x3) | 0;
    c = (d + ((t << 16) | (t >>> 16))) | 0;
    t = (b + (c ^ d ^ a) + 76029189 + x6) | 0;
    b = (c + ((t << 23) | (t >>> 9))) | 0;
    t = (a + (b ^ c ^ d) + -640364487 + x9) | 0;
    a = (b + ((t << 4) | (t >>> 28))) | 0;
    t = (d + (a ^ b ^ c) + -421815835 + x12) | 0;
    d = (a + ((t << 11) | (t >>> 21))) | 0;
    t = (c + (d ^ a ^ b) + 530742520 + x15) | 0;
    c = (d + ((t << 16) | (t >>> 16))) | 0;
    t = (b + (c ^ d ^ a) + -995338651 + x2) | 0;
    b = (c + ((t << 23) | (t >>> 9))) | 0;
    t = (a + (c ^ (b | ~d)) + -198630844 + x0) | 0;
    a = (b + ((t << 6) | (t >>> 26))) | 0;
    t = (d + (b ^ (a | ~c)) + 1126891415 + x7) | 0;
    d = (a + ((t << 10) | (t >>> 22))) | 0;
    t = (c + (a ^ (d | ~b)) + -1416354905 + x14) | 0;
    c = (d + ((t << 15) | (t >>> 17))) | 0;
    t = (b + (d ^ (c | ~a)) + -57434055 + x5) | 0;
    b = (c + ((t << 21) | (t >>> 11))) | 0;
    t = (a + (c ^ (b | ~d)) + 1700485571 + x12) | 0;
    a = (b + ((t << 6) | (t >>> 26))) | 0;
    t = (d + (b ^ (a | ~c)) + -1894986606 + x3) | 0;
    d = (a + ((t << 10) | (t >>> 22))) | 0;
    t = (c + (a ^ (d | ~b)) + -1051523 + x10) | 0;
    c = (d + ((t << 15) | (t >>> 17))) | 0;
    t = (b + (d ^ (c | ~a)) + -2054922799 + x1) | 0;
    b = (c + ((t << 21) | (t >>> 11))) | 0;
    t = (a + (c ^ (b | ~d)) + 1873313359 + x8) | 0;
    a = (b + ((t << 6) | (t >>> 26))) | 0;
    t = (d + (b ^ (a | ~c)) + -30611744 + x15) | 0;
    d = (a + ((t << 10) | (t >>> 22))) | 0;
    t = (c + (a ^ (d | ~b)) + -1560198380 + x6) | 0;
    c = (d + ((t << 15) | (t >>> 17))) | 0;
    t = (b + (d ^ (c | ~a)) + 1309151649 + x13) | 0;
    b = (c + ((t << 21) | (t >>> 11))) | 0;
    t = (a + (c ^ (b | ~d)) + -145523070 + x4) | 0;
    a = (b + ((t << 6) | (t >>> 26))) | 0;
    t = (d + (b ^ (a | ~c)) + -1120210379 + x11) | 0;
    d = (a + ((t << 10) | (t >>> 22))) | 0;
    t = (c + (a ^ (d | ~b)) + 718787259 + x2) | 0;
    c = (d + ((t << 15) | (t >>> 17))) | 0;
    t = (b + (d ^ (c | ~a)) + -343485551 + x9) | 0;
    b = (c + ((t << 21) | (t >>> 11))) | 0;
    a0 = (a0 + a) | 0;
    b0 = (b0 + b) | 0;
    c0 = (c0 + c) | 0;
    d0 = (d0 + d) | 0;
  }
  out[0] = a0;
  out[1] = b0;
  out[2] = c0;
  out[3] = d0;
}

/**
 * Two one-block messages at once, padded in md5PairWords' two blocks. MD5 is one
 * long chain of dependent steps, which leaves most of a CPU's arithmetic units idle; interleaving
 * two chains (the steps above, generated twice with the second message's registers) fills them, so
 * both digests take about 10% longer than one.
 */
function digestTwo(out: Int32Array): void {
  const x = pairInts;
  const x0 = x[0]!;
  const x1 = x[1]!;
  const x2 = x[2]!;
  const x3 = x[3]!;
  const x4 = x[4]!;
  const x5 = x[5]!;
  const x6 = x[6]!;
  const x7 = x[7]!;
  const x8 = x[8]!;
  const x9 = x[9]!;
  const x10 = x[10]!;
  const x11 = x[11]!;
  const x12 = x[12]!;
  const x13 = x[13]!;
  const x14 = x[14]!;
  const x15 = x[15]!;
  const y0 = x[16]!;
  const y1 = x[17]!;
  const y2 = x[18]!;
  const y3 = x[19]!;
  const y4 = x[20]!;
  const y5 = x[21]!;
  const y6 = x[22]!;
  const y7 = x[23]!;
  const y8 = x[24]!;
  const y9 = x[25]!;
  const y10 = x[26]!;
  const y11 = x[27]!;
  const y12 = x[28]!;
  const y13 = x[29]!;
  const y14 = x[30]!;
  const y15 = x[31]!;
  let a = 0x67452301;
  let b = 0xefcdab89 | 0;
  let c = 0x98badcfe | 0;
  let d = 0x10325476;
  let e = a;
  let f = b;
  let g = c;
  let h = d;
  let t: number;
  let u: number;
  t = (a + ((b & c) | (~b & d)) + -680876936 + x0) | 0;
  u = (e + ((f & g) | (~f & h)) + -680876936 + y0) | 0;
  a = (b + ((t << 7) | (t >>> 25))) | 0;
  e = (f + ((u << 7) | (u >>> 25))) | 0;
  t = (d + ((a & b) | (~a & c)) + -389564586 + x1) | 0;
  u = (h + ((e & f) | (~e & g)) + -389564586 + y1) | 0;
  d = (a + ((t << 12) | (t >>> 20))) | 0;
  h = (e + ((u << 12) | (u >>> 20))) | 0;
  t = (c + ((d & a) | (~d & b)) + 606105819 + x2) | 0;
  u = (g + ((h & e) | (~h & f)) + 606105819 + y2) | 0;
  c = (d + ((t << 17) | (t >>> 15))) | 0;
  g = (h + ((u << 17) | (u >>> 15))) | 0;
  t = (b + ((c & d) | (~c & a)) + -1044525330 + x3) | 0;
  u = (f + ((g & h) | (~g & e)) + -1044525330 + y3) | 0;
  b = (c + ((t << 22) | (t >>> 10))) | 0;
  f = (g + ((u << 22) | (u >>> 10))) | 0;
  t = (a + ((b & c) | (~b & d)) + -176418897 + x4) | 0;
  u = (e + ((f & g) | (~f & h)) + -176418897 + y4) | 0;
  a = (b + ((t << 7) | (t >>> 25))) | 0;
  e = (f + ((u << 7) | (u >>> 25))) | 0;
  t = (d + ((a & b) | (~a & c)) + 1200080426 + x5) | 0;
  u = (h + ((e & f) | (~e & g)) + 1200080426 + y5) | 0;
  d = (a + ((t << 12) | (t >>> 20))) | 0;
  h = (e + ((u << 12) | (u >>> 20))) | 0;
  t = (c + ((d & a) | (~d & b)) + -1473231341 + x6) | 0;
  u = (g + ((h & e) | (~h & f)) + -1473231341 + y6) | 0;
  c = (d + ((t << 17) | (t >>> 15))) | 0;
  g = (h + ((u << 17) | (u >>> 15))) | 0;
  t = (b + ((c & d) | (~c & a)) + -45705983 + x7) | 0;
  u = (f + ((g & h) | (~g & e)) + -45705983 + y7) | 0;
  b = (c + ((t << 22) | (t >>> 10))) | 0;
  f = (g + ((u << 22) | (u >>> 10))) | 0;
  t = (a + ((b & c) | (~b & d)) + 1770035416 + x8) | 0;
  u = (e + ((f & g) | (~f & h)) + 1770035416 + y8) | 0;
  a = (b + ((t << 7) | (t >>> 25))) | 0;
  e = (f + ((u << 7) | (u >>> 25))) | 0;
  t = (d + ((a & b) | (~a & c)) + -1958414417 + x9) | 0;
  u = (h + ((e & f) | (~e & g)) + -1958414417 + y9) | 0;
  d = (a + ((t << 12) | (t >>> 20))) | 0;
  h = (e + ((u << 12) | (u >>> 20))) | 0;
  t = (c + ((d & a) | (~d & b)) + -42063 + x10) | 0;
  u = (g + ((h & e) | (~h & f)) + -42063 + y10) | 0;
  c = (d + ((t << 17) | (t >>> 15))) | 0;
  g = (h + ((u << 17) | (u >>> 15))) | 0;
  t = (b + ((c & d) | (~c & a)) + -1990404162 + x11) | 0;
  u = (f + ((g & h) | (~g & e)) + -1990404162 + y11) | 0;
  b = (c + ((t << 22) | (t >>> 10))) | 0;
  f = (g + ((u << 22) | (u >>> 10))) | 0;
  t = (a + ((b & c) | (~b & d)) + 1804603682 + x12) | 0;
  u = (e + ((f & g) | (~f & h)) + 1804603682 + y12) | 0;
  a = (b + ((t << 7) | (t >>> 25))) | 0;
  e = (f + ((u << 7) | (u >>> 25))) | 0;
  t = (d + ((a & b) | (~a & c)) + -40341101 + x13) | 0;
  u = (h + ((e & f) | (~e & g)) + -40341101 + y13) | 0;
  d = (a + ((t << 12) | (t >>> 20))) | 0;
  h = (e + ((u << 12) | (u >>> 20))) | 0;
  t = (c + ((d & a) | (~d & b)) + -1502002290 + x14) | 0;
  u = (g + ((h & e) | (~h & f)) + -1502002290 + y14) | 0;
  c = (d + ((t << 17) | (t >>> 15))) | 0;
  g = (h + ((u << 17) | (u >>> 15))) | 0;
  t = (b + ((c & d) | (~c & a)) + 1236535329 + x15) | 0;
  u = (f + ((g & h) | (~g & e)) + 1236535329 + y15) | 0;
  b = (c + ((t << 22) | (t >>> 10))) | 0;
  f = (g + ((u << 22) | (u >>> 10))) | 0;
  t = (a + ((d & b) | (~d & c)) + -165796510 + x1) | 0;
  u = (e + ((h & f) | (~h & g)) + -165796510 + y1) | 0;
  a = (b + ((t << 5) | (t >>> 27))) | 0;
  e = (f + ((u << 5) | (u >>> 27))) | 0;
  t = (d + ((c & a) | (~c & b)) + -1069501632 + x6) | 0;
  u = (h + ((g & e) | (~g & f)) + -1069501632 + y6) | 0;
  d = (a + ((t << 9) | (t >>> 23))) | 0;
  h = (e + ((u << 9) | (u >>> 23))) | 0;
  t = (c + ((b & d) | (~b & a)) + 643717713 + x11) | 0;
  u = (g + ((f & h) | (~f & e)) + 643717713 + y11) | 0;
  c = (d + ((t << 14) | (t >>> 18))) | 0;
  g = (h + ((u << 14) | (u >>> 18))) | 0;
  t = (b + ((a & c) | (~a & d)) + -373897302 + x0) | 0;
  u = (f + ((e & g) | (~e & h)) + -373897302 + y0) | 0;
  b = (c + ((t << 20) | (t >>> 12))) | 0;
  f = (g + ((u << 20) | (u >>> 12))) | 0;
  t = (a + ((d & b) | (~d & c)) + -701558691 + x5) | 0;
  u = (e + ((h & f) | (~h & g)) + -701558691 + y5) | 0;
  a = (b + ((t << 5) | (t >>> 27))) | 0;
  e = (f + ((u << 5) | (u >>> 27))) | 0;
  t = (d + ((c & a) | (~c & b)) + 38016083 + x10) | 0;
  u = (h + ((g & e) | (~g & f)) + 38016083 + y10) | 0;
  d = (a + ((t << 9) | (t >>> 23))) | 0;
  h = (e + ((u << 9) | (u >>> 23))) | 0;
  t = (c + ((b & d) | (~b & a)) + -660478335 + x15) | 0;
  u = (g + ((f & h) | (~f & e)) + -660478335 + y15) | 0;
  c = (d + ((t << 14) | (t >>> 18))) | 0;
  g = (h + ((u << 14) | (u >>> 18))) | 0;
  t = (b + ((a & c) | (~a & d)) + -405537848 + x4) | 0;
  u = (f + ((e & g) | (~e & h)) + -405537848 + y4) | 0;
  b = (c + ((t << 20) | (t >>> 12))) | 0;
  f = (g + ((u << 20) | (u >>> 12))) | 0;
  t = (a + ((d & b) | (~d & c)) + 568446438 + x9) | 0;
  u = (e + ((h & f) | (~h & g)) + 568446438 + y9) | 0;
  a = (b + ((t << 5) | (t >>> 27))) | 0;
  e = (f + ((u << 5) | (u >>> 27))) | 0;
  t = (d + ((c & a) | (~c & b)) + -1019803690 + x14) | 0;
  u = (h + ((g & e) | (~g & f)) + -1019803690 + y14) | 0;
  d = (a + ((t << 9) | (t >>> 23))) | 0;
  h = (e + ((u << 9) | (u >>> 23))) | 0;
  t = (c + ((b & d) | (~b & a)) + -187363961 + x3) | 0;
  u = (g + ((f & h) | (~f & e)) + -187363961 + y3) | 0;
  c = (d + ((t << 14) | (t >>> 18))) | 0;
  g = (h + ((u << 14) | (u >>> 18))) | 0;
  t = (b + ((a & c) | (~a & d)) + 1163531501 + x8) | 0;
  u = (f + ((e & g) | (~e & h)) + 1163531501 + y8) | 0;
  b = (c + ((t << 20) | (t >>> 12))) | 0;
  f = (g + ((u << 20) | (u >>> 12))) | 0;
  t = (a + ((d & b) | (~d & c)) + -1444681467 + x13) | 0;
  u = (e + ((h & f) | (~h & g)) + -1444681467 + y13) | 0;
  a = (b + ((t << 5) | (t >>> 27))) | 0;
  e = (f + ((u << 5) | (u >>> 27))) | 0;
  t = (d + ((c & a) | (~c & b)) + -51403784 + x2) | 0;
  u = (h + ((g & e) | (~g & f)) + -51403784 + y2) | 0;
  d = (a + ((t << 9) | (t >>> 23))) | 0;
  h = (e + ((u << 9) | (u >>> 23))) | 0;
  t = (c + ((b & d) | (~b & a)) + 1735328473 + x7) | 0;
  u = (g + ((f & h) | (~f & e)) + 1735328473 + y7) | 0;
  c = (d + ((t << 14) | (t >>> 18))) | 0;
  g = (h + ((u << 14) | (u >>> 18))) | 0;
  t = (b + ((a & c) | (~a & d)) + -1926607734 + x12) | 0;
  u = (f + ((e & g) | (~e & h)) + -1926607734 + y12) | 0;
  b = (c + ((t << 20) | (t >>> 12))) | 0;
  f = (g + ((u << 20) | (u >>> 12))) | 0;
  t = (a + (b ^ c ^ d) + -378558 + x5) | 0;
  u = (e + (f ^ g ^ h) + -378558 + y5) | 0;
  a = (b + ((t << 4) | (t >>> 28))) | 0;
  e = (f + ((u << 4) | (u >>> 28))) | 0;
  t = (d + (a ^ b ^ c) + -2022574463 + x8) | 0;
  u = (h + (e ^ f ^ g) + -2022574463 + y8) | 0;
  d = (a + ((t << 11) | (t >>> 21))) | 0;
  h = (e + ((u << 11) | (u >>> 21))) | 0;
  t = (c + (d ^ a ^ b) + 1839030562 + x11) | 0;
  u = (g + (h ^ e ^ f) + 1839030562 + y11) | 0;
  c = (d + ((t << 16) | (t >>> 16))) | 0;
  g = (h + ((u << 16) | (u >>> 16))) | 0;
  t = (b + (c ^ d ^ a) + -35309556 + x14) | 0;
  u = (f + (g ^ h ^ e) + -35309556 + y14) | 0;
  b = (c + ((t << 23) | (t >>> 9))) | 0;
  f = (g + ((u << 23) | (u >>> 9))) | 0;
  t = (a + (b ^ c ^ d) + -1530992060 + x1) | 0;
  u = (e + (f ^ g ^ h) + -1530992060 + y1) | 0;
  a = (b + ((t << 4) | (t >>> 28))) | 0;
  e = (f + ((u << 4) | (u >>> 28))) | 0;
  t = (d + (a ^ b ^ c) + 1272893353 + x4) | 0;
  u = (h + (e ^ f ^ g) + 1272893353 + y4) | 0;
  d = (a + ((t << 11) | (t >>> 21))) | 0;
  h = (e + ((u << 11) | (u >>> 21))) | 0;
  t = (c + (d ^ a ^ b) + -155497632 + x7) | 0;
  u = (g + (h ^ e ^ f) + -155497632 + y7) | 0;
  c = (d + ((t << 16) | (t >>> 16))) | 0;
  g = (h + ((u << 16) | (u >>> 16))) | 0;
  t = (b + (c ^ d ^ a) + -1094730640 + x10) | 0;
  u = (f + (g ^ h ^ e) + -1094730640 + y10) | 0;
  b = (c + ((t << 23) | (t >>> 9))) | 0;
  f = (g + ((u << 23) | (u >>> 9))) | 0;
  t = (a + (b ^ c ^ d) + 681279174 + x13) | 0;
  u = (e + (f ^ g ^ h) + 681279174 + y13) | 0;
  a = (b + ((t << 4) | (t >>> 28))) | 0;
  e = (f + ((u << 4) | (u >>> 28))) | 0;
  t = (d + (a ^ b ^ c) + -358537222 + x0) | 0;
  u = (h + (e ^ f ^ g) + -358537222 + y0) | 0;
  d = (a + ((t << 11) | (t >>> 21))) | 0;
  h = (e + ((u << 11) | (u >>> 21))) | 0;
  t = (c + (d ^ a ^ b) + -722521979 + x3) | 0;
  u = (g + (h ^ e ^ f) + -722521979 + y3) | 0;
  c = (d + ((t << 16) | (t >>> 16))) | 0;
  g = (h + ((u << 16) | (u >>> 16))) | 0;
  t = (b + (c ^ d ^ a) + 76029189 + x6) | 0;
  u = (f + (g ^ h ^ e) + 76029189 + y6) | 0;
  b = (c + ((t << 23) | (t >>> 9))) | 0;
  f = (g + ((u << 23) | (u >>> 9))) | 0;
  t = (a + (b ^ c ^ d) + -640364487 + x9) | 0;
  u = (e + (f ^ g ^ h) + -640364487 + y9) | 0;
  a = (b + ((t << 4) | (t >>> 28))) | 0;
  e = (f + ((u << 4) | (u >>> 28))) | 0;
  t = (d + (a ^ b ^ c) + -421815835 + x12) | 0;
  u = (h + (e ^ f ^ g) + -421815835 + y12) | 0;
  d = (a + ((t << 11) | (t >>> 21))) | 0;
  h = (e + ((u << 11) | (u >>> 21))) | 0;
  t = (c + (d ^ a ^ b) + 530742520 + x15) | 0;
  u = (g + (h ^ e ^ f) + 530742520 + y15) | 0;
  c = (d + ((t << 16) | (t >>> 16))) | 0;
  g = (h + ((u << 16) | (u >>> 16))) | 0;
  t = (b + (c ^ d ^ a) + -995338651 + x2) | 0;
  u = (f + (g ^ h ^ e) + -995338651 + y2) | 0;
  b = (c + ((t << 23) | (t >>> 9))) | 0;
  f = (g + ((u << 23) | (u >>> 9))) | 0;
  t = (a + (c ^ (b | ~d)) + -198630844 + x0) | 0;
  u = (e + (g ^ (f | ~h)) + -198630844 + y0) | 0;
  a = (b + ((t << 6) | (t >>> 26))) | 0;
  e = (f + ((u << 6) | (u >>> 26))) | 0;
  t = (d + (b ^ (a | ~c)) + 1126891415 + x7) | 0;
  u = (h + (f ^ (e | ~g)) + 1126891415 + y7) | 0;
  d = (a + ((t << 10) | (t >>> 22))) | 0;
  h = (e + ((u << 10) | (u >>> 22))) | 0;
  t = (c + (a ^ (d | ~b)) + -1416354905 + x14) | 0;
  u = (g + (e ^ (h | ~f)) + -1416354905 + y14) | 0;
  c = (d + ((t << 15) | (t >>> 17))) | 0;
  g = (h + ((u << 15) | (u >>> 17))) | 0;
  t = (b + (d ^ (c | ~a)) + -57434055 + x5) | 0;
  u = (f + (h ^ (g | ~e)) + -57434055 + y5) | 0;
  b = (c + ((t << 21) | (t >>> 11))) | 0;
  f = (g + ((u << 21) | (u >>> 11))) | 0;
  t = (a + (c ^ (b | ~d)) + 1700485571 + x12) | 0;
  u = (e + (g ^ (f | ~h)) + 1700485571 + y12) | 0;
  a = (b + ((t << 6) | (t >>> 26))) | 0;
  e = (f + ((u << 6) | (u >>> 26))) | 0;
  t = (d + (b ^ (a | ~c)) + -1894986606 + x3) | 0;
  u = (h + (f ^ (e | ~g)) + -1894986606 + y3) | 0;
  d = (a + ((t << 10) | (t >>> 22))) | 0;
  h = (e + ((u << 10) | (u >>> 22))) | 0;
  t = (c + (a ^ (d | ~b)) + -1051523 + x10) | 0;
  u = (g + (e ^ (h | ~f)) + -1051523 + y10) | 0;
  c = (d + ((t << 15) | (t >>> 17))) | 0;
  g = (h + ((u << 15) | (u >>> 17))) | 0;
  t = (b + (d ^ (c | ~a)) + -2054922799 + x1) | 0;
  u = (f + (h ^ (g | ~e)) + -2054922799 + y1) | 0;
  b = (c + ((t << 21) | (t >>> 11))) | 0;
  f = (g + ((u << 21) | (u >>> 11))) | 0;
  t = (a + (c ^ (b | ~d)) + 1873313359 + x8) | 0;
  u = (e + (g ^ (f | ~h)) + 1873313359 + y8) | 0;
  a = (b + ((t << 6) | (t >>> 26))) | 0;
  e = (f + ((u << 6) | (u >>> 26))) | 0;
  t = (d + (b ^ (a | ~c)) + -30611744 + x15) | 0;
  u = (h + (f ^ (e | ~g)) + -30611744 + y15) | 0;
  d = (a + ((t << 10) | (t >>> 22))) | 0;
  h = (e + ((u << 10) | (u >>> 22))) | 0;
  t = (c + (a ^ (d | ~b)) + -1560198380 + x6) | 0;
  u = (g + (e ^ (h | ~f)) + -1560198380 + y6) | 0;
  c = (d + ((t << 15) | (t >>> 17))) | 0;
  g = (h + ((u << 15) | (u >>> 17))) | 0;
  t = (b + (d ^ (c | ~a)) + 1309151649 + x13) | 0;
  u = (f + (h ^ (g | ~e)) + 1309151649 + y13) | 0;
  b = (c + ((t << 21) | (t >>> 11))) | 0;
  f = (g + ((u << 21) | (u >>> 11))) | 0;
  t = (a + (c ^ (b | ~d)) + -145523070 + x4) | 0;
  u = (e + (g ^ (f | ~h)) + -145523070 + y4) | 0;
  a = (b + ((t << 6) | (t >>> 26))) | 0;
  e = (f + ((u << 6) | (u >>> 26))) | 0;
  t = (d + (b ^ (a | ~c)) + -1120210379 + x11) | 0;
  u = (h + (f ^ (e | ~g)) + -1120210379 + y11) | 0;
  d = (a + ((t << 10) | (t >>> 22))) | 0;
  h = (e + ((u << 10) | (u >>> 22))) | 0;
  t = (c + (a ^ (d | ~b)) + 718787259 + x2) | 0;
  u = (g + (e ^ (h | ~f)) + 718787259 + y2) | 0;
  c = (d + ((t << 15) | (t >>> 17))) | 0;
  g = (h + ((u << 15) | (u >>> 17))) | 0;
  t = (b + (d ^ (c | ~a)) + -343485551 + x9) | 0;
  u = (f + (h ^ (g | ~e)) + -343485551 + y9) | 0;
  b = (c + ((t << 21) | (t >>> 11))) | 0;
  f = (g + ((u << 21) | (u >>> 11))) | 0;
  out[0] = (0x67452301 + a) | 0;
  out[1] = ((0xefcdab89 | 0) + b) | 0;
  out[2] = ((0x98badcfe | 0) + c) | 0;
  out[3] = (0x10325476 + d) | 0;
  out[4] = (0x67452301 + e) | 0;
  out[5] = ((0xefcdab89 | 0) + f) | 0;
  out[6] = ((0x98badcfe | 0) + g) | 0;
  out[7] = (0x10325476 + h) | 0;
}

/** The digest as 32 lowercase hex digits, for tests and the published vectors. */
export function md5Hex(text: string): string {
  const words = new Int32Array(4);
  md5Words(text, words);
  let hex = '';
  for (const word of words) {
    for (let i = 0; i < 4; i++) hex += ((word >>> (i * 8)) & 0xff).toString(16).padStart(2, '0');
  }
  return hex;
}
