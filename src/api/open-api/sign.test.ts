import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openApiSignature, signatureMatches } from './sign.js';

describe('the Open API signature', () => {
  it('matches the published sha256 vector of a business method', () => {
    const params = {
      access_token: 'test',
      aliexpress_category_id: '200135143',
      app_key: '123456',
      method: 'aliexpress.logistics.redefining.getonlinelogisticsinfo',
      sign_method: 'sha256',
      timestamp: '1517820392000',
    };
    expect(openApiSignature(params, 'helloworld', 'sha256')).toBe(
      'F7F7926B67316C9D1E8E15F7E66940ED3059B1638C497D77973F30046EFB5BBB',
    );
  });

  it('matches the published sha256 vector of a system method named by its path', () => {
    const params = {
      app_key: '12345678',
      code: '3_500102_JxZ05Ux3cnnSSUm6dCxYg6Q26',
      sign_method: 'sha256',
      timestamp: '1517820392000',
    };
    expect(openApiSignature(params, 'helloworld', 'sha256', '/auth/token/create')).toBe(
      '35607762342831B6A417A0DED84B79C05FEFBF116969C48AD6DC00279A9F4D81',
    );
  });

  it('signs md5 and hmac as the platform does: sorted names, no separators, sign left out', () => {
    const params = { b: '2', a: '1', sign: 'ignored', c: 'x y' };
    const joined = 'a1b2cx y';
    expect(openApiSignature(params, 's3cret', 'md5')).toBe(
      createHash('md5').update(`s3cret${joined}s3cret`).digest('hex').toUpperCase(),
    );
    expect(openApiSignature(params, 's3cret', 'hmac')).toBe(
      createHmac('md5', 's3cret').update(joined).digest('hex').toUpperCase(),
    );
  });

  it('accepts the signature in either case and refuses any other', () => {
    const params = { app_key: '1', method: 'm', timestamp: '1' };
    const sign = openApiSignature(params, 'k', 'sha256');
    expect(signatureMatches(params, 'k', 'sha256', sign.toLowerCase())).toBe(true);
    expect(signatureMatches({ ...params, timestamp: '2' }, 'k', 'sha256', sign)).toBe(false);
    expect(signatureMatches(params, 'k', 'sha256', 'short')).toBe(false);
  });
});
