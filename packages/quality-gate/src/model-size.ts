import type { Check } from '@recsys-actions/core';

const SIZE_UNITS: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KIB: 1024,
  MIB: 1024 ** 2,
  GIB: 1024 ** 3,
  TIB: 1024 ** 4,
};

/** Parses sizes such as `1GB`, `500 MiB` or a plain byte count; undefined when the text is not a size. */
export function parseSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([KMGT]i?B|B)?$/i.exec(text.trim());
  if (!match) return undefined;
  const unit = SIZE_UNITS[(match[2] ?? 'B').toUpperCase()];
  return unit === undefined ? undefined : Math.round(Number(match[1]) * unit);
}

/** A size limit as the user wrote it (`1GB`), with its value in bytes. */
export interface SizeLimit {
  bytes: number;
  text: string;
}

/**
 * The max-model-size rule: always a warning, because size alone rarely justifies blocking a release. The limit
 * is shown as written, and the model's size in the same family of units (GB or GiB), so the two compare at a glance.
 */
export function modelSizeCheck(sizeBytes: number, limit: SizeLimit): Check {
  const tooBig = sizeBytes > limit.bytes;
  const size = formatSizeLike(sizeBytes, limit.text);
  return {
    name: 'model size',
    status: tooBig ? 'warn' : 'pass',
    severity: 'warning',
    threshold: `≤ ${limit.text.trim()}`,
    message: tooBig ? `${size} is above the limit` : size,
  };
}

/** `bytes` in binary units when `written` uses them (MiB), else in decimal ones (MB), to 3 significant digits. */
export function formatSizeLike(bytes: number, written: string): string {
  const binary = /i/i.test(written);
  const base = binary ? 1024 : 1000;
  const units = binary ? ['B', 'KiB', 'MiB', 'GiB', 'TiB'] : ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= base && unit < units.length - 1) {
    value /= base;
    unit += 1;
  }
  return `${unit === 0 ? value : Number(value.toPrecision(3))} ${units[unit]}`;
}
