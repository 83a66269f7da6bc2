/**
 * What the service assumes when it runs as the sandbox and the operator left a value unset.
 * The sandbox seeds its simulated world from the resulting configuration, so these are the IDs
 * a newcomer sees in the demo ("Contoso", one global ID, two locations).
 */
export const SANDBOX_DEFAULTS = {
  tenantId: '7a1f3c52-0d4e-4b8a-9c61-2f5e8d3b4a10',
  clientId: '5d2a9e71-4c3b-4f08-8e6d-1b7c0a9f3e25',
  partnerName: 'Contoso',
  globalId: '4471230',
  locations: '4471231:Contoso United Kingdom,4471232:Contoso Germany',
  adminEmails: 'alex.admin@contoso.example',
  port: 3443,
} as const;
