import { describe, expect, it } from 'vitest';
import { captureLogs } from '../support/app.ts';
import { setup, startWebhookServer } from './support.ts';

describe('the alert webhook after a health check run', () => {
  it('posts one JSON message with Slack’s text and a Teams Adaptive Card attachment', async () => {
    const hook = await startWebhookServer();
    const t = await setup({ ALERT_WEBHOOK_URL: hook.url });
    const dana = await t.addConsultant('dana@contoso.example', 'Dana <!channel> Scully');
    await t.notify(t.report([{ consultant: dana, from: 'healthy', to: 'pal_mismatch' }]));

    expect(hook.received).toHaveLength(1);
    const [request] = hook.received;
    expect(request!.method).toBe('POST');
    expect(request!.headers['content-type']).toBe('application/json');
    const body = JSON.parse(request!.body);
    // Slack: the message is `text`; a name cannot ping the channel.
    expect(body.text).toContain('PAL health check (Contoso): 1 change, 1 needs action');
    expect(body.text).toContain('Dana &lt;!channel&gt; Scully');
    expect(body.text).toContain('healthy → pal_mismatch');
    expect(body.text).not.toContain('<!channel>');
    // Teams Workflows: a message whose attachment is an Adaptive Card.
    expect(body.type).toBe('message');
    expect(body.attachments).toHaveLength(1);
    const [attachment] = body.attachments;
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(attachment.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    const runs = JSON.stringify(attachment.content.body);
    expect(runs).toContain('"type":"TextRun","text":"Dana <!channel> Scully"');
    expect(attachment.content.actions[0]).toMatchObject({
      type: 'Action.OpenUrl',
      url: 'https://pal.contoso.example/api/health-checks/run-1',
    });
  });

  it('waits as long as a 429’s Retry-After asks, then delivers on the next attempt', async () => {
    const hook = await startWebhookServer({
      replies: [{ status: 429, headers: { 'retry-after': '7' }, body: 'rate_limited' }],
    });
    const t = await setup({ ALERT_WEBHOOK_URL: hook.url });
    const dana = await t.addConsultant('dana@contoso.example', 'Dana Scully');
    await t.notify(t.report([{ consultant: dana, to: 'no_access' }]));

    expect(hook.received).toHaveLength(2);
    expect(t.waits).toEqual([7000]);
    expect(hook.received[1]!.body).toBe(hook.received[0]!.body);
    expect(await t.auditEvents('health.webhook_failed')).toHaveLength(0);
  });

  it('gives up after three attempts on a persistent 500, audits it by host only, and the hook still resolves', async () => {
    const hook = await startWebhookServer({ always: { status: 500, body: 'upstream exploded' } });
    const logs = captureLogs();
    const t = await setup({ ALERT_WEBHOOK_URL: hook.url }, { logger: logs.logger });
    const dana = await t.addConsultant('dana@contoso.example', 'Dana Scully');

    await expect(t.notify(t.report([{ consultant: dana, to: 'no_access' }]))).resolves.toBeUndefined();

    expect(hook.received).toHaveLength(3);
    expect(t.waits).toEqual([1000, 2000]);
    const [event] = await t.auditEvents('health.webhook_failed');
    expect(event).toMatchObject({ actor: 'health-check', subject_type: 'check_run', subject_id: 'run-1' });
    expect(JSON.parse(event!.detail!)).toEqual({
      host: hook.host,
      attempts: 3,
      status: 500,
      reason: 'HTTP 500: upstream exploded',
    });
    // The URL is a secret: neither its path nor its signature reach the audit log or the logs.
    const everything = [event!.detail, ...logs.lines].join('\n');
    expect(everything).toContain(hook.host);
    expect(everything).not.toContain('S3cretSignature');
    expect(everything).not.toContain('/workflows/7f3a');
  });

  it('treats a server that never answers as failed after the timeout, without hanging the run', async () => {
    const hook = await startWebhookServer({ always: 'hang' });
    const t = await setup({ ALERT_WEBHOOK_URL: hook.url });
    const dana = await t.addConsultant('dana@contoso.example', 'Dana Scully');
    await t.notify(t.report([{ consultant: dana, to: 'no_access' }]));

    expect(hook.received).toHaveLength(3);
    const [event] = await t.auditEvents('health.webhook_failed');
    expect(JSON.parse(event!.detail!)).toMatchObject({ attempts: 3, reason: 'timed out' });
  });

  it('does not retry or follow a redirect, which would hand the message to another host', async () => {
    const hook = await startWebhookServer({
      always: { status: 307, headers: { location: 'http://127.0.0.1:9/elsewhere' } },
    });
    const t = await setup({ ALERT_WEBHOOK_URL: hook.url });
    const dana = await t.addConsultant('dana@contoso.example', 'Dana Scully');
    await t.notify(t.report([{ consultant: dana, to: 'no_access' }]));

    expect(hook.received).toHaveLength(1);
    const [event] = await t.auditEvents('health.webhook_failed');
    expect(JSON.parse(event!.detail!)).toMatchObject({ attempts: 1, status: 307 });
  });

  it('posts nothing when no verdict changed and no alert was raised', async () => {
    const hook = await startWebhookServer();
    const t = await setup({ ALERT_WEBHOOK_URL: hook.url, DIGEST_ALWAYS: 'true' });
    await t.notify(t.report([]));
    expect(hook.received).toHaveLength(0);
  });
});
