import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { parseAllDocuments, type Document } from 'yaml';
import { DataError, UserFacingError, writeFileAtomic } from '@recsys-actions/core';
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
        writeFileAtomic(path, documents.map((each) => each.toString()).join(''));
      });
    },
  };
}

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
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

/** The router's JSON patch operations (`add` of a member, or of `-` to append), on the YAML nodes. */
function applyToDocument(document: Document, operation: JsonPatchOperation): void {
  const keys = operation.path
    .slice(1)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((token) => (/^\d+$/.test(token) ? Number(token) : token));
  if (keys.at(-1) === '-') document.addIn(keys.slice(0, -1), document.createNode(operation.value));
  else document.setIn(keys, document.createNode(operation.value));
}
