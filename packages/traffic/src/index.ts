export * from './split';
export * from './assign';
export * from './lock';
export * from './router';
export * from './environment';
export * from './registry';
export { applyOverObserved } from './precondition';
export {
  fileRouterBackend,
  fileRouterConfigSchema,
  readTrafficFile,
  type FileRouterConfig,
  type TrafficFile,
} from './routers/file';
export { nginxRouterConfigSchema, type NginxRouterConfig } from './routers/nginx/config';
export { nginxRouterBackend } from './routers/nginx/router';
export {
  renderNginxConfig,
  splitFromNginxConfig,
  upstreamVariable,
  shadowUpstreamVariable,
  PROBE_PATH,
  SHADOW_LOCATION,
} from './routers/nginx/render';
export { NginxConfigDisagreementError, NginxUnreachableError } from './routers/nginx/live';
export { commandRouterBackend, commandRouterConfigSchema, type CommandRouterConfig } from './routers/command';
export {
  gatewayApiRouterBackend,
  gatewayApiRouterConfigSchema,
  type GatewayApiRouterConfig,
} from './routers/gateway-api';
export { istioRouterBackend, istioRouterConfigSchema, type IstioRouterConfig } from './routers/istio';
export { SPLIT_ANNOTATION } from './routers/kubernetes/weighted-rule';
export {
  sageMakerRouterBackend,
  sageMakerRouterConfigSchema,
  type SageMakerRouterConfig,
} from './routers/sagemaker';
export { lambdaRouterBackend, lambdaRouterConfigSchema, type LambdaRouterConfig } from './routers/lambda';
export { albRouterBackend, albRouterConfigSchema, type AlbRouterConfig } from './routers/alb';
