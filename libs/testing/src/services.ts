// Finds a real Kafka broker, Postgres server or BigQuery emulator for tests: environment, then Testcontainers, then tools/services.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type ServiceName = 'postgres' | 'kafka' | 'kafka4' | 'bigquery';

/** The environment variables that point tests at each service; tools/services prints the same names. */
export const SERVICE_ENV: Record<ServiceName, readonly string[]> = {
  postgres: ['DATABASE_URL'],
  kafka: ['KAFKA_BROKERS', 'KAFKA_VERSION'],
  kafka4: ['KAFKA4_BROKERS', 'KAFKA4_VERSION'],
  bigquery: ['BIGQUERY_EMULATOR_HOST', 'BIGQUERY_PROJECT'],
};

/** Which tools/services name provisions each service. */
const PROVISIONED_AS: Record<ServiceName, string> = { postgres: 'postgres', kafka: 'kafka3', kafka4: 'kafka4', bigquery: 'bigquery' };

export class ServiceUnavailableError extends Error {
  override readonly name = 'ServiceUnavailableError';
}

export interface ServiceResolution {
  env: Record<string, string>;
  source: 'environment' | 'testcontainers' | 'tools/services';
}

function fromEnvironment(name: ServiceName): Record<string, string> | undefined {
  const [primary, ...optional] = SERVICE_ENV[name] as [string, ...string[]];
  const primaryValue = process.env[primary];
  if (!primaryValue) return undefined;
  const env: Record<string, string> = { [primary]: primaryValue };
  for (const key of optional) {
    const value = process.env[key];
    if (value) env[key] = value;
  }
  if (name === 'bigquery') env['BIGQUERY_PROJECT'] ??= 'test';
  return env;
}

/** The nearest folder above `from` holding nx.json, or undefined outside the workspace. */
export function findWorkspaceRoot(from = process.cwd()): string | undefined {
  for (let dir = resolve(from); ; dir = resolve(dir, '..')) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (resolve(dir, '..') === dir) return undefined;
  }
}

function dockerReachable(): boolean {
  return existsSync('/var/run/docker.sock') || Boolean(process.env['DOCKER_HOST']);
}

async function fromTestcontainers(name: ServiceName): Promise<Record<string, string>> {
  switch (name) {
    case 'postgres': {
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      const container = await new PostgreSqlContainer('postgres:16-alpine').start();
      return { DATABASE_URL: container.getConnectionUri() };
    }
    case 'kafka':
    case 'kafka4': {
      const { KafkaContainer } = await import('@testcontainers/kafka');
      const image = name === 'kafka' ? 'apache/kafka:3.9.1' : 'apache/kafka:4.1.1';
      const container = await new KafkaContainer(image).withKraft().start();
      return { [SERVICE_ENV[name][0] as string]: `${container.getHost()}:${container.getMappedPort(9093)}` };
    }
    case 'bigquery': {
      const { GenericContainer } = await import('testcontainers');
      const container = await new GenericContainer('ghcr.io/goccy/bigquery-emulator:0.8.1').withCommand(['--project=test']).withExposedPorts(9050).start();
      return { BIGQUERY_EMULATOR_HOST: `http://${container.getHost()}:${container.getMappedPort(9050)}`, BIGQUERY_PROJECT: 'test' };
    }
  }
}

function isRunning(script: string, name: ServiceName): boolean {
  try {
    execFileSync('bash', [script, 'status', PROVISIONED_AS[name]], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `tools/services up <service>` and reads that service's variables from its `env`. Only the service just started
 * counts as provided: exporting the variables of services nobody started would send later tests to closed ports.
 */
function fromToolsServices(name: ServiceName, root: string | undefined): Record<string, string> | undefined {
  if (!root) return undefined;
  const script = join(root, 'tools', 'services', 'services.sh');
  if (!existsSync(script)) return undefined;
  // A running service is read without `up`: `up` waits for the lock that another project's provisioning (the emulator
  // build takes minutes) may hold. services.sh serializes concurrent `up` callers itself (flock).
  if (!isRunning(script, name)) execFileSync('bash', [script, 'up', PROVISIONED_AS[name]], { stdio: ['ignore', 'inherit', 'inherit'] });
  const printed = execFileSync('bash', [script, 'env', PROVISIONED_AS[name]], { encoding: 'utf8' });
  const env: Record<string, string> = {};
  for (const match of printed.matchAll(/^export (\w+)=['"]?([^'"\n]*)['"]?$/gm)) {
    const [, key, value] = match as unknown as [string, string, string];
    if (SERVICE_ENV[name].includes(key)) env[key] = value;
  }
  return env[SERVICE_ENV[name][0]!] ? env : undefined;
}

const resolved = new Map<ServiceName, Promise<ServiceResolution>>();

/** What the resolution looks at; tests substitute a bare machine. */
export interface ServiceProbes {
  dockerReachable: () => boolean;
  workspaceRoot: string | undefined;
}

const machineProbes = (): ServiceProbes => ({ dockerReachable, workspaceRoot: findWorkspaceRoot() });

export async function resolveService(name: ServiceName, probes: ServiceProbes = machineProbes()): Promise<ServiceResolution> {
  const env = fromEnvironment(name);
  if (env) return { env, source: 'environment' };
  if (probes.dockerReachable()) return { env: await fromTestcontainers(name), source: 'testcontainers' };
  const provisioned = fromToolsServices(name, probes.workspaceRoot);
  if (provisioned) return { env: provisioned, source: 'tools/services' };
  throw new ServiceUnavailableError(
    `No ${name} for tests. Provide one of: ${SERVICE_ENV[name].join(' + ')} in the environment; ` +
      'a Docker engine for Testcontainers; or `bash tools/services/services.sh up` (needs java+mvn, go, and Postgres or apt).',
  );
}

/**
 * Returns the connection settings of a real service and exports them into process.env.
 * Never skips: a missing service is a failing test, with a message naming the ways to provide it.
 */
export async function requireService(name: ServiceName): Promise<Record<string, string>> {
  let pending = resolved.get(name);
  if (!pending) {
    pending = resolveService(name);
    resolved.set(name, pending);
  }
  const { env } = await pending;
  Object.assign(process.env, env);
  return env;
}
