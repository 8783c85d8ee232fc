// Where a piece of data is decided (docs/multi-region.md, D2 and D11). A user or group id made in
// several-region mode ends with the tag of the region that created it (`user-<ULID>euwest1`: the
// ULID is upper-case Crockford base32, the tag lower-case, so the split is unambiguous); an id
// without a known tag (made before several regions, or forged) belongs to the primary. A client
// address's rate counters belong to a region drawn from a hash of the counter's key, so a
// per-address limit is one limit, not one per region.

/** `eu-west-1` → `euwest1`: letters and digits only, as ids must be (`^user-[a-zA-Z0-9]+$`). */
export function regionTag(region: string): string {
  return region.replace(/-/g, '');
}

export class HomeRegions {
  /** Longest tag first, so that no tag shadows a longer one it ends. */
  private readonly tags: readonly (readonly [string, string])[];
  private readonly sorted: readonly string[];

  constructor(
    /** The primary first. */
    readonly regions: readonly string[],
    readonly local: string,
  ) {
    this.tags = regions.map((region) => [regionTag(region), region] as const).sort((a, b) => b[0].length - a[0].length);
    this.sorted = [...regions].sort();
  }

  get primary(): string {
    return this.regions[0]!;
  }

  /** The region that decides for a user or group id. */
  ofId(id: string): string {
    for (const [tag, region] of this.tags) if (id.endsWith(tag)) return region;
    return this.primary;
  }

  /** The region that keeps a client address's counter (`register:<address>`...). */
  ofAddress(key: string): string {
    return this.sorted[fnv1a32(key) % this.sorted.length]!;
  }
}

/** FNV-1a, 32 bits, over the UTF-16 code units: stable, fast, and spread enough for a few regions. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
