// Device profiles with coherent type, OS and browser, varied enough that per-device features carry signal.
import type { Faker } from '@faker-js/faker';
import { seededFaker } from './random.js';

export type DeviceType = 'mobile' | 'desktop' | 'tablet';

export interface DeviceProfile {
  deviceId: string;
  deviceType: DeviceType;
  os: string;
  browser: string;
}

type Weighted<T> = readonly { weight: number; value: T }[];
type OsFamily = 'Android' | 'iOS' | 'iPadOS' | 'Windows' | 'macOS' | 'Linux';

const DEVICE_TYPES: Weighted<DeviceType> = [
  { weight: 65, value: 'mobile' },
  { weight: 28, value: 'desktop' },
  { weight: 7, value: 'tablet' },
];

/** Operating-system families per device type, each with the versions seen in the wild. */
const OPERATING_SYSTEMS: Readonly<Record<DeviceType, Weighted<{ family: OsFamily; versions: readonly string[] }>>> = {
  mobile: [
    { weight: 85, value: { family: 'Android', versions: ['11', '12', '13', '14', '15'] } },
    { weight: 15, value: { family: 'iOS', versions: ['16.7', '17.5', '18.1', '18.4'] } },
  ],
  desktop: [
    { weight: 75, value: { family: 'Windows', versions: ['10', '11'] } },
    { weight: 20, value: { family: 'macOS', versions: ['13', '14', '15'] } },
    { weight: 5, value: { family: 'Linux', versions: ['Ubuntu 22.04', 'Ubuntu 24.04', 'Fedora 40'] } },
  ],
  tablet: [
    { weight: 60, value: { family: 'Android', versions: ['12', '13', '14'] } },
    { weight: 40, value: { family: 'iPadOS', versions: ['17.5', '18.1'] } },
  ],
};

const BROWSERS: Readonly<Record<OsFamily, Weighted<string>>> = {
  Android: [
    { weight: 70, value: 'Chrome' },
    { weight: 15, value: 'Samsung Internet' },
    { weight: 10, value: 'Opera Mini' },
    { weight: 5, value: 'Firefox' },
  ],
  iOS: [
    { weight: 80, value: 'Safari' },
    { weight: 20, value: 'Chrome' },
  ],
  iPadOS: [
    { weight: 85, value: 'Safari' },
    { weight: 15, value: 'Chrome' },
  ],
  Windows: [
    { weight: 65, value: 'Chrome' },
    { weight: 25, value: 'Edge' },
    { weight: 10, value: 'Firefox' },
  ],
  macOS: [
    { weight: 55, value: 'Safari' },
    { weight: 40, value: 'Chrome' },
    { weight: 5, value: 'Firefox' },
  ],
  Linux: [
    { weight: 60, value: 'Firefox' },
    { weight: 40, value: 'Chrome' },
  ],
};

/** One device drawn from the given faker; the order generator uses it for home devices and for fraudsters' fresh ones. */
export function randomDeviceProfile(faker: Faker): DeviceProfile {
  const deviceType = faker.helpers.weightedArrayElement(DEVICE_TYPES);
  const os = faker.helpers.weightedArrayElement(OPERATING_SYSTEMS[deviceType]);
  return {
    deviceId: `dev-${faker.string.hexadecimal({ length: 16, casing: 'lower', prefix: '' })}`,
    deviceType,
    os: `${os.family} ${faker.helpers.arrayElement(os.versions)}`,
    browser: faker.helpers.weightedArrayElement(BROWSERS[os.family]),
  };
}

export interface GenerateDevicesOptions {
  seed: number;
  count?: number;
}

export function generateDevices(options: GenerateDevicesOptions): DeviceProfile[] {
  const { seed, count = 10 } = options;
  const faker = seededFaker(seed);
  return Array.from({ length: count }, () => randomDeviceProfile(faker));
}
