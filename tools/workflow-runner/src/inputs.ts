import type { InputConfig, SecretConfig } from '@actions/workflow-parser/model/workflow-template';
import { UserFacingError } from '@recsys-actions/core';
import type { Value } from './expressions';

/**
 * The `inputs` context of a workflow_dispatch or workflow_call run: the given values checked against the
 * declarations, defaults filled in, booleans and numbers as such. `where` names the caller in messages.
 */
export function resolveInputs(
  declared: Record<string, InputConfig> | undefined,
  given: Record<string, Value>,
  where: string,
): Record<string, Value> {
  const declarations = declared ?? {};
  for (const name of Object.keys(given))
    if (!(name in declarations))
      throw new UserFacingError(
        `${where} passes input '${name}', which the workflow does not declare; it declares: ${Object.keys(declarations).join(', ') || 'none'}.`,
      );
  const inputs: Record<string, Value> = {};
  for (const [name, declaration] of Object.entries(declarations)) {
    const value = given[name] ?? declaration.default;
    if (value === undefined && declaration.required)
      throw new UserFacingError(
        `${where} does not pass the required input '${name}'. Example: --input ${name}=<value>`,
      );
    inputs[name] = typed(name, declaration, value, where);
  }
  return inputs;
}

function typed(name: string, declaration: InputConfig, value: Value | undefined, where: string): Value {
  const type = String(declaration.type ?? 'string');
  if (type === 'boolean') {
    if (value === undefined) return false;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    throw new UserFacingError(
      `${where} passes input '${name}' as '${String(value)}'; it is a boolean. Example: ${name}=true`,
    );
  }
  if (type === 'number') {
    const number = Number(value ?? 0);
    if (Number.isNaN(number))
      throw new UserFacingError(
        `${where} passes input '${name}' as '${String(value)}'; it is a number. Example: ${name}=3`,
      );
    return number;
  }
  const text = value === undefined || value === null ? '' : String(value);
  if (type === 'choice' && declaration.options && !declaration.options.includes(text))
    throw new UserFacingError(
      `${where} passes input '${name}' as '${text}'; it is one of: ${declaration.options.join(', ')}.`,
    );
  return text;
}

/** The `secrets` context of a called workflow: only declared secrets may be passed, required ones must be. */
export function resolveSecrets(
  declared: Record<string, SecretConfig> | undefined,
  given: Record<string, string>,
  where: string,
): Record<string, string> {
  const declarations = declared ?? {};
  for (const name of Object.keys(given))
    if (!(name in declarations) && name !== 'GITHUB_TOKEN')
      throw new UserFacingError(`${where} passes secret '${name}', which the workflow does not declare.`);
  for (const [name, declaration] of Object.entries(declarations))
    if (declaration.required && !given[name])
      throw new UserFacingError(
        `${where} does not pass the required secret '${name}'. Example: --secret ${name}=<value>`,
      );
  return given;
}
