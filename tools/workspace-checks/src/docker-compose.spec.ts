import { pipelineEnvSchema } from '@fraudline/runtime';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { findWorkspaceRoot } from './workspace.js';

const root = findWorkspaceRoot();

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  ports?: string[];
  environment?: Record<string, string | number>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  restart?: string;
}

const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};
const configVariables = new Set(Object.keys(pipelineEnvSchema.shape));

describe('docker-compose.yml', () => {
  it('describes the three services, the migration and the three apps', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['batch-loader', 'bigquery-emulator', 'kafka', 'migrate', 'postgres', 'producer', 'subscriber']);
  });

  it('migrates the schema once, before any app starts', () => {
    const migrate = compose.services['migrate']!;
    expect(migrate.command).toEqual(['apps/batch-loader/dist/main.js', 'migrate']);
    expect(migrate.restart).toBe('no');
    expect(migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    for (const name of ['producer', 'subscriber', 'batch-loader']) {
      expect(compose.services[name]!.depends_on?.['migrate']).toEqual({ condition: 'service_completed_successfully' });
    }
  });

  it('publishes every port on 127.0.0.1 only', () => {
    const published = Object.values(compose.services).flatMap((service) => service.ports ?? []);
    expect(published.length).toBeGreaterThan(0);
    expect(published.filter((port) => !port.startsWith('127.0.0.1:'))).toEqual([]);
  });

  it('gives every infrastructure service a health check and a named volume', () => {
    for (const name of ['postgres', 'kafka', 'bigquery-emulator']) {
      const service = compose.services[name]!;
      expect(service.healthcheck?.test.length).toBeGreaterThan(0);
      const [volume] = (service.volumes ?? [])[0]!.split(':');
      expect(Object.keys(compose.volumes)).toContain(volume);
    }
  });

  it('passes the apps only variables the config schema knows, with values it accepts', () => {
    for (const name of ['migrate', 'producer', 'subscriber', 'batch-loader']) {
      const environment = compose.services[name]!.environment ?? {};
      expect(Object.keys(environment).filter((key) => !configVariables.has(key))).toEqual([]);
      const resolved = Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, String(value).replace(/\$\{\w+:-([^}]*)\}/g, '$1')]));
      expect(pipelineEnvSchema.safeParse(resolved).error?.issues ?? []).toEqual([]);
    }
  });

  it('points the apps at the ports the services listen on', () => {
    const subscriber = compose.services['subscriber']!;
    expect(subscriber.ports).toContain(`127.0.0.1:${subscriber.environment!['PORT']}:${subscriber.environment!['PORT']}`);
    expect(subscriber.environment!['KAFKA_BROKERS']).toBe('kafka:9092');
    expect(compose.services['kafka']!.environment!['KAFKA_LISTENERS']).toContain('PLAINTEXT://:9092');
    expect(subscriber.environment!['DATABASE_URL']).toMatch(/@postgres:5432\//);
    expect(compose.services['postgres']!.ports).toContain('127.0.0.1:5432:5432');
    expect(subscriber.environment!['BIGQUERY_EMULATOR_HOST']).toBe('http://bigquery-emulator:9050');
    expect(compose.services['bigquery-emulator']!.command).toContain('--port=9050');
  });
});
