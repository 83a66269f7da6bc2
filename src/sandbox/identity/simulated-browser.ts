/**
 * Plays the browser on the sandbox's sign-in pages with plain fetch: opens an authorize URL, reads
 * the account picker, submits a choice and hands back where the sandbox sends the browser next.
 * Tests (and scripted demos) use it to walk a sign-in without a real browser; it only understands
 * the sandbox's own pages.
 */
export interface PickerAccount {
  id: string;
  displayName: string;
  upn: string;
  hinted: boolean;
}

export interface PickerPage {
  url: string;
  status: number;
  html: string;
  /** Where the form posts, absolute. */
  action: string;
  fields: Record<string, string>;
  accounts: PickerAccount[];
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};
const unescapeHtml = (text: string) =>
  text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);

export async function openAccountPicker(authorizeUrl: string): Promise<PickerPage> {
  const response = await fetch(authorizeUrl, { redirect: 'manual' });
  const html = await response.text();
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[unescapeHtml(match[1] ?? '')] = unescapeHtml(match[2] ?? '');
  }
  const accounts: PickerAccount[] = [];
  for (const match of html.matchAll(
    /<button type="submit" name="account" value="([^"]*)"([^>]*)>([\s\S]*?)<\/button>/g,
  )) {
    const inner = match[3] ?? '';
    accounts.push({
      id: unescapeHtml(match[1] ?? ''),
      hinted: (match[2] ?? '').includes('hinted'),
      displayName: unescapeHtml(/<strong>([^<]*)<\/strong>/.exec(inner)?.[1] ?? ''),
      upn: unescapeHtml((/<span class="muted">([^<·]*)/.exec(inner)?.[1] ?? '').trim()),
    });
  }
  const action = /<form method="post" action="([^"]*)">/.exec(html)?.[1];
  return {
    url: authorizeUrl,
    status: response.status,
    html,
    action: new URL(unescapeHtml(action ?? ''), authorizeUrl).toString(),
    fields,
    accounts,
  };
}

/** Submits the picker: an account by sign-in name or object ID, or Cancel. Does not follow the redirect. */
export async function submitAccountPicker(
  page: PickerPage,
  choice: { upn: string } | { accountId: string } | { cancel: true },
  overrideFields: Record<string, string> = {},
): Promise<Response> {
  const form = new URLSearchParams({ ...page.fields, ...overrideFields });
  if ('cancel' in choice) {
    form.set('action', 'cancel');
  } else {
    const account =
      'accountId' in choice
        ? choice.accountId
        : page.accounts.find((a) => a.upn.toLowerCase() === choice.upn.toLowerCase())?.id;
    if (!account) throw new Error(`the account picker does not list ${JSON.stringify(choice)}`);
    form.set('account', account);
  }
  return fetch(page.action, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
}

/** Opens the authorize URL, picks the account and returns the redirect back to the app. */
export async function signInWithPicker(authorizeUrl: string, upn: string): Promise<URL> {
  const page = await openAccountPicker(authorizeUrl);
  if (page.status !== 200) throw new Error(`the authorize endpoint answered ${page.status}: ${page.html}`);
  const response = await submitAccountPicker(page, { upn });
  const location = response.headers.get('location');
  if (response.status !== 302 || !location) {
    throw new Error(`expected a redirect back to the app, got ${response.status}: ${await response.text()}`);
  }
  return new URL(location);
}
