import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The access key the fakes accept, with its secret: set them as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. */
export const TEST_CREDENTIALS = {
  accessKeyId: 'AKIATESTRECSYSFAKE01',
  secretAccessKey: 'fake/secret/for/loopback/tests/only/0000',
} as const;

export interface SignedRequest {
  method: string;
  /** The path and query exactly as they came over the wire. */
  rawUrl: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type SignatureVerdict =
  | { ok: true; region: string; service: string }
  | {
      ok: false;
      code: 'MissingAuthenticationToken' | 'UnrecognizedClientException' | 'InvalidSignatureException';
      message: string;
    };

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

/**
 * Checks a request's AWS Signature Version 4 (header form) the way AWS does: rebuilds the canonical request from
 * what arrived, derives the signing key from the known secret and compares signatures. Host and x-amz-date must
 * be signed, and the date must be the scope's day.
 */
export function verifySigV4(request: SignedRequest, secrets: Record<string, string>): SignatureVerdict {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? AUTHORIZATION.exec(header) : null;
  if (!match)
    return {
      ok: false,
      code: 'MissingAuthenticationToken',
      message: 'Missing or malformed SigV4 Authorization header',
    };
  const [, accessKeyId = '', day = '', region = '', service = '', signedHeaderList = '', signature = ''] =
    match;
  const secret = secrets[accessKeyId];
  if (secret === undefined) {
    return {
      ok: false,
      code: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    };
  }
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date') || !amzDate.startsWith(day)) {
    return {
      ok: false,
      code: 'InvalidSignatureException',
      message: 'host and x-amz-date must be signed, on the scope day',
    };
  }
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    sha256Hex(canonicalRequest(request, signedHeaders)),
  ].join('\n');
  const key = [day, region, service, 'aws4_request'].reduce<Buffer>(
    (previous, part) => hmac(previous, part),
    Buffer.from(`AWS4${secret}`),
  );
  const expected = hmac(key, stringToSign);
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
    return {
      ok: false,
      code: 'InvalidSignatureException',
      message: 'The request signature we calculated does not match the signature you provided.',
    };
  }
  return { ok: true, region: region, service: service };
}

function canonicalRequest(request: SignedRequest, signedHeaders: string[]): string {
  const [path = '/', query = ''] = request.rawUrl.split('?', 2);
  const payloadHash = request.headers['x-amz-content-sha256'];
  return [
    request.method,
    // Services other than S3 sign each path segment encoded once more than it travels.
    path.split('/').map(escapeStrict).join('/'),
    canonicalQuery(query),
    signedHeaders.map((name) => `${name}:${headerValue(request.headers[name])}\n`).join(''),
    signedHeaders.join(';'),
    typeof payloadHash === 'string' ? payloadHash : sha256Hex(request.body),
  ].join('\n');
}

function canonicalQuery(query: string): string {
  if (query === '') return '';
  return query
    .split('&')
    .map((pair) => {
      const [name = '', value = ''] = pair.split('=', 2);
      return [escapeStrict(decode(name)), escapeStrict(decode(value))];
    })
    .sort(([a = '', b = ''], [c = '', d = '']) => compare(a, c) || compare(b, d))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function headerValue(value: string | string[] | undefined): string {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return joined.trim().replace(/\s+/g, ' ');
}

function decode(text: string): string {
  return decodeURIComponent(text.replaceAll('+', ' '));
}

/** RFC 3986 unreserved characters stay, everything else is percent-encoded. */
function escapeStrict(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function hmac(key: Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
