/**
 * Hostile headers and path tricks. Header values Node itself refuses to send (raw CR/LF) cannot reach
 * the app through any HTTP/1.1 parser we run behind, so they are not in the corpus.
 */
export const HOSTILE_HEADERS: [string, Record<string, string>][] = [
  ['foreign Host', { host: 'evil.example' }],
  ['forwarded host and proto', { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' }],
  ['forged client address list', { 'x-forwarded-for': '1.2.3.4, 127.0.0.1, ::1, <script>' }],
  ['hostile request ID', { 'x-request-id': '<script>alert(1)</script>' }],
  ['10 kB request ID', { 'x-request-id': 'r'.repeat(10_000) }],
  ['8 kB authorization', { authorization: `Bearer ${'t'.repeat(8_000)}` }],
  ['authorization with a NUL escape', { authorization: 'Bearer abc%00def' }],
  ['malformed cookie', { cookie: 'pal_console=%E0%A4%A; ; =; pal_signin' }],
  ['4 kB cookie', { cookie: `pal_console=${'c'.repeat(4_000)}` }],
  ['cookie injection attempt', { cookie: 'pal_console=x; Path=/; Domain=evil.example' }],
  ['weird Accept', { accept: '*/*;q=abc, text/html;level=<script>' }],
  ['content type with 1,000 parameters', { 'content-type': `application/json${'; a=b'.repeat(1_000)}` }],
  [
    'unknown transfer encoding',
    { 'content-type': 'application/json', 'content-encoding': 'br, gzip, x-evil' },
  ],
  ['Origin null', { origin: 'null' }],
  ['javascript: Referer', { referer: 'javascript:alert(1)' }],
];

export const HEADER_TARGETS = [
  'GET /',
  'GET /healthz',
  'GET /console',
  'GET /console/sign-in',
  'POST /console/sign-in',
  'GET /api/consultants',
  'POST /api/consultants',
  'GET /i/not-a-token',
  'POST /i/not-a-token',
  'GET /auth/callback?state=x&code=y',
] as const;

/** Paths that try to leave their folder, dodge a guard or reach a file. */
export const PATH_TRICKS: string[] = [
  '/assets/../package.json',
  '/assets/%2e%2e/package.json',
  '/assets/..%2Fpackage.json',
  '/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '/assets/....//....//etc/passwd',
  '/assets/%00',
  '/assets/..%5Cpackage.json',
  '/assets/%c0%ae%c0%ae/package.json',
  '/i/../api/consultants',
  '/i/%2e%2e/api/consultants',
  '/console/../api/consultants',
  '/API/consultants',
  '/Api/Consultants',
  '//api/consultants',
  '/api//consultants',
  '/api/consultants/',
  '/api/consultants%2F..%2Ftokens',
  '/api/%2e%2e/console',
  '/api;/consultants',
  '/CONSOLE/settings',
  '/console;/settings',
  '/console/%2e%2e/api/tokens',
  '/sandbox/mailbox/..%2F..%2Fpackage.json',
  '/_sandbox/control/world',
  '/i/x/../../package.json',
];
