// Device profiles are reproducible, unique and internally coherent.
import { generateDevices } from './devices.js';

describe('generateDevices', () => {
  const devices = generateDevices({ seed: 11, count: 2000 });

  it('is reproducible under a seed', () => {
    expect(generateDevices({ seed: 11, count: 2000 })).toEqual(devices);
    expect(generateDevices({ seed: 12, count: 2000 })).not.toEqual(devices);
  });

  it('has unique ids and coherent, varied type / OS / browser combinations', () => {
    expect(new Set(devices.map((device) => device.deviceId)).size).toBe(devices.length);
    expect(new Set(devices.map((device) => device.deviceType))).toEqual(new Set(['mobile', 'desktop', 'tablet']));
    expect(new Set(devices.map((device) => `${device.os}/${device.browser}`)).size).toBeGreaterThan(30);
    for (const device of devices) {
      if (device.deviceType === 'desktop') expect(device.os).toMatch(/^(Windows|macOS|Linux) /);
      else expect(device.os).toMatch(/^(Android|iOS|iPadOS) /);
      if (device.browser === 'Safari') expect(device.os).toMatch(/^(iOS|iPadOS|macOS) /);
    }
  });
});
