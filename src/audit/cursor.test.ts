import { describe, expect, it } from 'vitest';
import { formatCursor, parseCursor } from './cursor.ts';

describe('audit cursor', () => {
  const id = '0f8fad5b-d9cb-469f-a165-70867728950e';

  it('round-trips the cursor it hands out', () => {
    const cursor = formatCursor({ at: '2026-11-20T09:00:00.000Z', id });
    expect(parseCursor(cursor)).toEqual({ at: '2026-11-20T09:00:00.000Z', id });
  });

  it('accepts a bare ISO time and normalises it so it compares with stored times', () => {
    expect(parseCursor('2026-11-20T10:00:00+01:00')).toEqual({ at: '2026-11-20T09:00:00.000Z' });
    expect(parseCursor('2026-11-20T09:00Z')).toEqual({ at: '2026-11-20T09:00:00.000Z' });
  });

  it('refuses anything else', () => {
    for (const raw of [
      '',
      'yesterday',
      '2026-11-20',
      '2026-13-40T09:00:00Z',
      `2026-11-20T09:00:00Z_not-an-id`,
    ]) {
      expect(parseCursor(raw), raw).toBeUndefined();
    }
  });
});
