import { formatBytes, type Check } from '@recsys-actions/core';

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

/** The max-model-size rule: always a warning, because size alone rarely justifies blocking a release. */
export function modelSizeCheck(sizeBytes: number, maxBytes: number): Check {
  const tooBig = sizeBytes > maxBytes;
  return {
    name: 'model size',
    status: tooBig ? 'warn' : 'pass',
    severity: 'warning',
    value: sizeBytes,
    threshold: `≤ ${formatBytes(maxBytes)}`,
    message: tooBig ? `${formatBytes(sizeBytes)} is above the limit` : formatBytes(sizeBytes),
  };
}
