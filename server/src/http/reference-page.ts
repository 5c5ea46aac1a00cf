// The API reference as one self-contained HTML page, rendered from the OpenAPI document the app serves.
// The product runs offline: no scripts, no fonts, no CDNs; styles are inline and collapsing uses <details>.

/** A JSON Schema as the OpenAPI 3.1 generator writes it (only what the page reads). */
export interface SchemaObject {
  $ref?: string;
  type?: string | string[];
  title?: string;
  description?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  example?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  additionalProperties?: boolean | SchemaObject;
  items?: SchemaObject | SchemaObject[];
  anyOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  allOf?: SchemaObject[];
}

interface ParameterObject {
  name?: string;
  in?: string;
  required?: boolean;
  description?: string;
  schema?: SchemaObject;
  $ref?: string;
}

interface MediaObject {
  schema?: SchemaObject;
}

interface OperationObject {
  tags?: string[];
  summary?: string;
  description?: string;
  parameters?: ParameterObject[];
  requestBody?: { description?: string; required?: boolean; content?: Record<string, MediaObject> };
  responses?: Record<string, { description?: string; content?: Record<string, MediaObject> }>;
}

/** The parts of an OpenAPI document the page renders. */
export interface OpenApiDocument {
  openapi?: string;
  info?: { title?: string; version?: string; description?: string };
  paths?: Record<string, Record<string, OperationObject | unknown>>;
  components?: { schemas?: Record<string, SchemaObject>; parameters?: Record<string, ParameterObject> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;
// How deep nested schemas are written out before the page says "nested further"; refs stop recursion
// anyway, this only keeps pathological inline schemas readable.
const MAX_DEPTH = 12;
// Bodies larger than this (as JSON) start collapsed, so the page stays scannable.
const COLLAPSE_OVER = 2500;

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const code = (s: string) => `<code>${escapeHtml(s)}</code>`;
const anchor = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
const opAnchor = (method: string, path: string) => `op-${method}-${anchor(path)}`;
const schemaAnchor = (name: string) => `schema-${anchor(name)}`;
const refName = (ref: string) => decodeURIComponent(ref.replace(/^#\/components\/schemas\//, '').replace(/~1/g, '/').replace(/~0/g, '~'));

/** Inline markdown the generator's descriptions use: `code` spans only; everything else is escaped text. */
function prose(s: string): string {
  return escapeHtml(s).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function literal(v: unknown): string {
  return code(JSON.stringify(v) ?? String(v));
}

function types(s: SchemaObject): string[] {
  if (Array.isArray(s.type)) return s.type;
  return s.type ? [s.type] : [];
}

function isNullSchema(s: SchemaObject): boolean {
  return types(s).length === 1 && types(s)[0] === 'null';
}

/** Constraints in words: `1-100 chars`, `>= 0`, `format email`, `default 50`. */
function constraints(s: SchemaObject): string[] {
  const out: string[] = [];
  if (s.format) out.push(`format ${escapeHtml(s.format)}`);
  if (s.minLength !== undefined || s.maxLength !== undefined) out.push(`${s.minLength ?? 0}${s.maxLength !== undefined ? `-${s.maxLength}` : '+'} chars`);
  if (typeof s.exclusiveMinimum === 'number') out.push(`&gt; ${s.exclusiveMinimum}`);
  else if (s.minimum !== undefined) out.push(`${s.exclusiveMinimum === true ? '&gt;' : '&gt;='} ${s.minimum}`);
  if (typeof s.exclusiveMaximum === 'number') out.push(`&lt; ${s.exclusiveMaximum}`);
  else if (s.maximum !== undefined) out.push(`${s.exclusiveMaximum === true ? '&lt;' : '&lt;='} ${s.maximum}`);
  if (s.minItems !== undefined || s.maxItems !== undefined) out.push(`${s.minItems ?? 0}${s.maxItems !== undefined ? `-${s.maxItems}` : '+'} items`);
  if (s.pattern) out.push(`pattern ${code(s.pattern)}`);
  if (s.default !== undefined) out.push(`default ${literal(s.default)}`);
  if (s.example !== undefined) out.push(`e.g. ${literal(s.example)}`);
  return out;
}

/** For a union of objects told apart by one single-valued property (`type: "branch"`), that label. */
function variantLabel(s: SchemaObject): string | null {
  for (const [name, prop] of Object.entries(s.properties ?? {})) {
    const values = prop.const !== undefined ? [prop.const] : prop.enum;
    if (values && values.length === 1 && (s.required ?? []).includes(name)) return `${name} = ${JSON.stringify(values[0])}`;
  }
  return s.title ?? null;
}

/** A schema as nested HTML: a one-line summary, then its properties, items or variants. */
export function renderSchema(s: SchemaObject | undefined, depth = 0): string {
  if (!s || Object.keys(s).length === 0) return '<span class="type">any</span>';
  if (s.$ref) {
    const name = refName(s.$ref);
    return `<a class="type" href="#${schemaAnchor(name)}">${escapeHtml(name)}</a>${s.description ? ` <span class="desc">${prose(s.description)}</span>` : ''}`;
  }
  if (depth > MAX_DEPTH) return '<span class="type">…</span> <span class="desc">(nested further)</span>';

  const variants = s.oneOf ?? s.anyOf;
  if (variants) {
    const nonNull = variants.filter((v) => !isNullSchema(v));
    const nullable = nonNull.length < variants.length;
    const head = s.description ? ` <span class="desc">${prose(s.description)}</span>` : '';
    if (nonNull.length === 1) return `${renderSchema(nonNull[0], depth)}${nullable ? ' <span class="type">or null</span>' : ''}${head}`;
    // Short unions of scalars read best on one line: `string | number | boolean`.
    const simple = nonNull.every((v) => !v.properties && !v.items && !v.anyOf && !v.oneOf && !v.allOf && !v.$ref);
    if (simple) return `${nonNull.map((v) => renderSchema(v, depth + 1)).join(' <span class="type">|</span> ')}${nullable ? ' <span class="type">| null</span>' : ''}${head}`;
    const items = nonNull.map((v) => {
      const label = variantLabel(v);
      return `<li>${label ? `<span class="variant">${escapeHtml(label)}</span> ` : ''}${renderSchema(v, depth + 1)}</li>`;
    });
    return `<span class="type">one of${nullable ? ' (or null)' : ''}:</span>${head}<ol class="variants">${items.join('')}</ol>`;
  }
  if (s.allOf) {
    return `<span class="type">all of:</span><ul class="variants">${s.allOf.map((v) => `<li>${renderSchema(v, depth + 1)}</li>`).join('')}</ul>`;
  }

  const t = types(s);
  const nullable = t.includes('null') || s.nullable === true;
  const main = t.filter((x) => x !== 'null');
  let summary: string;
  let body = '';
  if (s.const !== undefined) summary = literal(s.const);
  else if (s.enum) summary = s.enum.map(literal).join(' | ');
  else if (main.includes('array') || s.items) {
    const item = Array.isArray(s.items) ? { anyOf: s.items } : s.items;
    summary = `<span class="type">array of</span> ${renderSchema(item, depth + 1)}`;
  } else if (main.includes('object') || s.properties) {
    summary = '<span class="type">object</span>';
    const required = new Set(s.required ?? []);
    const props = Object.entries(s.properties ?? {}).map(
      ([name, p]) => `<li>${code(name)}${required.has(name) ? ' <span class="req">required</span>' : ' <span class="opt">optional</span>'} ${renderSchema(p, depth + 1)}</li>`,
    );
    if (s.additionalProperties && typeof s.additionalProperties === 'object') {
      props.push(`<li><span class="desc">any other key:</span> ${renderSchema(s.additionalProperties, depth + 1)}</li>`);
    }
    if (props.length > 0) body = `<ul class="props">${props.join('')}</ul>`;
  } else summary = `<span class="type">${escapeHtml(main.join(' | ') || 'any')}</span>`;
  const extra = constraints(s);
  return [
    summary,
    nullable ? '<span class="type">or null</span>' : '',
    extra.length ? `<span class="constraints">(${extra.join(', ')})</span>` : '',
    s.description ? `<span class="desc">${prose(s.description)}</span>` : '',
  ]
    .filter(Boolean)
    .join(' ')
    .concat(body);
}

function resolveParameter(doc: OpenApiDocument, p: ParameterObject): ParameterObject {
  if (!p.$ref) return p;
  const name = p.$ref.replace(/^#\/components\/parameters\//, '');
  return doc.components?.parameters?.[name] ?? p;
}

function renderBody(content: Record<string, MediaObject> | undefined, open: boolean): string {
  if (!content || Object.keys(content).length === 0) return '';
  return Object.entries(content)
    .map(([type, media]) => {
      const html = renderSchema(media.schema);
      const collapsed = !open || JSON.stringify(media.schema ?? {}).length > COLLAPSE_OVER;
      return `<details${collapsed ? '' : ' open'}><summary>${code(type)}</summary><div class="schema">${html}</div></details>`;
    })
    .join('');
}

function renderOperation(doc: OpenApiDocument, method: string, path: string, op: OperationObject): string {
  const params = (op.parameters ?? []).map((p) => resolveParameter(doc, p));
  const paramRows = params
    .map(
      (p) =>
        `<tr><td>${code(p.name ?? '?')}</td><td>${escapeHtml(p.in ?? '')}</td><td>${p.required ? '<span class="req">required</span>' : '<span class="opt">optional</span>'}</td><td>${renderSchema(p.schema)}${p.description && p.description !== p.schema?.description ? ` <span class="desc">${prose(p.description)}</span>` : ''}</td></tr>`,
    )
    .join('');
  const responses = Object.entries(op.responses ?? {})
    .map(([status, r]) => `<li><span class="status s${escapeHtml(status.charAt(0))}">${escapeHtml(status)}</span> ${prose(r.description ?? '')}${renderBody(r.content, false)}</li>`)
    .join('');
  return `<section class="op" id="${opAnchor(method, path)}">
<h3><span class="method m-${method}">${method.toUpperCase()}</span> <span class="path">${escapeHtml(path)}</span></h3>
${op.summary ? `<p class="summary">${prose(op.summary)}</p>` : ''}${op.description ? `<p>${prose(op.description)}</p>` : ''}
${paramRows ? `<h4>Parameters</h4><table class="params"><thead><tr><th>Name</th><th>In</th><th></th><th>Schema</th></tr></thead><tbody>${paramRows}</tbody></table>` : ''}
${op.requestBody ? `<h4>Request body${op.requestBody.required ? '' : ' (optional)'}</h4>${op.requestBody.description ? `<p>${prose(op.requestBody.description)}</p>` : ''}${renderBody(op.requestBody.content, true)}` : ''}
${responses ? `<h4>Responses</h4><ul class="responses">${responses}</ul>` : ''}
</section>`;
}

function isOperation(v: unknown): v is OperationObject {
  return typeof v === 'object' && v !== null;
}

/** Every operation of the document grouped by its first tag (untagged ones under "other"), in path order. */
export function groupOperations(doc: OpenApiDocument): Map<string, Array<{ method: string; path: string; op: OperationObject }>> {
  const groups = new Map<string, Array<{ method: string; path: string; op: OperationObject }>>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!isOperation(op)) continue;
      const tag = op.tags?.[0] ?? 'other';
      if (!groups.has(tag)) groups.set(tag, []);
      groups.get(tag)?.push({ method, path, op });
    }
  }
  return groups;
}

function signatureHeaders(doc: OpenApiDocument): Array<{ name: string; path: string; method: string }> {
  const found: Array<{ name: string; path: string; method: string }> = [];
  for (const ops of groupOperations(doc).values()) {
    for (const { method, path, op } of ops) {
      for (const p of (op.parameters ?? []).map((x) => resolveParameter(doc, x))) {
        if (p.in === 'header' && p.name && /signature|hmac|timestamp/i.test(p.name)) found.push({ name: p.name, path, method });
      }
    }
  }
  return found;
}

function intro(doc: OpenApiDocument): string {
  const sig = signatureHeaders(doc);
  const ops = [...new Map(sig.map((s) => [`${s.method} ${s.path}`, s])).values()];
  const sigText = sig.length
    ? ` Headers: ${[...new Set(sig.map((s) => s.name))].map(code).join(', ')}; see ${ops
        .slice(0, 3)
        .map((s) => `<a href="#${opAnchor(s.method, s.path)}">${s.method.toUpperCase()} ${escapeHtml(s.path)}</a>`)
        .join(', ')}.`
    : '';
  return `<section class="intro" id="intro">
<h2>Authentication</h2>
<ul>
<li><strong>API keys</strong>: send ${code('Authorization: Bearer <key>')}. Admins create keys (<a href="#${opAnchor('post', '/api/keys')}">POST /api/keys</a>); a key is shown once and stored only as a hash. Each key has a role.</li>
<li><strong>Session cookie</strong>: people sign in with <a href="#${opAnchor('post', '/api/auth/login')}">POST /api/auth/login</a>, which sets the HttpOnly cookie ${code('lr_session')} (SameSite=Lax); <a href="#${opAnchor('post', '/api/auth/logout')}">POST /api/auth/logout</a> ends it.</li>
<li><strong>HMAC-signed webhooks</strong>: a workflow's trigger endpoint also accepts requests signed with that workflow's webhook secret (HMAC-SHA256 over the raw body), for senders that cannot hold an API key.${sigText}</li>
</ul>
<p>Roles, lowest first: ${code('ingest')} (API keys only: post leads) &lt; ${code('viewer')} (read) &lt; ${code('editor')} (save drafts, run tests) &lt; ${code('publisher')} (publish, roll back) &lt; ${code('admin')} (users, keys, directory). Without credentials a route answers 401; with too low a role, 403. Everything lives in the caller's workspace: another workspace's things are 404.</p>
<h2>Errors</h2>
<p>Every error has one shape, with a stable ${code('code')} to branch on and a ${code('message')} for people:</p>
<pre>{ "error": { "code": "invalid_request", "message": "The request body is not valid: email: Not a valid email address.",
             "details": [{ "path": "email", "message": "Not a valid email address." }] } }</pre>
<p>400 lists every invalid field in ${code('details')} (malformed JSON is ${code('malformed_json')}); 401 ${code('unauthorized')}; 403 ${code('forbidden')}; 404 ${code('not_found')}; 409 a conflict with the current state; 422 a request that is well-formed but refers to something wrong; 429 and 503 come with ${code('Retry-After')}. A client's mistake is never a 5xx.</p>
</section>`;
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;background:#fff}
nav{position:fixed;top:0;bottom:0;left:0;width:270px;overflow-y:auto;padding:16px;border-right:1px solid #e4e7eb;background:#f8f9fb;font-size:13px}
nav h2{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:#616e7c;margin:16px 0 4px}nav ul{list-style:none;margin:0;padding:0}nav li{margin:2px 0}
nav a{color:#1f2933;text-decoration:none}nav a:hover{text-decoration:underline}
main{margin-left:270px;padding:24px 40px;max-width:1100px}h1{margin-top:0}h2.tag{border-bottom:2px solid #e4e7eb;padding-bottom:4px;margin-top:40px;text-transform:capitalize}
.op{border:1px solid #e4e7eb;border-radius:6px;padding:12px 16px;margin:16px 0}.op h3{margin:0;font-size:16px}.op h4{margin:12px 0 4px;font-size:13px;text-transform:uppercase;color:#616e7c}
.method{display:inline-block;min-width:62px;text-align:center;font-size:12px;font-weight:700;color:#fff;border-radius:4px;padding:2px 6px;background:#616e7c}
.m-get{background:#2f80ed}.m-post{background:#27ae60}.m-put,.m-patch{background:#d68910}.m-delete{background:#c0392b}
.path,code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}.path{font-weight:600}code{font-size:.92em;background:#f1f3f5;border-radius:3px;padding:0 3px}
pre{background:#f1f3f5;padding:10px;border-radius:4px;overflow-x:auto;font-size:13px}
.summary{font-weight:600;margin:6px 0 0}.type{color:#7b3fa0;font-family:ui-monospace,monospace;font-size:.92em}.desc{color:#52606d}.constraints{color:#8a6d3b;font-size:.9em}
.req{color:#c0392b;font-size:.8em;font-weight:600}.opt{color:#9aa5b1;font-size:.8em}.variant{font-weight:600;font-size:.9em}
ul.props,ol.variants{margin:2px 0 4px;padding-left:22px;border-left:1px dotted #cbd2d9}ul.responses{list-style:none;padding-left:0}
.status{display:inline-block;min-width:38px;font-weight:700;font-family:ui-monospace,monospace}.s2{color:#27ae60}.s4{color:#d68910}.s5{color:#c0392b}
table.params{border-collapse:collapse;width:100%;font-size:14px}table.params td,table.params th{border-bottom:1px solid #e4e7eb;text-align:left;padding:4px 8px;vertical-align:top}
details{margin:4px 0}summary{cursor:pointer;color:#52606d}.schema{padding:4px 0 4px 8px}
`;

/** The whole reference page for an OpenAPI document: intro, operations by tag, then the shared schemas. */
export function renderReferencePage(doc: OpenApiDocument): string {
  const title = doc.info?.title ?? 'API reference';
  const groups = groupOperations(doc);
  const tags = [...groups.keys()].sort((a, b) => (a === 'other' ? 1 : b === 'other' ? -1 : a.localeCompare(b)));
  const nav = tags
    .map(
      (tag) =>
        `<h2>${escapeHtml(tag)}</h2><ul>${(groups.get(tag) ?? [])
          .map(({ method, path }) => `<li><a href="#${opAnchor(method, path)}"><span class="type">${method.toUpperCase()}</span> ${escapeHtml(path)}</a></li>`)
          .join('')}</ul>`,
    )
    .join('');
  const sections = tags
    .map((tag) => `<h2 class="tag" id="tag-${anchor(tag)}">${escapeHtml(tag)}</h2>${(groups.get(tag) ?? []).map(({ method, path, op }) => renderOperation(doc, method, path, op)).join('\n')}`)
    .join('\n');
  const schemas = Object.entries(doc.components?.schemas ?? {});
  const schemaSection = schemas.length
    ? `<h2 class="tag" id="schemas">Shared schemas</h2>${schemas
        .map(([name, s]) => `<section class="op" id="${schemaAnchor(name)}"><h3>${escapeHtml(name)}</h3><div class="schema">${renderSchema(s)}</div></section>`)
        .join('\n')}`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}: reference</title><style>${STYLE}</style></head>
<body>
<nav><strong>${escapeHtml(title)}</strong><ul><li><a href="#intro">Authentication and errors</a></li>${schemas.length ? '<li><a href="#schemas">Shared schemas</a></li>' : ''}<li><a href="/api/openapi.json">openapi.json</a></li></ul>${nav}</nav>
<main>
<h1>${escapeHtml(title)} <small class="desc">${escapeHtml(doc.info?.version ?? '')}</small></h1>
${doc.info?.description ? `<p>${prose(doc.info.description)}</p>` : ''}
<p class="desc">Generated from <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI ${escapeHtml(doc.openapi ?? '')}).</p>
${intro(doc)}
${sections}
${schemaSection}
</main>
</body></html>
`;
}
