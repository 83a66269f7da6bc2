/**
 * Callbacks to `/auth/callback` and `/console/auth/callback` with forged, missing, repeated or hostile
 * parameters. `attempt` says whether the case is sent by the browser that really started a sign-in
 * (with its cookie), and with that attempt's `state` where the query says `{state}`.
 */
export interface CallbackCase {
  label: string;
  query: string;
  /** Sent from the browser that started the sign-in (its cookie), or by a stranger. */
  fromStarter: boolean;
}

const SCRIPT = encodeURIComponent('<script>alert(1)</script>');

export const CALLBACK_CASES: CallbackCase[] = [
  { label: 'no parameters', query: '', fromStarter: true },
  { label: 'code only', query: 'code=abc', fromStarter: true },
  { label: 'error only', query: 'error=access_denied', fromStarter: true },
  {
    label: 'forged state',
    query: 'state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&code=abc',
    fromStarter: true,
  },
  { label: 'truncated state', query: 'state={state-short}&code=abc', fromStarter: true },
  { label: 'state twice', query: 'state={state}&state={state}&code=abc', fromStarter: true },
  { label: 'state as an object', query: 'state[a]={state}&code=abc', fromStarter: true },
  { label: '10,000-character state', query: `state=${'s'.repeat(10_000)}&code=abc`, fromStarter: true },
  { label: 'real state from another browser', query: 'state={state}&code=abc', fromStarter: false },
  { label: 'real state, no code, no error', query: 'state={state}', fromStarter: true },
  { label: 'real state, forged code', query: 'state={state}&code=forged-code', fromStarter: true },
  { label: 'real state, empty code', query: 'state={state}&code=', fromStarter: true },
  { label: 'real state, script in code', query: `state={state}&code=${SCRIPT}`, fromStarter: true },
  { label: 'real state, code twice', query: 'state={state}&code=a&code=b', fromStarter: true },
  { label: 'real state, undocumented error', query: 'state={state}&error=evil_error', fromStarter: true },
  {
    label: 'real state, script in error and description',
    query: `state={state}&error=${SCRIPT}&error_description=${SCRIPT}%20AADSTS50057`,
    fromStarter: true,
  },
  {
    label: 'real state, 50 kB description',
    query: `state={state}&error=access_denied&error_description=${'d'.repeat(50_000)}`,
    fromStarter: true,
  },
  {
    label: 'real state, code and error together',
    query: 'state={state}&code=abc&error=access_denied',
    fromStarter: true,
  },
  { label: 'real state, server_error', query: 'state={state}&error=server_error', fromStarter: true },
  {
    label: 'CRLF in state',
    query: 'state=x%0D%0ALocation:%20https://evil.example&code=abc',
    fromStarter: true,
  },
];

/** The admin-consent landing: only ever says thank you, whatever it is sent. */
export const ADMIN_CONSENT_QUERIES: string[] = [
  '',
  'admin_consent=True',
  `admin_consent=True&tenant=${SCRIPT}`,
  `admin_consent=False&error=${SCRIPT}&error_description=${SCRIPT}`,
  'admin_consent[x]=True',
  `tenant=${'t'.repeat(10_000)}`,
];
