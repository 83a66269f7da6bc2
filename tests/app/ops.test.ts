import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, captureLogs } from '../support/app.ts';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('operations endpoints', () => {
  it('reports live on /healthz', async () => {
    const built = await buildTestApp();
    close = built.close;
    const res = await request(built.app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('reports ready once the database is reachable and migrated', async () => {
    const built = await buildTestApp();
    close = built.close;
    const res = await request(built.app).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.checks).toMatchObject({ database: 'reachable', migrations: 'applied' });
  });

  it('reports not ready while shutting down, so load balancers drain the instance', async () => {
    const built = await buildTestApp();
    close = built.close;
    built.deps.lifecycle.markShuttingDown();
    const res = await request(built.app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.status).toBe('not_ready');
  });

  it('reports not ready when the database is gone', async () => {
    const built = await buildTestApp();
    await built.close();
    const res = await request(built.app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.checks.database).toBe('unreachable');
  });

  it('exposes Prometheus metrics with request timings by route', async () => {
    const built = await buildTestApp();
    close = built.close;
    await request(built.app).get('/healthz');
    const res = await request(built.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toMatch(
      /pal_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} 1/,
    );
    expect(res.text).toMatch(/pal_process_cpu_user_seconds_total/);
  });
});

describe('errors and headers', () => {
  it('answers an unknown route with the one error shape and a request ID', async () => {
    const built = await buildTestApp();
    close = built.close;
    const res = await request(built.app).get('/no/such/page');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: {
        code: 'not_found',
        message: 'No route for GET /no/such/page',
        requestId: res.headers['x-request-id'],
      },
    });
  });

  it('keeps a well-formed caller request ID for tracing and replaces a hostile one', async () => {
    const built = await buildTestApp();
    close = built.close;
    const kept = await request(built.app).get('/healthz').set('x-request-id', 'trace-1234abcd');
    expect(kept.headers['x-request-id']).toBe('trace-1234abcd');
    const replaced = await request(built.app)
      .get('/healthz')
      .set('x-request-id', '<script>alert(1)</script>');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers: a strict CSP with no inline script, no referrer, no framing', async () => {
    const built = await buildTestApp();
    close = built.close;
    const res = await request(built.app).get('/healthz');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('logs', () => {
  it('never write authorization headers, cookies or invitation tokens', async () => {
    const logs = captureLogs();
    const built = await buildTestApp({ logger: logs.logger });
    close = built.close;
    const secret = 'Bearer sk_live_should_never_be_logged_0123456789';
    const token = 'inv_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';
    await request(built.app)
      .get('/api/anything')
      .set('authorization', secret)
      .set('cookie', 'sid=cookie-secret-value');
    await request(built.app).get(`/i/${token}`);
    await request(built.app).get('/auth/callback?code=oauth-code-secret&state=state-secret');
    const text = logs.lines.join('');
    expect(text).toContain('/i/[redacted]');
    for (const needle of [
      'sk_live_should_never_be_logged',
      'cookie-secret-value',
      token,
      'oauth-code-secret',
      'state-secret',
    ]) {
      expect(text).not.toContain(needle);
    }
  });
});
