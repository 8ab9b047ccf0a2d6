import { existsSync, readFileSync } from 'node:fs';
import { parseAllDocuments, type Document } from 'yaml';
import { DataError, sha256, UserFacingError, writeFileAtomic } from '@recsys-actions/core';
import { withLock } from '../../lock';
import { routerWorkspacePath } from '../workspace-path';
import { ResourceVersionConflict, type JsonPatchOperation, type KubeObject, type ObjectRef } from './client';
import type { RouteStore } from './rule-router';

/**
 * The object as a manifest in the repository (a plain YAML file, possibly of several documents, or a kustomize
 * patch file holding the rules), for Argo CD and Flux to sync once the step pushes it. Edited through the
 * `yaml` Document API, so comments, key order and quoting outside the changed weights stay as they were. The
 * file's hash plays the resourceVersion: a write planned on other content is refused.
 */
export function gitStore(ref: ObjectRef, relativePath: string, workspace: string): RouteStore {
  const router = ref.kind === 'HTTPRoute' ? 'gateway-api' : 'istio';
  const path = routerWorkspacePath(router, relativePath, workspace, '{ mode: git, path: deploy/route.yaml }');
  const what = `${ref.kind} ${ref.namespace}/${ref.name} in ${relativePath}`;
  const load = () => {
    if (!existsSync(path)) {
      throw new UserFacingError(
        `${relativePath} does not exist; router-config path must name the manifest of ${ref.kind} ${ref.name}.`,
      );
    }
    const text = readFileSync(path, 'utf8');
    const documents = parseAllDocuments(text);
    if (!Array.isArray(documents)) throw new DataError(relativePath, 'is empty');
    return { text, documents, document: findDocument(documents, ref, relativePath) };
  };
  return {
    description: what,
    lockTarget: `file:${path}`,
    credentials: [],
    workspaceFiles: [relativePath],
    hasStatus: false,
    async read() {
      const { text, document } = load();
      return { object: document.toJS() as KubeObject, version: hashOf(text) };
    },
    async write(operations, version) {
      await withLock(`${path}.lock`, async () => {
        const { text, documents, document } = load();
        if (hashOf(text) !== version) throw new ResourceVersionConflict(`${relativePath} changed`);
        for (const operation of operations) applyToDocument(document, operation);
        const rendered = documents.map((each) => each.toString({ lineWidth: 0 })).join('');
        writeFileAtomic(path, keepUntouchedLines(text, rendered));
      });
      return undefined; // verify reads the manifest back
    },
  };
}

function hashOf(text: string): string {
  return sha256().update(text).digest('hex');
}

/** The document of this kind and name; a kustomize patch may leave the namespace out. */
function findDocument(documents: Document[], ref: ObjectRef, shownAs: string): Document {
  for (const document of documents) {
    if (document.errors.length > 0) {
      throw new DataError(shownAs, `is not valid YAML: ${document.errors[0]?.message ?? ''}`);
    }
    const object = document.toJS() as Partial<KubeObject> | null;
    const namespace = object?.metadata?.namespace;
    if (
      object?.kind === ref.kind &&
      object.metadata?.name === ref.name &&
      (namespace === undefined || namespace === ref.namespace)
    ) {
      return document;
    }
  }
  throw new UserFacingError(
    `${shownAs} holds no ${ref.kind} named ${ref.name} in namespace ${ref.namespace}; check router-config name, ` +
      'namespace and path. Nothing was changed.',
  );
}

/** The router's JSON patch operations (`add` of a member, or of `-` to append; `remove`), on the YAML nodes. */
function applyToDocument(document: Document, operation: JsonPatchOperation): void {
  const keys = operation.path
    .slice(1)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((token) => (/^\d+$/.test(token) ? Number(token) : token));
  if (operation.op === 'remove') document.deleteIn(keys);
  else if (keys.at(-1) === '-') document.addIn(keys.slice(0, -1), document.createNode(operation.value));
  else document.setIn(keys, document.createNode(operation.value));
}

/**
 * The rendered file, with every line the change did not touch taken from the original: the renderer has one
 * padding style for all flow collections and may space them otherwise than the author did. Lines are matched
 * by a longest common subsequence, comparing them without the spaces around brackets and commas.
 */
function keepUntouchedLines(original: string, rendered: string): string {
  const before = original.split('\n');
  const after = rendered.split('\n');
  const key = (line: string) => line.replace(/\s*([[\]{},])\s*/g, '$1').trimEnd();
  const a = before.map(key);
  const b = after.map(key);
  // common(i, j): the length of the longest common subsequence of a[i..] and b[j..].
  const width = b.length + 1;
  const table = new Int32Array((a.length + 1) * width);
  const common = (i: number, j: number) => table[i * width + j] ?? 0;
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      table[i * width + j] =
        a[i] === b[j] ? common(i + 1, j + 1) + 1 : Math.max(common(i + 1, j), common(i, j + 1));
    }
  }
  const lines: string[] = [];
  let i = 0;
  let j = 0;
  while (j < b.length) {
    if (i < a.length && a[i] === b[j]) {
      lines.push(before[i] ?? '');
      i += 1;
      j += 1;
    } else if (i < a.length && common(i + 1, j) >= common(i, j + 1)) {
      i += 1;
    } else {
      lines.push(after[j] ?? '');
      j += 1;
    }
  }
  return lines.join('\n');
}
