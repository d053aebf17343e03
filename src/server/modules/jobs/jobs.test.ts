import { describe, expect, it } from 'vitest';
import { jobErrorText } from './jobs.ts';

describe('jobErrorText', () => {
  it('keeps the message, drops the stack, masks credentials, truncates', () => {
    const err = new Error('connect failed: postgres://kefu:s3cret@db.internal:5432/kefu (password=hunter2, token: abc.def)');
    const text = jobErrorText(err);
    expect(text).toContain('connect failed');
    expect(text).toContain('postgres://[redacted]@db.internal');
    expect(text).not.toMatch(/s3cret|hunter2|abc\.def/);
    expect(text).not.toContain('at ');
    expect(jobErrorText(new Error('Authorization: Bearer eyJhbGciOi.xyz'))).not.toContain('eyJhbGciOi');
    expect(jobErrorText(new Error(`bad kefu_${'a'.repeat(40)}`))).toBe('bad [redacted]');
    expect(jobErrorText(new TypeError('x'))).toBe('TypeError: x');
    expect(jobErrorText('plain')).toBe('plain');
    const long = jobErrorText(new Error('y'.repeat(5000)));
    expect(long.length).toBe(1000);
  });
});
