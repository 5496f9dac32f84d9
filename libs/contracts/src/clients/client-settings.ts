/**
 * An account's billing switches with their defaults: the one list the
 * answer's `settings`, the requests that set them and the stored account
 * follow (a null in a patch puts a switch back to its default here).
 */
export const CLIENT_SETTINGS_DEFAULTS = {
  taxExempt: false,
  lateFeesExempt: false,
  overdueNotices: true,
  separateInvoices: false,
  disableCardProcessing: false,
  marketingOptOut: false,
  autoStatusUpdate: true,
  allowSingleSignOn: false,
  paymentMethod: null as string | null,
  billingContact: null as string | null,
  clientGroup: null as string | null,
};

export type ClientSettings = typeof CLIENT_SETTINGS_DEFAULTS;
export type ClientSettingKey = keyof ClientSettings;
export const CLIENT_SETTING_KEYS = Object.keys(CLIENT_SETTINGS_DEFAULTS) as ClientSettingKey[];

/** The settings in the list's order, every key present (stored JSON keeps neither order nor absent keys). */
export function settingsInOrder(stored: Partial<ClientSettings>): ClientSettings {
  const settings = {} as Record<ClientSettingKey, unknown>;
  for (const key of CLIENT_SETTING_KEYS) settings[key] = stored[key] ?? CLIENT_SETTINGS_DEFAULTS[key];
  return settings as ClientSettings;
}
