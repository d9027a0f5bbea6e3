// Jest globalSetup: starts the real services a project's tests need before any test runs, so that provisioning them
// (minutes on a new machine: Kafka jars from Maven Central, the emulator built with Go) never counts against a test's
// timeout. A service already named in the environment, or a Docker engine for Testcontainers, is left to libs/testing.
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

/** The variable that points tests at each tools/services service (as in libs/testing's SERVICE_ENV). */
const SERVICE_VARIABLE = { postgres: 'DATABASE_URL', kafka3: 'KAFKA_BROKERS', kafka4: 'KAFKA4_BROKERS', bigquery: 'BIGQUERY_EMULATOR_HOST' };

module.exports = async function provisionServices(_globalConfig, projectConfig) {
  const wanted = projectConfig.globals?.fraudlineServices ?? [];
  const missing = wanted.filter((name) => !process.env[SERVICE_VARIABLE[name]]);
  if (missing.length === 0 || existsSync('/var/run/docker.sock') || process.env.DOCKER_HOST) return;
  execFileSync('bash', [path.join(__dirname, 'services.sh'), 'up', ...missing], { stdio: ['ignore', 'inherit', 'inherit'] });
};
