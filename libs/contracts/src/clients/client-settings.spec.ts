import { getMetadataStorage } from 'class-validator';
import { CLIENT_SETTING_KEYS, CLIENT_SETTINGS_DEFAULTS, settingsInOrder } from './client-settings';
import { ClientSettingsDto } from './create-client.request';
import { SettingsPatch } from './update-client.request';

const validatedKeys = (target: new () => object) =>
  [...new Set(getMetadataStorage().getTargetValidationMetadatas(target, '', true, false).map((m) => m.propertyName))].sort();

describe('the one list of client settings', () => {
  it('is what a create and a patch accept, key for key', () => {
    expect(validatedKeys(ClientSettingsDto)).toEqual([...CLIENT_SETTING_KEYS].sort());
    expect(validatedKeys(SettingsPatch)).toEqual([...CLIENT_SETTING_KEYS].sort());
  });

  it('puts stored settings in its order with a default for every missing key', () => {
    const stored = { clientGroup: 'vip', taxExempt: true };
    expect(Object.keys(settingsInOrder(stored))).toEqual(CLIENT_SETTING_KEYS);
    expect(settingsInOrder(stored)).toEqual({ ...CLIENT_SETTINGS_DEFAULTS, clientGroup: 'vip', taxExempt: true });
  });
});
