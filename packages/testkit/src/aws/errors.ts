/** A service error the fake answers with, in whatever form the service's protocol gives errors. */
export class AwsServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Faults a test can inject into the next calls of one operation (or of every operation with `'*'`). */
export type AwsFault =
  | { kind: 'throttle'; retryAfterSeconds?: number }
  | { kind: 'not-found' }
  | { kind: 'server-error' }
  /** The call reaches the service but IAM denies it. */
  | { kind: 'access-denied' }
  /** Another writer acts just before the call is served; the call itself is then served as usual. */
  | { kind: 'meanwhile'; change: () => void }
  /** No answer: the fake holds the call `ms` and drops it unserved once the client gave up on it. */
  | { kind: 'hang'; ms: number };

/** The faults the service answers with an error of its own. */
export type AwsErrorFault = Exclude<AwsFault, { kind: 'meanwhile' | 'hang' }>;

/** How each service names the errors the faults stand for (codes and statuses as the service sends them). */
export const FAULT_CODES: Record<string, Record<AwsErrorFault['kind'], { code: string; status: number }>> = {
  sagemaker: {
    throttle: { code: 'ThrottlingException', status: 400 },
    'not-found': { code: 'ResourceNotFound', status: 400 },
    'server-error': { code: 'InternalFailure', status: 500 },
    'access-denied': { code: 'AccessDeniedException', status: 400 },
  },
  lambda: {
    throttle: { code: 'TooManyRequestsException', status: 429 },
    'not-found': { code: 'ResourceNotFoundException', status: 404 },
    'server-error': { code: 'ServiceException', status: 500 },
    'access-denied': { code: 'AccessDeniedException', status: 403 },
  },
  elasticloadbalancing: {
    throttle: { code: 'Throttling', status: 400 },
    'not-found': { code: 'ListenerNotFound', status: 400 },
    'server-error': { code: 'InternalFailure', status: 500 },
    'access-denied': { code: 'AccessDenied', status: 403 },
  },
  monitoring: {
    throttle: { code: 'Throttling', status: 400 },
    'not-found': { code: 'ResourceNotFound', status: 404 },
    'server-error': { code: 'InternalServiceError', status: 500 },
    'access-denied': { code: 'AccessDenied', status: 403 },
  },
};

export function faultCode(service: string, kind: AwsErrorFault['kind']): { code: string; status: number } {
  return FAULT_CODES[service]?.[kind] ?? { code: 'InternalFailure', status: 500 };
}

/** The IAM service prefix of each signing name (CloudWatch signs as `monitoring` but is `cloudwatch` in IAM). */
export const IAM_PREFIX: Record<string, string> = {
  sagemaker: 'sagemaker',
  lambda: 'lambda',
  elasticloadbalancing: 'elasticloadbalancing',
  monitoring: 'cloudwatch',
};

export function accessDenied(service: string, action: string, resource: string): AwsServiceError {
  const { code, status } = faultCode(service, 'access-denied');
  return new AwsServiceError(
    code,
    `User: arn:aws:sts::123456789012:assumed-role/recsys-release/ci is not authorized to perform: ${IAM_PREFIX[service]}:${action} on resource: ${resource} because no identity-based policy allows the ${IAM_PREFIX[service]}:${action} action`,
    status,
  );
}
