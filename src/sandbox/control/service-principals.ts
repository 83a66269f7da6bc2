import { randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import type { Router } from 'express';
import { z } from 'zod';
import { badRequest, notFound } from '../../platform/errors.ts';
import { validate } from '../../platform/http/validate.ts';
import type { SandboxContext } from '../context.ts';
import { secretDigest, secretHint } from '../identity/service-principals.ts';
import type { SandboxServicePrincipal } from '../world/model.ts';

const DAY_MS = 86_400_000;
const addSecretBody = z.object({ days: z.number().int().min(1).max(3650).default(365) }).strict();
const addCertificateBody = z.object({ certificate: z.string().min(1).max(20_000) }).strict();

/** Never the digests: a listing shows what the portal shows (hint, expiry). */
function describe(sp: SandboxServicePrincipal, now: Date) {
  return {
    clientId: sp.clientId,
    tenantId: sp.tenantId,
    displayName: sp.displayName,
    objectId: sp.objectId,
    removed: sp.removed,
    secrets: sp.secrets.map((s) => ({
      id: s.id,
      hint: s.hint,
      expiresAt: s.expiresAt,
      expired: new Date(s.expiresAt) <= now,
    })),
    certificates: sp.certificates.length,
  };
}

/**
 * The control API's service principals (`/_sandbox/control/service-principals`): list them, add a
 * secret (returned once, as the portal does), expire every secret (→ AADSTS7000222), forget every
 * secret (→ 7000215), add a certificate, delete the service principal (→ 700016).
 */
export function registerServicePrincipalRoutes(router: Router, context: SandboxContext): void {
  const { world, clock } = context;
  const spOr404 = (clientId: string) => {
    const sp = (world.state.servicePrincipals ?? []).find(
      (candidate) => candidate.clientId.toLowerCase() === clientId.toLowerCase(),
    );
    if (!sp) throw notFound(`No service principal with client ID ${clientId}`);
    return sp;
  };

  router.get('/service-principals', (_req, res) => {
    res.json((world.state.servicePrincipals ?? []).map((sp) => describe(sp, clock.now())));
  });

  router.post('/service-principals/:clientId/secrets', (req, res) => {
    const sp = spOr404(String(req.params.clientId));
    const { days } = validate(addSecretBody, req.body ?? {}, 'body');
    const secret = `sbx~${randomBytes(24).toString('base64url')}`;
    const expiresAt = new Date(clock.now().getTime() + days * DAY_MS).toISOString();
    world.change(() => {
      sp.secrets.push({
        id: randomUUID(),
        sha256: secretDigest(secret),
        hint: secretHint(secret),
        expiresAt,
      });
    });
    res.status(201).json({ clientId: sp.clientId, secret, expiresAt });
  });

  router.post('/service-principals/:clientId/secrets/expire', (req, res) => {
    const sp = spOr404(String(req.params.clientId));
    const past = new Date(clock.now().getTime() - 1000).toISOString();
    world.change(() => {
      for (const secret of sp.secrets) secret.expiresAt = past;
    });
    res.json(describe(sp, clock.now()));
  });

  router.delete('/service-principals/:clientId/secrets', (req, res) => {
    const sp = spOr404(String(req.params.clientId));
    world.change(() => {
      sp.secrets = [];
    });
    res.json(describe(sp, clock.now()));
  });

  router.post('/service-principals/:clientId/certificates', (req, res) => {
    const sp = spOr404(String(req.params.clientId));
    const { certificate } = validate(addCertificateBody, req.body, 'body');
    let parsed: X509Certificate;
    try {
      parsed = new X509Certificate(certificate);
    } catch {
      throw badRequest('certificate: not a PEM certificate');
    }
    world.change(() => {
      sp.certificates.push({ pem: parsed.toString(), expiresAt: new Date(parsed.validTo).toISOString() });
    });
    res.status(201).json(describe(sp, clock.now()));
  });

  router.delete('/service-principals/:clientId', (req, res) => {
    const sp = spOr404(String(req.params.clientId));
    world.change(() => {
      sp.removed = true;
    });
    res.json(describe(sp, clock.now()));
  });
}
