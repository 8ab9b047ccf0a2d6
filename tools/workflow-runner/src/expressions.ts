import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import {
  isBasicExpression,
  isBoolean,
  isMapping,
  isNumber,
  isSequence,
  isString,
} from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/index';
import { UserFacingError } from '@recsys-actions/core';

/** A plain JSON value: what contexts hold and what expressions give back. */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

/** What success(), failure() and cancelled() answer where an expression is evaluated. */
export interface Status {
  success: boolean;
  failure: boolean;
  cancelled: boolean;
}

/** The named contexts (github, inputs, steps, ...) and the status an expression is evaluated with. */
export interface Scope {
  contexts: Record<string, Value>;
  status: Status;
}

// The status functions are not part of @actions/expressions' built-ins: the runner supplies them, so do we.
function statusFunctions(status: Status): Map<string, FunctionDefinition> {
  const define = (name: string, answer: () => boolean): [string, FunctionDefinition] => [
    name,
    { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(answer()) },
  ];
  return new Map([
    define('success', () => status.success),
    define('failure', () => status.failure),
    define('cancelled', () => status.cancelled),
    define('always', () => true),
  ]);
}

function toData(value: Value): data.ExpressionData {
  return JSON.parse(JSON.stringify(value), data.reviver) as data.ExpressionData;
}

function fromData(result: data.ExpressionData): Value {
  return JSON.parse(JSON.stringify(result, data.replacer) ?? 'null') as Value;
}

/** An expression that cannot be evaluated: it fails the job or step it belongs to, as on GitHub. */
export class ExpressionError extends UserFacingError {
  override name = 'ExpressionError';
}

/** Evaluates one expression (the text inside `${{ }}`) with GitHub's own parser and evaluator. */
export function evaluateExpression(expression: string, scope: Scope): Value {
  const functions = statusFunctions(scope.status);
  try {
    const tokens = new Lexer(expression).lex().tokens;
    const tree = new Parser(tokens, Object.keys(scope.contexts), [...functions.values()]).parse();
    const context = new data.Dictionary(
      ...Object.entries(scope.contexts).map(([key, value]) => ({ key, value: toData(value) })),
    );
    return fromData(new Evaluator(tree, context, functions).evaluate());
  } catch (error) {
    throw new ExpressionError(`cannot evaluate \${{ ${expression} }}: ${(error as Error).message}`);
  }
}

/** A template token (a scalar, mapping or sequence, any part of it an expression) as a plain value. */
export function evaluateToken(token: TemplateToken, scope: Scope): Value {
  if (isBasicExpression(token)) return evaluateExpression(token.expression, scope);
  if (isString(token) || isBoolean(token) || isNumber(token)) return token.value;
  if (isSequence(token)) return [...token].map((item) => evaluateToken(item, scope));
  if (isMapping(token)) {
    const result: Record<string, Value> = {};
    for (const pair of token)
      result[String(evaluateToken(pair.key, scope))] = evaluateToken(pair.value, scope);
    return result;
  }
  return null;
}

/** A value as the runner writes it into a string: `${{ }}` results, env values and action inputs. */
export function asText(value: Value): string {
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value, null, 2);
  return String(value);
}

export function evaluateText(token: TemplateToken | undefined, scope: Scope): string {
  return token === undefined ? '' : asText(evaluateToken(token, scope));
}

/** A mapping token (env:, with:, outputs:) as name → text. */
export function evaluateMapping(token: TemplateToken | undefined, scope: Scope): Record<string, string> {
  if (token === undefined) return {};
  const value = evaluateToken(token, scope);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, asText(item)]));
}

/** Truthiness as GitHub defines it: false, 0, '', null are false. */
export function isTruthy(value: Value): boolean {
  return !(value === false || value === 0 || value === '' || value === null || Number.isNaN(value));
}
