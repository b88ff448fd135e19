// The wire protocol, from the server's exported JSON Schema (never a hand-kept copy).
//
// The server serves `crisisgame protocol-schema` at /schema/protocol.schema.json. Its sections
// `client`, `server`, `command` and `event` are self-contained JSON Schemas. The client validates
// every outgoing message against `client` (and a command's body against `command`, which has no
// `by`: the server fills that in), and takes the enums its forms offer from the schema.

import { Validator } from '../vendor/json-schema/index.js';

export const SCHEMA_URL = '/schema/protocol.schema.json';

/** Human-readable messages from the validator's output (deepest errors first). */
function describe(result) {
  const errs = (result.errors || []).filter((e) => !['properties', 'oneOf', 'anyOf', '$ref', 'allOf'].includes(e.keyword));
  let list = errs.length ? errs : result.errors || [];
  // `X | None` fields fail twice (the value, and "not null"): keep the useful half.
  const useful = list.filter((e) => !/Expected "null"|False boolean schema/.test(e.error));
  if (useful.length) list = useful;
  return list.map((e) => `${e.instanceLocation.replace(/^#\/?/, '') || '(message)'}: ${e.error}`);
}

export class ProtocolError extends Error {
  constructor(messages) {
    super(messages[0] || 'invalid message');
    this.messages = messages;
  }
}

/**
 * A validator for a discriminated union (`oneOf` of `$ref`s told apart by `type`): it validates a
 * message against the member its `type` names, so errors speak of that message and not of every
 * other member of the union.
 */
class UnionValidator {
  constructor(section) {
    this.section = section;
    this.whole = new Validator(section, '2020-12', false);
    this.byType = new Map();
    for (const ref of section.oneOf || []) {
      const name = ref.$ref.split('/').pop();
      const t = section.$defs[name]?.properties?.type;
      const value = t?.const ?? t?.default;
      if (value !== undefined) this.byType.set(value, name);
    }
    this.cache = new Map();
  }

  validate(instance) {
    const name = instance && typeof instance === 'object' ? this.byType.get(instance.type) : undefined;
    if (!name) {
      const known = [...this.byType.keys()].join(', ');
      return { valid: false, errors: [{ keyword: 'type', instanceLocation: '#/type', error: `unknown type '${instance?.type}' (one of: ${known})` }] };
    }
    if (!this.cache.has(name)) {
      this.cache.set(name, new Validator({ $ref: `#/$defs/${name}`, $defs: this.section.$defs }, '2020-12', false));
    }
    return this.cache.get(name).validate(instance);
  }
}

export class Protocol {
  constructor(doc) {
    this.doc = doc;
    this.version = doc.version;
    this.client = new UnionValidator(doc.client);
    this.command = new UnionValidator(doc.command);
    this.commandDefs = doc.command.$defs || {};
    this.clientDefs = doc.client.$defs || {};
  }

  /** A definition of the command section by name (e.g. 'Proposal', 'Orders', 'ForceOrder'). */
  def(name) {
    const d = this.commandDefs[name];
    if (!d) throw new Error(`the protocol schema has no definition '${name}'`);
    return d;
  }

  /** A property's schema, looking through `anyOf: [X, null]` and `$ref`. */
  prop(defName, name) {
    let p = this.def(defName).properties?.[name];
    if (!p) throw new Error(`the protocol schema has no ${defName}.${name}`);
    if (p.anyOf) p = { ...(p.anyOf.find((x) => x.type !== 'null') || {}), ...p };
    if (p.$ref) p = { ...this.def(p.$ref.split('/').pop()), ...p };
    return p;
  }

  /** The allowed values of an enum property (e.g. enumOf('Proposal', 'type')). */
  enumOf(defName, name) {
    const p = this.prop(defName, name);
    if (p.enum) return [...p.enum];
    if (p.const !== undefined) return [p.const];
    const alt = (p.anyOf || []).find((x) => x.enum || x.const !== undefined);
    if (alt) return alt.enum ? [...alt.enum] : [alt.const];
    throw new Error(`${defName}.${name} is not an enum`);
  }

  /** min/max/maxLength/default/description of a property, for <input> attributes and hints. */
  limits(defName, name) {
    const p = this.prop(defName, name);
    return {
      min: p.minimum ?? (p.exclusiveMinimum !== undefined ? p.exclusiveMinimum : undefined),
      max: p.maximum,
      minLength: p.minLength,
      maxLength: p.maxLength,
      maxItems: p.maxItems,
      default: p.default,
      description: p.description,
      integer: p.type === 'integer',
    };
  }

  /** Every game command type the server accepts (from the command union). */
  commandTypes() {
    return (this.doc.command.oneOf || []).map((ref) => {
      const def = this.def(ref.$ref.split('/').pop());
      return def.properties.type.const ?? def.properties.type.default;
    });
  }

  /** The kinds of an inject effect and the definition of each (`kind` discriminated union). */
  effectKinds() {
    const eff = this.def('FireInject').properties.effects.items;
    const refs = eff.oneOf || eff.anyOf || [];
    return refs.map((ref) => {
      const name = ref.$ref.split('/').pop();
      const def = this.def(name);
      return { kind: def.properties.kind.const, name, def };
    });
  }

  /** Throw a ProtocolError unless `command` (without `by`) is a valid game command. */
  checkCommand(command) {
    const r = this.command.validate(command);
    if (!r.valid) throw new ProtocolError(describe(r));
  }

  /** Throw a ProtocolError unless `message` is a valid client message (and its command, if any). */
  checkMessage(message) {
    const r = this.client.validate(message);
    if (!r.valid) throw new ProtocolError(describe(r));
    if (message.type === 'command') this.checkCommand(message.command);
  }
}

/** Fetch the protocol schema from the server and build the validators. */
export async function loadProtocol(url = SCHEMA_URL) {
  const res = await fetch(url, { cache: 'no-cache' });
  if (!res.ok) throw new Error(`could not load the protocol schema (${url}: HTTP ${res.status})`);
  return new Protocol(await res.json());
}
