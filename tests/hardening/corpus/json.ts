import { randomUUID } from 'node:crypto';

/**
 * JSON bodies of the wrong type, shape and size. `raw` is sent byte for byte with the given content
 * type; every admin API route that takes a body gets every one of them, and each route its own
 * field-level variants below. None may produce a 5xx; none may change a stored consultant.
 */
export interface RawBody {
  label: string;
  raw: string | Buffer;
  type?: string;
}

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const nestedObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

export const RAW_BODIES: RawBody[] = [
  { label: 'null', raw: 'null' },
  { label: 'array', raw: '["ada@contoso.example"]' },
  { label: 'string', raw: '"ada@contoso.example"' },
  { label: 'number', raw: '42' },
  { label: 'boolean', raw: 'true' },
  { label: 'empty object', raw: '{}' },
  { label: 'truncated', raw: '{"email": "ada@contoso.example",' },
  { label: 'single quotes', raw: "{'email': 'ada@contoso.example'}" },
  { label: 'trailing comma', raw: '{"email": "ada@contoso.example",}' },
  { label: 'comment', raw: '{"email": "ada@contoso.example" /* hi */}' },
  { label: 'NaN literal', raw: '{"limit": NaN}' },
  { label: 'huge number', raw: '{"email": 1e400, "locationId": 1e400}' },
  { label: 'negative zero', raw: '{"locationId": -0}' },
  { label: 'lone surrogate', raw: '{"email": "\\ud800@contoso.example", "displayName": "\\udfff"}' },
  { label: 'NUL in string', raw: '{"email": "ada\\u0000@contoso.example", "name": "a\\u0000b"}' },
  { label: 'BOM before JSON', raw: '\uFEFF{"email": "bom@contoso.example"}' },
  { label: 'duplicate keys', raw: '{"email": "one@contoso.example", "email": ["two@contoso.example"]}' },
  { label: '__proto__ pollution', raw: '{"__proto__": {"isAdmin": true}, "email": "proto@contoso.example"}' },
  { label: 'constructor pollution', raw: '{"constructor": {"prototype": {"isAdmin": true}}}' },
  { label: 'operator object', raw: '{"email": {"$ne": null}, "consultantIds": {"$gt": ""}}' },
  { label: 'deeply nested array', raw: nested(50_000) },
  { label: 'deeply nested object', raw: nestedObject(20_000) },
  {
    label: '300 kB string',
    raw: JSON.stringify({ email: 'big@contoso.example', displayName: 'x'.repeat(300_000) }),
  },
  {
    label: '10,000 keys',
    raw: JSON.stringify(Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]))),
  },
  { label: 'invalid UTF-8', raw: Buffer.from([0x7b, 0x22, 0x65, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]) },
  { label: 'UTF-16 body', raw: Buffer.from('{"email":"u16@contoso.example"}', 'utf16le') },
  {
    label: 'charset latin1',
    raw: '{"email": "l1@contoso.example"}',
    type: 'application/json; charset=latin1',
  },
  { label: 'charset nonsense', raw: '{}', type: 'application/json; charset=no-such-charset' },
  { label: 'vendor +json type', raw: '{"email": 7}', type: 'application/vnd.evil+json' },
  { label: 'form body', raw: 'email=ada%40contoso.example', type: 'application/x-www-form-urlencoded' },
  {
    label: 'XML body',
    raw: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    type: 'application/xml',
  },
  {
    label: 'multipart body',
    raw: '--b\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b.co\r\n--b--\r\n',
    type: 'multipart/form-data; boundary=b',
  },
  { label: 'no content type', raw: '{"email": "nt@contoso.example"}', type: '' },
];

const GUID = () => randomUUID();
const SCRIPT = '<script>alert(1)</script>';

/** Values of every JSON type plus the edge cases of strings, for swapping into one field at a time. */
export const WRONG_VALUES: [string, unknown][] = [
  ['null', null],
  ['true', true],
  ['zero', 0],
  ['negative', -1],
  ['fraction', 1.5],
  ['1e21', 1e21],
  ['max safe + 1', Number.MAX_SAFE_INTEGER + 1],
  ['empty string', ''],
  ['spaces', '   '],
  ['10,000 characters', 'a'.repeat(10_000)],
  ['script', SCRIPT],
  ['CRLF', 'a\r\nBcc: victim@evil.example'],
  ['NUL', 'a\u0000b'],
  ['emoji', '👩‍💻'.repeat(50)],
  ['RTL override', '\u202Eelpmaxe.ozc@ada'],
  ['empty array', []],
  ['array of null', [null]],
  ['array of numbers', [1, 2]],
  ['nested array', [['a']]],
  ['object', { a: 1 }],
  ['SQL', "' OR 1=1; DROP TABLE consultants; --"],
  ['path', '../../../../etc/passwd'],
];

/** The body routes, each with a valid body to mutate one field at a time. */
export const BODY_ROUTES: { method: 'post' | 'patch'; path: string; valid: Record<string, unknown> }[] = [
  {
    method: 'post',
    path: '/api/consultants',
    valid: {
      email: 'field@contoso.example',
      displayName: 'Field Test',
      locationId: '4471231',
      customerTenants: [GUID()],
    },
  },
  {
    method: 'patch',
    path: '/api/consultants/:id',
    valid: {
      email: 'patched@contoso.example',
      displayName: 'Patched',
      locationId: '4471232',
      customerTenants: [],
    },
  },
  { method: 'post', path: '/api/tokens', valid: { name: 'ci-import' } },
  {
    method: 'post',
    path: '/api/invitations',
    valid: { consultantIds: [':id'], tenantId: GUID(), send: false, includeLinked: false },
  },
];

/** Field values specific to one field (partner IDs, tenant lists, address forms). */
export const FIELD_VALUES: Record<string, [string, unknown][]> = {
  email: [
    ['no at', 'ada.contoso.example'],
    ['two ats', 'ada@@contoso.example'],
    ['255 characters', `${'a'.repeat(243)}@contoso.example`],
    ['display form', 'Ada <ada@contoso.example>'],
    ['CRLF header', 'ada@contoso.example\r\nBcc: victim@evil.example'],
    ['IDN homograph', 'аda@contoso.example'],
    ['quoted local part', '"ada smith"@contoso.example'],
  ],
  locationId: [
    ['global ID (PGA)', '4471230'],
    ['unknown location', '9999999'],
    ['too short', '123'],
    ['too long', '12345678901234567890'],
    ['letters', 'PLA-4471231'],
    ['number form', 4471231],
    ['21 characters', '1'.repeat(21)],
    ['padded', ' 4471231 '],
  ],
  customerTenants: [
    ['domain name', ['fabrikam.onmicrosoft.com']],
    ['a string', GUID()],
    ['201 tenants', Array.from({ length: 201 }, GUID)],
    ['GUID with braces', [`{${GUID()}}`]],
    ['partner tenant', ['00000000-0000-4000-8000-000000000000']],
  ],
  consultantIds: [
    ['not UUIDs', ['x', 'y']],
    ['empty', []],
    ['string', 'x'],
    ['101 characters', ['a'.repeat(101)]],
    ['40,000 unknown UUIDs', Array.from({ length: 40_000 }, GUID)],
    ['50,001 entries', Array.from({ length: 50_001 }, (_, i) => String(i))],
  ],
  tenantId: [
    ['domain', 'fabrikam.onmicrosoft.com'],
    ['GUID and more', `${GUID()}x`],
  ],
  all: [['string true', 'true']],
  send: [['string true', 'true']],
  name: [
    ['101 characters', 'n'.repeat(101)],
    ['only control characters', '\u0001\u0002\r\n'],
  ],
};

/** Query strings for the list routes: wrong types, out of range, arrays, garbage cursors. */
export const QUERIES: { path: string; queries: string[] }[] = [
  {
    path: '/api/consultants',
    queries: [
      'limit=abc',
      'limit=-1',
      'limit=1e9',
      'limit=0x10',
      'offset=-5',
      'offset=1e400',
      'status=deleted',
      'status=active&status=all',
      `q=${'q'.repeat(5000)}`,
      'q=%25%5F%27%22',
      'locationId[]=1',
      'unknown=1',
      'limit=%00',
      'q=%00',
      'q=a%00b',
      'locationId=%00',
    ],
  },
  { path: '/api/consultants.csv', queries: ['status=nope', 'limit=10', 'q=%E0%A4%A'] },
  {
    path: '/api/associations',
    queries: ['verdict=nope', 'verdict=healthy&verdict=reader_only', `consultantId=${'c'.repeat(200)}`],
  },
  { path: '/api/associations.csv', queries: ['verdict=%3Cscript%3E'] },
  { path: '/api/health-checks', queries: ['limit=101', 'limit=x', 'limit=1.5'] },
  {
    path: '/api/audit',
    queries: [
      'before=yesterday',
      'before=2026-13-45T25:61Z',
      'before=2026-11-20T09:00:00Z_not-an-id',
      `before=2026-11-20T09:00:00Z_${'f'.repeat(36)}`,
      'before=%00',
      'before=2026-11-20T09:00:00Z&before=2026-11-21T09:00:00Z',
      'before=+275760-09-13T00:00:00.000Z',
      'limit=501',
      `action=${'a'.repeat(101)}`,
      'subjectId[a]=1',
      'action=%00',
      'subjectId=%00',
    ],
  },
];

/** Path parameters that are not IDs, for every `:id` route. */
export const BAD_IDS: string[] = [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  'ABCDEF00-0000-4000-8000-000000000000',
  '%00',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  'a'.repeat(5000),
  '%E0%A4%A',
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  "1'%20OR%20'1'%3D'1",
];
