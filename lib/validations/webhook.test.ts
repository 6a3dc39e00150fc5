import { describe, expect, it } from 'vitest';
import { alertSettingsSchema, webhookInputSchema } from './webhook';

describe('webhook settings as forms and scripts give them', () => {
  it('takes http and https URLs, and refuses other schemes, credentials in the URL and text that is no URL', () => {
    expect(webhookInputSchema.parse({ url: ' https://alerts.example.org/lifeboat ' }).url).toBe('https://alerts.example.org/lifeboat');
    expect(webhookInputSchema.parse({ url: 'http://10.0.0.5:8080/hook' }).url).toBe('http://10.0.0.5:8080/hook');
    expect(() => webhookInputSchema.parse({ url: 'ftp://example.org/x' })).toThrow(/must be an http:\/\/ or https:\/\/ URL/);
    expect(() => webhookInputSchema.parse({ url: 'https://user:pw@example.org/x' })).toThrow(/must not carry a user or password/);
    expect(() => webhookInputSchema.parse({ url: 'alerts' })).toThrow(/is not a URL/);
  });

  it('takes whole hours from 1 to 90 days, amber no later than red', () => {
    expect(alertSettingsSchema.parse({ warnAfterHours: '12', noGoodBackupHours: '36' })).toEqual({ warnAfterHours: 12, noGoodBackupHours: 36 });
    expect(() => alertSettingsSchema.parse({ warnAfterHours: '12', noGoodBackupHours: '0' })).toThrow(/at least 1 hour/);
    expect(() => alertSettingsSchema.parse({ warnAfterHours: '1.5', noGoodBackupHours: '36' })).toThrow(/whole hours/);
    expect(() => alertSettingsSchema.parse({ warnAfterHours: '12', noGoodBackupHours: String(24 * 91) })).toThrow(/at most 90 days/);
    expect(() => alertSettingsSchema.parse({ warnAfterHours: '48', noGoodBackupHours: '24' })).toThrow(/must not be more than the red threshold/);
  });
});
