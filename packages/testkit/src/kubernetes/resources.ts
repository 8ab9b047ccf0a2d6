import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { DestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import { VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import { Service } from 'kubernetes-models/v1/Service';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';

/** A Kubernetes object as JSON: what the fake stores and serves. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; generation?: number } & Record<
    string,
    unknown
  >;
  spec?: unknown;
  status?: unknown;
  [field: string]: unknown;
}

/** One kind the fake serves, with the official model whose validator checks every body it stores. */
export interface ResourceKind {
  group: string;
  version: string;
  plural: string;
  kind: string;
  validate(object: KubeObject): void;
}

type ModelClass = new (data: KubeObject) => { validate(): void };

function kindOf(
  group: string,
  version: string,
  plural: string,
  kind: string,
  model: ModelClass,
): ResourceKind {
  return { group, version, plural, kind, validate: (object) => new model(object).validate() };
}

/** The kinds the fake knows; a request for any other resource is answered 404 as by a server without its CRD. */
export const RESOURCE_KINDS: readonly ResourceKind[] = [
  kindOf('gateway.networking.k8s.io', 'v1', 'httproutes', 'HTTPRoute', HTTPRoute as unknown as ModelClass),
  kindOf(
    'networking.istio.io',
    'v1',
    'virtualservices',
    'VirtualService',
    VirtualService as unknown as ModelClass,
  ),
  kindOf(
    'networking.istio.io',
    'v1',
    'destinationrules',
    'DestinationRule',
    DestinationRule as unknown as ModelClass,
  ),
  kindOf('', 'v1', 'services', 'Service', Service as unknown as ModelClass),
  kindOf('', 'v1', 'configmaps', 'ConfigMap', ConfigMap as unknown as ModelClass),
];

export function apiVersionOf(kind: ResourceKind): string {
  return kind.group === '' ? kind.version : `${kind.group}/${kind.version}`;
}

/** `httproutes.gateway.networking.k8s.io`, as the API server names a resource in its messages. */
export function qualifiedResource(kind: ResourceKind): string {
  return kind.group === '' ? kind.plural : `${kind.plural}.${kind.group}`;
}
