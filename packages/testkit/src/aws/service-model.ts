import { existsSync, readFileSync } from 'node:fs';

/**
 * Where Debian's python3-botocore keeps the AWS service models (late 2022). The fakes load them at test time,
 * so every request the SDK sends is checked against what AWS publishes, not against our own idea of it.
 */
export const BOTOCORE_DATA = '/usr/lib/python3/dist-packages/botocore/data';

export interface ShapeMember {
  shape: string;
  locationName?: string;
  location?: string;
  flattened?: boolean;
}

export interface Shape {
  type: string;
  required?: string[];
  members?: Record<string, ShapeMember>;
  member?: ShapeMember;
  key?: ShapeMember;
  value?: ShapeMember;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
  flattened?: boolean;
}

export interface Operation {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: { shape: string };
  output?: { shape: string; resultWrapper?: string };
  /** The error shapes the operation may answer. */
  errors?: { shape: string }[];
}

export interface ServiceModel {
  metadata: Record<string, string>;
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

const loaded = new Map<string, ServiceModel>();

/** The botocore model of `service` at `version`; throws naming the Debian package when it is missing. */
export function loadServiceModel(service: string, version: string): ServiceModel {
  const path = `${BOTOCORE_DATA}/${service}/${version}/service-2.json`;
  const cached = loaded.get(path);
  if (cached) return cached;
  if (!existsSync(path)) {
    throw new Error(
      `${path} is missing: install Debian's python3-botocore (apt-get install -y python3-botocore)`,
    );
  }
  const model = JSON.parse(readFileSync(path, 'utf8')) as ServiceModel;
  loaded.set(path, model);
  return model;
}

/**
 * What the service would reject in `value` as an instance of `shapeName`: missing required members, unknown
 * members, wrong types, lengths and ranges out of bounds, values outside an enum. Empty when it is valid.
 */
export function validateShape(model: ServiceModel, shapeName: string, value: unknown, path = ''): string[] {
  const shape = model.shapes[shapeName];
  if (!shape) return [`${path || 'input'}: the model has no shape ${shapeName}`];
  const at = path || 'input';
  switch (shape.type) {
    case 'structure':
      return validateStructure(model, shape, value, at);
    case 'list':
      return validateList(model, shape, value, at);
    case 'map':
      return validateMap(model, shape, value, at);
    default:
      return validateScalar(shape, value, at);
  }
}

function validateStructure(model: ServiceModel, shape: Shape, value: unknown, at: string): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [`${at}: must be a structure`];
  const record = value as Record<string, unknown>;
  const members = shape.members ?? {};
  const problems = (shape.required ?? [])
    .filter((name) => record[name] === undefined)
    .map((name) => `${at}.${name}: is required`);
  for (const [name, member] of Object.entries(record)) {
    if (member === undefined) continue;
    const definition = members[name];
    if (!definition) problems.push(`${at}.${name}: is not a member of this structure`);
    else problems.push(...validateShape(model, definition.shape, member, `${at}.${name}`));
  }
  return problems;
}

function validateList(model: ServiceModel, shape: Shape, value: unknown, at: string): string[] {
  if (!Array.isArray(value)) return [`${at}: must be a list`];
  const problems = lengthProblems(shape, value.length, at, 'items');
  value.forEach((item, index) =>
    problems.push(...validateShape(model, shape.member?.shape ?? '', item, `${at}[${index}]`)),
  );
  return problems;
}

function validateMap(model: ServiceModel, shape: Shape, value: unknown, at: string): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: must be a map`];
  const entries = Object.entries(value as Record<string, unknown>);
  const problems = lengthProblems(shape, entries.length, at, 'entries');
  for (const [key, item] of entries) {
    problems.push(...validateShape(model, shape.key?.shape ?? '', key, `${at} key '${key}'`));
    problems.push(...validateShape(model, shape.value?.shape ?? '', item, `${at}.${key}`));
  }
  return problems;
}

function validateScalar(shape: Shape, value: unknown, at: string): string[] {
  switch (shape.type) {
    case 'string': {
      if (typeof value !== 'string') return [`${at}: must be a string`];
      const problems = lengthProblems(shape, value.length, at, 'characters');
      if (shape.enum && !shape.enum.includes(value))
        problems.push(`${at}: must be one of ${shape.enum.join(', ')}`);
      if (shape.pattern && !matchesPattern(shape.pattern, value)) {
        problems.push(`${at}: does not match ${shape.pattern}`);
      }
      return problems;
    }
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) return [`${at}: must be an integer`];
      return rangeProblems(shape, value, at);
    case 'float':
    case 'double':
      if (typeof value !== 'number' || !Number.isFinite(value)) return [`${at}: must be a number`];
      return rangeProblems(shape, value, at);
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: must be a boolean`];
    case 'timestamp':
      // JSON protocols send epoch seconds, query sends ISO 8601.
      return typeof value === 'number' || (typeof value === 'string' && !Number.isNaN(Date.parse(value)))
        ? []
        : [`${at}: must be a timestamp`];
    case 'blob':
      return typeof value === 'string' ? [] : [`${at}: must be base64 text`];
    default:
      return [`${at}: the fake does not know shapes of type ${shape.type}`];
  }
}

function lengthProblems(shape: Shape, length: number, at: string, unit: string): string[] {
  if (shape.min !== undefined && length < shape.min) return [`${at}: needs at least ${shape.min} ${unit}`];
  if (shape.max !== undefined && length > shape.max) return [`${at}: allows at most ${shape.max} ${unit}`];
  return [];
}

function rangeProblems(shape: Shape, value: number, at: string): string[] {
  if (shape.min !== undefined && value < shape.min) return [`${at}: must be at least ${shape.min}`];
  if (shape.max !== undefined && value > shape.max) return [`${at}: must be at most ${shape.max}`];
  return [];
}

/** Botocore patterns are Java regular expressions; the few JavaScript cannot compile are not checked. */
function matchesPattern(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return true;
  }
}
