/**
 * The codec as the runtime uses it: compile a contract's schema once, then decode request payloads and
 * encode responses and fault details by global element key ("{ns}local").
 */
import type { XmlElement } from '../xml/element';
import { compileSchema, type CompileOptions, type CompiledSchema } from './compile';
import { decodeElement } from './decode';
import { encodeElement } from './encode';
import type { SchemaModel } from './model';

export { SchemaCompileError } from './compile';
export { UnknownElementError } from './decode';
export { SchemaEncodeError } from './encode';

export interface SchemaCodec {
  readonly schema: CompiledSchema;
  /** True when the schema declares this global element. */
  has(elementKey: string): boolean;
  /** Typed value of `el`, or SchemaViolationError with every violation. */
  decode<T = unknown>(elementKey: string, el: XmlElement): T;
  /** XML text of the element, or SchemaEncodeError with every problem. */
  encode(elementKey: string, value: unknown): string;
}

export function createSchemaCodec(model: SchemaModel, options?: CompileOptions): SchemaCodec {
  const schema = compileSchema(model, options);
  return {
    schema,
    has: (elementKey) => schema.elements.has(elementKey),
    decode: <T>(elementKey: string, el: XmlElement) => decodeElement(schema, elementKey, el) as T,
    encode: (elementKey, value) => encodeElement(schema, elementKey, value),
  };
}
