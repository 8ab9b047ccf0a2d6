import type { ServiceModel, Shape } from './service-model';

function shapeOf(model: ServiceModel, name: string): Shape {
  const shape = model.shapes[name];
  if (!shape) throw new Error(`the model has no shape ${name}`);
  return shape;
}

/**
 * Reads an AWS query-protocol form (`Action=ModifyRule&Actions.member.1.Type=forward&…`) into the structure its
 * model describes, so the same validator checks it as a JSON request. Values stay strings where the model says
 * string and become numbers or booleans where it says so; what cannot be read is left as text for the validator
 * to reject.
 */
export function decodeQueryInput(model: ServiceModel, shapeName: string, form: URLSearchParams): unknown {
  const params = new Map<string, string>();
  for (const [key, value] of form) if (key !== 'Action' && key !== 'Version') params.set(key, value);
  const decoded = (decodeAt(model, shapeName, params, '') ?? {}) as Record<string, unknown>;
  // Top-level keys no member claims are kept, so the validator reports an unknown member rather than losing it.
  const members = model.shapes[shapeName]?.members ?? {};
  const known = new Set(Object.entries(members).map(([name, member]) => member.locationName ?? name));
  for (const key of params.keys()) {
    const head = key.split('.')[0] ?? key;
    if (!known.has(head)) decoded[head] = params.get(key);
  }
  return decoded;
}

function decodeAt(
  model: ServiceModel,
  shapeName: string,
  params: Map<string, string>,
  prefix: string,
): unknown {
  const shape = shapeOf(model, shapeName);
  switch (shape.type) {
    case 'structure':
      return decodeStructure(model, shape, params, prefix);
    case 'list':
      return decodeList(model, shape, params, prefix);
    case 'map':
      return decodeMap(model, shape, params, prefix);
    default:
      return params.has(prefix) ? decodeScalar(shape, params.get(prefix) ?? '') : undefined;
  }
}

function decodeStructure(
  model: ServiceModel,
  shape: Shape,
  params: Map<string, string>,
  prefix: string,
): unknown {
  const result: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(shape.members ?? {})) {
    const value = decodeAt(model, member.shape, params, join(prefix, member.locationName ?? name));
    if (value !== undefined) result[name] = value;
  }
  return Object.keys(result).length > 0 || params.has(prefix) ? result : undefined;
}

function decodeList(model: ServiceModel, shape: Shape, params: Map<string, string>, prefix: string): unknown {
  const base = shape.flattened ? prefix : join(prefix, 'member');
  const items: unknown[] = [];
  for (let index = 1; ; index += 1) {
    const item = decodeAt(model, shape.member?.shape ?? '', params, `${base}.${index}`);
    if (item === undefined) break;
    items.push(item);
  }
  // An empty list is sent as the bare name with an empty value.
  if (items.length === 0) return params.get(prefix) === '' ? [] : undefined;
  return items;
}

function decodeMap(model: ServiceModel, shape: Shape, params: Map<string, string>, prefix: string): unknown {
  const base = shape.flattened ? prefix : join(prefix, 'entry');
  const entries: Record<string, unknown> = {};
  for (let index = 1; params.has(`${base}.${index}.key`); index += 1) {
    entries[params.get(`${base}.${index}.key`) ?? ''] = decodeAt(
      model,
      shape.value?.shape ?? '',
      params,
      `${base}.${index}.value`,
    );
  }
  return Object.keys(entries).length > 0 ? entries : undefined;
}

function decodeScalar(shape: Shape, text: string): unknown {
  switch (shape.type) {
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
      return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    default:
      return text;
  }
}

function join(prefix: string, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}

/** `value` as the query protocol's XML response body of `shapeName`, members in the model's order. */
export function encodeXml(model: ServiceModel, shapeName: string, value: unknown, element: string): string {
  const shape = shapeOf(model, shapeName);
  if (value === undefined || value === null) return '';
  if (shape.type === 'structure') {
    const record = value as Record<string, unknown>;
    const children = Object.entries(shape.members ?? {})
      .map(([name, member]) => encodeXml(model, member.shape, record[name], member.locationName ?? name))
      .join('');
    return `<${element}>${children}</${element}>`;
  }
  if (shape.type === 'list') {
    const items = (value as unknown[]).map((item) =>
      encodeXml(model, shape.member?.shape ?? '', item, shape.member?.locationName ?? 'member'),
    );
    return `<${element}>${items.join('')}</${element}>`;
  }
  if (shape.type === 'timestamp')
    return `<${element}>${new Date(value as string | number).toISOString()}</${element}>`;
  return `<${element}>${escapeXml(String(value))}</${element}>`;
}

export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
