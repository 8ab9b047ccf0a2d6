import { UserFacingError } from '@recsys-actions/core';
import { SortedSample } from '@recsys-actions/stats';
import { numericProfileOf, type ColumnProfile, type DatasetProfile } from './profile';

const MAGIC = 'RDP1';
const ALIGNMENT = 8;

type ColumnHeader =
  | { name: string; type: 'numeric'; count: number; missing: number }
  | { name: string; type: 'categorical'; categories: readonly string[]; missing: number };

interface Header {
  rows: number;
  skippedBadRows: number;
  fileColumns: readonly string[];
  columns: ColumnHeader[];
}

const padded = (length: number): number => Math.ceil(length / ALIGNMENT) * ALIGNMENT;

/**
 * A profile as bytes for a cache or an artifact: "RDP1", the JSON header's byte length (uint32 LE), the header,
 * then per column its sorted float64 values or uint32 category counts, each section 8-byte aligned so it is read
 * back without copying. Byte order is little-endian, as typed arrays are on every platform Node runs on.
 */
export function serializeProfile(profile: DatasetProfile): Uint8Array {
  const header: Header = {
    rows: profile.rows,
    skippedBadRows: profile.skippedBadRows,
    fileColumns: profile.fileColumns,
    columns: profile.columns.map((column) =>
      column.type === 'numeric'
        ? { name: column.name, type: 'numeric', count: column.numeric.count, missing: column.numeric.missing }
        : {
            name: column.name,
            type: 'categorical',
            categories: column.categories,
            missing: column.counts.missing,
          },
    ),
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const sections = profile.columns.map((column) =>
    column.type === 'numeric' ? column.numeric.sorted.values : column.counts.counts,
  );
  let offset = padded(8 + headerBytes.length);
  const bytes = new Uint8Array(
    offset + sections.reduce((sum, section) => sum + padded(section.byteLength), 0),
  );
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(4, headerBytes.length, true);
  bytes.set(headerBytes, 8);
  for (const section of sections) {
    bytes.set(new Uint8Array(section.buffer, section.byteOffset, section.byteLength), offset);
    offset += padded(section.byteLength);
  }
  return bytes;
}

export function deserializeProfile(bytes: Uint8Array): DatasetProfile {
  if (bytes.length < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) {
    throw new UserFacingError(
      'The cached reference profile is not a drift profile (RDP1); delete the cache entry to rebuild it.',
    );
  }
  // Copy into a fresh, aligned buffer so typed-array views may start at any section offset.
  const own = new Uint8Array(bytes);
  const headerLength = new DataView(own.buffer).getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(own.subarray(8, 8 + headerLength))) as Header;
  let offset = padded(8 + headerLength);
  const columns = header.columns.map((column): ColumnProfile => {
    if (column.type === 'numeric') {
      const values = new Float64Array(own.buffer, offset, column.count);
      offset += padded(values.byteLength);
      const sorted = SortedSample.ofSorted(values, `cached profile of column '${column.name}'`);
      return { name: column.name, type: 'numeric', numeric: numericProfileOf(sorted, column.missing) };
    }
    const counts = new Uint32Array(own.buffer, offset, column.categories.length);
    offset += padded(counts.byteLength);
    return {
      name: column.name,
      type: 'categorical',
      categories: column.categories,
      counts: { counts, missing: column.missing },
    };
  });
  return {
    rows: header.rows,
    skippedBadRows: header.skippedBadRows,
    fileColumns: header.fileColumns,
    columns,
  };
}
