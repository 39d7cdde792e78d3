import type { Diagnostic } from '../../shared/diagnostic.js';

export type Decoded = { text: string } | { diagnostic: Diagnostic };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Bytes → text, or a diagnostic naming the line and column of the first byte that is not UTF-8. */
export function decodeUtf8(file: string, bytes: Uint8Array): Decoded {
  try {
    return { text: decoder.decode(bytes) };
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    const head = new TextDecoder('utf-8').decode(bytes.subarray(0, offset));
    const lines = head.split('\n');
    const byte = bytes[offset] ?? 0;
    return {
      diagnostic: {
        severity: 'error',
        code: 'file-encoding',
        file,
        line: lines.length,
        column: (lines.at(-1)?.length ?? 0) + 1,
        message: `File is not valid UTF-8: byte 0x${byte.toString(16).padStart(2, '0')} at offset ${offset} cannot start or continue a character.`,
        hint: 'Save the file as UTF-8 (most editors: "Save with encoding" → UTF-8).',
      },
    };
  }
}

function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need =
      b < 0x80
        ? 0
        : b >= 0xc2 && b <= 0xdf
          ? 1
          : b >= 0xe0 && b <= 0xef
            ? 2
            : b >= 0xf0 && b <= 0xf4
              ? 3
              : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    // Overlong forms, surrogates and code points above U+10FFFF.
    const c1 = bytes[i + 1] ?? 0;
    if (
      (b === 0xe0 && c1 < 0xa0) ||
      (b === 0xed && c1 > 0x9f) ||
      (b === 0xf0 && c1 < 0x90) ||
      (b === 0xf4 && c1 > 0x8f)
    ) {
      return i;
    }
    i += need + 1;
  }
  return bytes.length;
}
