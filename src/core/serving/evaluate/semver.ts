/** A parsed semantic version: numbers and pre-release identifiers (build metadata ignored). */
interface Version {
  core: [number, number, number];
  pre: Array<string | number>;
}

const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$/;

// The last text parsed: one context's version is compared by every flag evaluated for it (50 in an
// OFREP bulk request), so it is parsed once, not once per flag. Versions are never changed after.
let lastText: string | undefined;
let lastVersion: Version | undefined;

export function parseSemver(text: string): Version | undefined {
  if (text === lastText) return lastVersion;
  let version: Version | undefined;
  const m = text.length > 256 ? null : SEMVER.exec(text.trim());
  if (m) {
    const pre = m[4] ? m[4].split('.').map((id) => (/^\d+$/.test(id) ? Number(id) : id)) : [];
    version = { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre };
  }
  lastText = text;
  lastVersion = version;
  return version;
}

/** Precedence as SemVer 2.0 §11: core numbers, then a pre-release ranks below its release. */
export function compareSemver(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a.core[i] !== b.core[i]) return a.core[i]! < b.core[i]! ? -1 : 1;
  // A release outranks its pre-releases: the side without pre-release identifiers is the greater.
  if (a.pre.length === 0 || b.pre.length === 0) return Math.sign(b.pre.length - a.pre.length);
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i]!;
    const y = b.pre[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return Math.sign(a.pre.length - b.pre.length);
}
