import { describe, expect, it } from 'vitest';
import { fillTemplate, postbackValues } from './send-delivery.js';

describe('postback templates', () => {
  it('fills known placeholders URL-encoded, empty when absent, and leaves unknown ones', () => {
    const values = postbackValues({
      click_id: 'c1',
      sub1: 'a b/c?d',
      sub2: null,
      order_id: '8001',
      commission: 320,
      currency: 'USD',
      status: 'paid',
    });
    expect(
      fillTemplate(
        'https://t.example/pb?c={click_id}&s1={sub1}&s2={sub2}&s5={sub5}&o={order_id}&v={commission}{currency}&st={status}&k={key}',
        values,
      ),
    ).toBe('https://t.example/pb?c=c1&s1=a%20b%2Fc%3Fd&s2=&s5=&o=8001&v=3.20USD&st=paid&k={key}');
  });

  it('writes the commission in the currency’s own decimals', () => {
    expect(postbackValues({ commission: 1234, currency: 'JPY' }).commission).toBe('1234');
    expect(postbackValues({ commission: '900719925474099312', currency: 'EUR' }).commission).toBe(
      '9007199254740993.12',
    );
    expect(postbackValues({ currency: 'EUR' }).commission).toBe('');
  });
});
