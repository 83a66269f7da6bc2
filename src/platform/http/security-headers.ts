import helmet from 'helmet';

/**
 * Security headers for every response. The content security policy allows no inline script and no
 * third-party origin: every asset is served by us; forms may only lead to us or to Microsoft sign-in. No page carries a referrer, because invitation
 * URLs hold tokens.
 */
export function securityHeaders(options: { https: boolean; signInOrigin: string }) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        // The Continue button's form redirects to the identity platform: browsers hold redirects after a
        // form submission to form-action too.
        formAction: ["'self'", options.signInOrigin],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(options.https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: options.https ? { maxAge: 15552000, includeSubDomains: false } : false,
    crossOriginEmbedderPolicy: false,
  });
}
