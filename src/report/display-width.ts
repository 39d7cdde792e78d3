const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** East Asian Wide and Fullwidth blocks: two terminal columns each. */
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1b000, 0x1b2ff],
  [0x1f200, 0x1f2ff],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

const isWide = (cp: number) => WIDE.some(([from, to]) => cp >= from && cp <= to);

function graphemeWidth(g: string): number {
  if (/\p{Emoji_Presentation}/u.test(g) || (/\p{Extended_Pictographic}/u.test(g) && g.includes('\uFE0F'))) return 2;
  if (isWide(g.codePointAt(0)!)) return 2;
  // A combining mark or a format character on its own (a zero-width space, a BOM) takes no column.
  if (/^[\p{Mn}\p{Me}\p{Cf}]+$/u.test(g)) return 0;
  return 1;
}

/** How many columns a terminal gives a text: CJK and emoji take two, combining marks none. */
export function displayWidth(text: string): number {
  // ASCII, by far the most common, needs no segmenting.
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  let width = 0;
  for (const { segment } of graphemes.segment(text)) width += graphemeWidth(segment);
  return width;
}
