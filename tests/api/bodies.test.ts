import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ADMIN, appPerTest } from './support.ts';

const setup = appPerTest();

describe('request bodies', () => {
  it('answers malformed JSON with 400 in the one error shape', async () => {
    const { app } = await setup();
    const res = await request(app)
      .post('/api/consultants')
      .set(ADMIN)
      .set('content-type', 'application/json')
      .send('{"email": "ada@contoso.example",');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: {
        code: 'bad_request',
        message: 'The request body is not valid JSON',
        requestId: res.headers['x-request-id'],
      },
    });
  });

  it('answers a body over 256 kB with 413', async () => {
    const { app } = await setup();
    const res = await request(app)
      .post('/api/consultants')
      .set(ADMIN)
      .send({ email: 'ada@contoso.example', displayName: 'a'.repeat(300_000) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('answers a body that is not JSON with 415, naming the content type to send', async () => {
    const { app } = await setup();
    for (const [type, body] of [
      ['text/plain', 'email=ada@contoso.example'],
      ['application/x-www-form-urlencoded', 'email=ada%40contoso.example'],
      ['text/csv', 'email\nada@contoso.example'],
    ]) {
      const res = await request(app)
        .post('/api/consultants')
        .set(ADMIN)
        .set('content-type', type!)
        .send(body);
      expect(res.status, type).toBe(415);
      expect(res.body.error).toMatchObject({
        code: 'unsupported_media_type',
        message: 'Send Content-Type: application/json',
      });
    }
  });

  it('accepts JSON with a charset parameter', async () => {
    const { app } = await setup();
    const res = await request(app)
      .post('/api/consultants')
      .set(ADMIN)
      .set('content-type', 'application/json; charset=utf-8')
      .send(JSON.stringify({ email: 'ada@contoso.example' }));
    expect(res.status).toBe(201);
  });

  it('checks the token before reading the body: an anonymous malformed body is a 401', async () => {
    const { app } = await setup();
    const res = await request(app)
      .post('/api/consultants')
      .set('content-type', 'application/json')
      .send('{nope');
    expect(res.status).toBe(401);
  });

  it('answers a JSON body that is not an object with 400', async () => {
    const { app } = await setup();
    const res = await request(app)
      .post('/api/consultants')
      .set(ADMIN)
      .set('content-type', 'application/json')
      .send('["ada@contoso.example"]');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
  });
});
