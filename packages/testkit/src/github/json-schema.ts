import type { JsonObject } from './openapi';

/** The `$id` under which GitHub's component schemas are registered with ajv. */
export const GITHUB_SCHEMAS_ID = 'https://api.github.com/openapi.json';

/** Prose and samples that validation never reads; dropping them keeps ajv's copy of the description small. */
const DOCUMENTATION_KEYWORDS = new Set(['description', 'example', 'examples', 'title', 'externalDocs']);

const COMPOSITION_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'not', '$ref'];

/**
 * Rewrites an OpenAPI 3.0 schema (GitHub's, or another description registered under `documentId`) as the JSON
 * Schema ajv validates: `nullable: true` becomes an explicit `null`
 * alternative (ajv's own `nullable` support rejects it without `type` and ignores `enum`), and local
 * `#/components/...` references point into the registered document so inline schemas resolve them too.
 */
export function toJsonSchema(schema: unknown, documentId = GITHUB_SCHEMAS_ID): unknown {
  const convert = (inner: unknown) => toJsonSchema(inner, documentId);
  if (Array.isArray(schema)) return schema.map(convert);
  if (typeof schema !== 'object' || schema === null) return schema;

  const converted: JsonObject = {};
  for (const [keyword, value] of Object.entries(schema as JsonObject)) {
    if (keyword === 'nullable' || DOCUMENTATION_KEYWORDS.has(keyword)) continue;
    if (keyword === '$ref' && typeof value === 'string' && value.startsWith('#/')) {
      converted.$ref = `${documentId}${value}`;
    } else if (keyword === 'properties' || keyword === 'patternProperties') {
      // Keys of these maps are property names, which may themselves be called `description` or `title`.
      converted[keyword] = Object.fromEntries(
        Object.entries(value as JsonObject).map(([name, property]) => [name, convert(property)]),
      );
    } else if (keyword === 'enum' || keyword === 'default' || keyword === 'const') {
      converted[keyword] = value;
    } else {
      converted[keyword] = convert(value);
    }
  }
  return (schema as JsonObject).nullable === true ? allowNull(converted) : converted;
}

function allowNull(schema: JsonObject): JsonObject {
  const isPlainTyped =
    typeof schema.type === 'string' && !COMPOSITION_KEYWORDS.some((keyword) => keyword in schema);
  if (!isPlainTyped) return { anyOf: [schema, { type: 'null' }] };
  const nullable: JsonObject = { ...schema, type: [schema.type, 'null'] };
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) nullable.enum = [...schema.enum, null];
  return nullable;
}
