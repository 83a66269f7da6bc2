/**
 * Every way the consultant's journey can stop, with what to tell them and what to do next. Pages never
 * show a stack trace or an internal code without an explanation.
 */
export const PROBLEMS = {
  link_unknown: {
    status: 404,
    title: 'This link is not valid',
    message: 'The link may have been copied incompletely, or it is not one of ours.',
    next: 'Open the link straight from the email. If it still fails, ask your PAL admin for a new invitation.',
  },
  link_expired: {
    status: 410,
    title: 'This link has expired',
    message: 'Invitation links stop working after a while so that an old email cannot be misused.',
    next: 'Ask for a new link below; your admin sees the request.',
  },
  link_used: {
    status: 410,
    title: 'This link has already been used',
    message: 'Partner Admin Link was set when this link was used. Each link works once.',
    next: 'Nothing else is needed. If you now work for more customers, ask your admin for a new link.',
  },
  link_superseded: {
    status: 410,
    title: 'A newer link was sent to you',
    message: 'Your admin sent a new invitation, which replaces this one.',
    next: 'Use the link in the most recent email.',
  },
  link_revoked: {
    status: 410,
    title: 'This link was withdrawn',
    message: 'Your admin withdrew this invitation.',
    next: 'If you think this is a mistake, contact your PAL admin.',
  },
  signin_expired: {
    status: 400,
    title: 'This sign-in has expired or was already finished',
    message: 'Sign-ins must be completed within 15 minutes, and each one can be finished once.',
    next: 'Open the link from your email again and press Continue.',
  },
  other_browser: {
    status: 400,
    title: 'Please finish in the browser you started in',
    message: 'For your safety, sign-in must come back to the same browser that opened your invitation link.',
    next: 'Open the link from your email in this browser and press Continue again.',
  },
  cancelled: {
    status: 400,
    title: 'Sign-in was cancelled',
    message: 'Nothing was changed.',
    next: 'When you are ready, open the link from your email again and press Continue.',
  },
  wrong_account: {
    status: 403,
    title: 'That is not the account this invitation is for',
    message:
      'This invitation was sent to a different address than the account you signed in with. Nothing was linked.',
    next: 'Open the link again and pick the account the invitation was sent to.',
  },
  account_problem: {
    status: 403,
    title: 'Microsoft could not sign you in',
    message: 'Your account is disabled, was removed, or cannot use this directory.',
    next: 'Check with your IT or the customer’s administrator, then open the link again.',
  },
  policy_blocked: {
    status: 403,
    title: 'A sign-in policy blocked access',
    message: 'Conditional Access or cross-tenant access settings do not allow this sign-in.',
    next: 'Try from a managed device or network, or ask the customer’s administrator about the policy.',
  },
  app_misconfigured: {
    status: 503,
    title: 'PAL Manager is not configured correctly',
    message: 'The service’s own Microsoft sign-in configuration was refused. Your admins have been alerted.',
    next: 'Nothing to do on your side; try your link again once your admin confirms it is fixed.',
  },
  azure_unavailable: {
    status: 503,
    title: 'Microsoft is busy right now',
    message:
      'Microsoft sign-in or Azure did not answer in time. Nothing was changed and your link still works.',
    next: 'Open the link again in a few minutes.',
  },
  // 400, not 502: what ends here is a reply Microsoft refused or we could not use (a forged, replayed
  // or truncated callback, an error code nobody documented), which a caller can send at will.
  signin_failed: {
    status: 400,
    title: 'Sign-in did not complete',
    message: 'Microsoft returned an error we did not expect. Nothing was changed and your link still works.',
    next: 'Open the link again. If it keeps happening, tell your PAL admin the time it happened.',
  },
  decision_expired: {
    status: 400,
    title: 'This choice has expired',
    message: 'Choices after sign-in must be made within 30 minutes and in the same browser.',
    next: 'Open the link from your email again to see the current state.',
  },
} as const;

export type ProblemKey = keyof typeof PROBLEMS;
