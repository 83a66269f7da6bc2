import tls from 'node:tls';

const trusted = new Set<string>();

/**
 * Adds a certificate authority to those this process trusts for outbound TLS: the sandbox's CA, so
 * MSAL (which uses fetch) and the Azure SDKs (node:https) accept its certificate with no code path
 * of their own. Microsoft's endpoints stay verified against the usual roots, which are kept.
 */
export function trustCertificateAuthority(pem: string): void {
  if (trusted.has(pem)) return;
  if (typeof tls.setDefaultCACertificates !== 'function') {
    throw new Error(
      `Node ${process.versions.node} cannot add a trusted CA at run time; use Node 22.19+ or start with NODE_EXTRA_CA_CERTS=<the sandbox ca.pem>`,
    );
  }
  trusted.add(pem);
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), ...trusted]);
}
