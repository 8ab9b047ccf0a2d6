import { randomUUID } from 'node:crypto';
import { AwsServiceError } from './errors';

interface AliasState {
  functionVersion: string;
  description: string;
  weights: Record<string, number>;
  revisionId: string;
}

interface FunctionState {
  versions: Set<string>;
  aliases: Map<string, AliasState>;
}

/**
 * Lambda functions with published versions and aliases. UpdateAlias replaces the routing config as Lambda does
 * (absent means unchanged, an empty map clears it), refuses a stale RevisionId, a version that was never
 * published, more than one additional version, and an additional version equal to the primary one. After an
 * update, `staleReads` GetAlias calls still answer the alias as it was, like a read from a lagging replica.
 */
export class LambdaFake {
  readonly functions = new Map<string, FunctionState>();
  staleReads = 0;
  private readonly stale = new Map<string, { alias: AliasState; left: number }>();

  constructor(private readonly region: string) {}

  addFunction(
    name: string,
    versions: string[],
    aliases: Record<string, { version: string; weights?: Record<string, number> }>,
  ): void {
    const state: FunctionState = { versions: new Set(versions), aliases: new Map() };
    for (const [alias, { version, weights }] of Object.entries(aliases)) {
      state.aliases.set(alias, {
        functionVersion: version,
        description: '',
        weights: weights ?? {},
        revisionId: randomUUID(),
      });
    }
    this.functions.set(name, state);
  }

  alias(functionName: string, alias: string): AliasState {
    const found = this.functions.get(functionName)?.aliases.get(alias);
    if (!found)
      throw new AwsServiceError(
        'ResourceNotFoundException',
        `Alias not found: ${this.arn(functionName, alias)}`,
        404,
      );
    return found;
  }

  /** Another writer (the console, a script) changes the alias: a new RevisionId, as Lambda gives it. */
  changeAlias(
    functionName: string,
    alias: string,
    change: Partial<Pick<AliasState, 'functionVersion' | 'description' | 'weights'>>,
  ): void {
    const next = { ...this.alias(functionName, alias), ...change, revisionId: randomUUID() };
    this.functions.get(functionName)?.aliases.set(alias, next);
  }

  handle(operation: string, input: Record<string, unknown>): unknown {
    const functionName = shortName(String(input.FunctionName));
    const name = String(input.Name);
    if (operation === 'GetAlias') return this.describe(functionName, name, this.read(functionName, name));
    if (operation === 'UpdateAlias') return this.update(functionName, name, input);
    throw new AwsServiceError(
      'InvalidParameterValueException',
      `The fake does not serve Lambda ${operation}`,
    );
  }

  private read(functionName: string, name: string): AliasState {
    const current = this.alias(functionName, name);
    const lagging = this.stale.get(`${functionName}:${name}`);
    if (lagging && lagging.left > 0) {
      lagging.left -= 1;
      return lagging.alias;
    }
    return current;
  }

  private update(functionName: string, name: string, input: Record<string, unknown>): unknown {
    const current = this.alias(functionName, name);
    if (input.RevisionId !== undefined && input.RevisionId !== current.revisionId) {
      throw new AwsServiceError(
        'PreconditionFailedException',
        'The Revision Id provided does not match the latest Revision Id. Call the GetAlias API to retrieve the latest Revision Id',
        412,
      );
    }
    const versions = this.functions.get(functionName)?.versions ?? new Set<string>();
    const next: AliasState = { ...current, revisionId: randomUUID() };
    if (input.FunctionVersion !== undefined) next.functionVersion = String(input.FunctionVersion);
    if (input.Description !== undefined) next.description = String(input.Description);
    const routing = input.RoutingConfig as { AdditionalVersionWeights?: Record<string, number> } | undefined;
    if (routing !== undefined) next.weights = routing.AdditionalVersionWeights ?? {};
    for (const version of [next.functionVersion, ...Object.keys(next.weights)]) {
      if (!versions.has(version)) {
        throw new AwsServiceError(
          'ResourceNotFoundException',
          `Function not found: ${this.functionArn(functionName)}:${version}`,
          404,
        );
      }
    }
    if (Object.keys(next.weights).length > 1) {
      throw new AwsServiceError(
        'InvalidParameterValueException',
        'Number of items in AdditionalVersionWeights cannot be greater than 1',
        400,
      );
    }
    if (next.functionVersion in next.weights) {
      throw new AwsServiceError(
        'InvalidParameterValueException',
        'Primary and additional version cannot be the same',
        400,
      );
    }
    this.stale.set(`${functionName}:${name}`, { alias: current, left: this.staleReads });
    this.functions.get(functionName)?.aliases.set(name, next);
    return this.describe(functionName, name, next);
  }

  private describe(functionName: string, name: string, alias: AliasState): unknown {
    return {
      AliasArn: this.arn(functionName, name),
      Name: name,
      FunctionVersion: alias.functionVersion,
      Description: alias.description,
      ...(Object.keys(alias.weights).length > 0
        ? { RoutingConfig: { AdditionalVersionWeights: alias.weights } }
        : {}),
      RevisionId: alias.revisionId,
    };
  }

  private functionArn(functionName: string): string {
    return `arn:aws:lambda:${this.region}:123456789012:function:${functionName}`;
  }

  private arn(functionName: string, alias: string): string {
    return `${this.functionArn(functionName)}:${alias}`;
  }
}

/** A function named by ARN or partial ARN, as Lambda accepts it, reduced to its name. */
function shortName(name: string): string {
  const match = /(?:function:)?([a-zA-Z0-9-_]+)(?::[a-zA-Z0-9-_$]+)?$/.exec(name);
  return match?.[1] ?? name;
}
