/** Why a patch could not be applied; the server answers it as 422 (or 400 for a malformed body). */
export class PatchError extends Error {
  constructor(
    readonly status: 400 | 422,
    message: string,
  ) {
    super(message);
  }
}

type Json = unknown;
type Container = Record<string, Json> | Json[];

interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'test' | 'move' | 'copy';
  path: string;
  value?: Json;
  from?: string;
}

/** RFC 6902 JSON Patch, all six operations; a failed `test` fails the whole patch, as the API server does. */
export function applyJsonPatch(document: Json, patch: unknown): Json {
  if (!Array.isArray(patch)) throw new PatchError(400, 'json patch body must be an array of operations');
  let result = structuredClone(document);
  for (const operation of patch as JsonPatchOperation[]) result = applyOperation(result, operation);
  return result;
}

function applyOperation(document: Json, operation: JsonPatchOperation): Json {
  switch (operation.op) {
    case 'add':
      return setAt(document, operation.path, operation.value, 'add');
    case 'replace':
      valueAt(document, operation.path);
      return setAt(document, operation.path, operation.value, 'replace');
    case 'remove':
      return removeAt(document, operation.path);
    case 'test':
      if (JSON.stringify(valueAt(document, operation.path)) !== JSON.stringify(operation.value)) {
        throw new PatchError(
          422,
          `the server rejected our request due to an error in our request: testing value ${operation.path} failed`,
        );
      }
      return document;
    case 'copy':
      return setAt(document, operation.path, structuredClone(valueAt(document, operation.from ?? '')), 'add');
    case 'move': {
      const value = valueAt(document, operation.from ?? '');
      return setAt(removeAt(document, operation.from ?? ''), operation.path, value, 'add');
    }
    default:
      throw new PatchError(
        400,
        `unexpected json patch operation '${String((operation as { op: unknown }).op)}'`,
      );
  }
}

function tokens(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(400, `json patch path '${path}' must start with '/'`);
  return path
    .slice(1)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function valueAt(document: Json, path: string): Json {
  let current = document;
  for (const token of tokens(path)) {
    const next = childOf(current, token);
    if (next === undefined) throw new PatchError(422, `doc is missing path: "${path}": missing value`);
    current = next;
  }
  return current;
}

function childOf(container: Json, token: string): Json {
  if (Array.isArray(container)) return /^\d+$/.test(token) ? container[Number(token)] : undefined;
  if (container !== null && typeof container === 'object') return (container as Record<string, Json>)[token];
  return undefined;
}

/** The container holding the path's last token, which must exist. */
function parentOf(document: Json, path: string): { parent: Container; key: string } {
  const parts = tokens(path);
  const key = parts.pop();
  if (key === undefined) throw new PatchError(422, 'json patch cannot replace the whole document');
  const parent = valueAt(
    document,
    parts.map((part) => `/${part.replaceAll('~', '~0').replaceAll('/', '~1')}`).join(''),
  );
  if (parent === null || typeof parent !== 'object') {
    throw new PatchError(422, `doc is missing path: "${path}": not a container`);
  }
  return { parent: parent as Container, key };
}

function setAt(document: Json, path: string, value: Json, mode: 'add' | 'replace'): Json {
  if (path === '') return value;
  const { parent, key } = parentOf(document, path);
  if (!Array.isArray(parent)) {
    parent[key] = value;
    return document;
  }
  const index = key === '-' ? parent.length : Number(key);
  const limit = mode === 'add' ? parent.length : parent.length - 1;
  if (!/^\d+$|^-$/.test(key) || index > limit) {
    throw new PatchError(422, `unable to access invalid index: ${key}`);
  }
  if (mode === 'add') parent.splice(index, 0, value);
  else parent[index] = value;
  return document;
}

function removeAt(document: Json, path: string): Json {
  valueAt(document, path);
  const { parent, key } = parentOf(document, path);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else Reflect.deleteProperty(parent, key);
  return document;
}

/** RFC 7386 JSON Merge Patch: objects merge, `null` removes, anything else (arrays too) replaces. */
export function applyMergePatch(document: Json, patch: Json): Json {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return structuredClone(patch);
  const base =
    document !== null && typeof document === 'object' && !Array.isArray(document)
      ? { ...(document as Record<string, Json>) }
      : {};
  for (const [key, value] of Object.entries(patch as Record<string, Json>)) {
    if (value === null) Reflect.deleteProperty(base, key);
    else base[key] = applyMergePatch(base[key], value);
  }
  return base;
}
