import type { Config } from '../platform/config/index.ts';

/**
 * What a consultant can forward or run when our sign-in cannot reach a tenant: the admin-consent link
 * for that tenant's administrator, and the one-line commands that set the same link by hand.
 */
export function consentHelp(
  config: Pick<Config, 'azure' | 'publicBaseUrl'>,
  tenantId: string,
  partnerId: string,
) {
  const url = new URL(
    `${config.azure.browserAuthorityHost}/${encodeURIComponent(tenantId)}/v2.0/adminconsent`,
  );
  url.searchParams.set('client_id', config.azure.clientId);
  url.searchParams.set('scope', 'https://management.azure.com/user_impersonation');
  url.searchParams.set('redirect_uri', `${config.publicBaseUrl}/auth/admin-consent`);
  return {
    adminConsentUrl: url.toString(),
    azureCli: `az login --tenant ${tenantId} && az managementpartner create --partner-id ${partnerId}`,
    powerShell: `Connect-AzAccount -Tenant ${tenantId}; New-AzManagementPartner -PartnerId ${partnerId}`,
    portal: `In the Azure portal, switch to this customer's directory, search for “Link to a partner ID”, and enter ${partnerId}.`,
  };
}
