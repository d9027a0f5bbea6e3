// A Kafka broker of one test's own (tools/services' jars and settings, free ports, a temp data dir) that the test may kill and start again without disturbing the tests sharing the kafka3 broker.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findWorkspaceRoot, ServiceUnavailableError } from './services.js';
import { freePort, waitFor } from './waiting.js';

export interface KafkaBrokerOptions {
  /** Whose version and settings to run: tools/services' kafka3 (default) or kafka4. */
  service?: 'kafka3' | 'kafka4';
  /** How long one start may take (default 120 s: the first start on a new machine downloads the jars). */
  readyTimeoutMs?: number;
}

export interface KafkaBroker {
  /** host:port, for KAFKA_BROKERS. */
  readonly brokers: string;
  /** Its config, data and log (broker.log); the same on every start. */
  readonly dir: string;
  /** The broker JVM's pid while it runs, else undefined. */
  readonly pid: number | undefined;
  /** Starts it again on the same ports and data; resolves once it serves. */
  start(): Promise<void>;
  /** Signals the broker (default SIGKILL, a crash) and resolves once it has exited; SIGKILL follows after 30 s. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Kills it if it runs and deletes its directory; safe to call more than once. */
  close(): Promise<void>;
  /** The last lines of its log, for failure messages. */
  logTail(lines?: number): string;
}

/** Brokers still running; killed if the test process exits before closing them. */
const running = new Set<ChildProcess>();
let exitHook = false;

function killOnExit(child: ChildProcess): void {
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => running.forEach((broker) => broker.kill('SIGKILL')));
  }
  running.add(child);
  child.once('exit', () => running.delete(child));
}

const portAnswers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1')
      .once('connect', () => {
        socket.destroy();
        resolve(true);
      })
      .once('error', () => resolve(false));
  });

async function twoFreePorts(): Promise<[number, number]> {
  for (;;) {
    const [a, b] = [await freePort(), await freePort()];
    if (a !== b) return [a, b];
  }
}

/** Starts a single-node KRaft broker (broker + controller) through `services.sh kafka-broker`; close() it in afterAll. */
export async function startKafkaBroker({ service = 'kafka3', readyTimeoutMs = 120_000 }: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
  const root = findWorkspaceRoot();
  const script = root && join(root, 'tools', 'services', 'services.sh');
  if (!script || !existsSync(script)) throw new ServiceUnavailableError('A Kafka broker of its own needs tools/services/services.sh (java 17+ and maven).');
  const [port, controllerPort] = await twoFreePorts();
  const dir = mkdtempSync(join(tmpdir(), `fraudline-${service}-`));
  const logFile = join(dir, 'broker.log');
  const readLog = (from = 0) => (existsSync(logFile) ? readFileSync(logFile).subarray(from).toString('utf8') : '');
  let child: ChildProcess | undefined;
  let exited = Promise.resolve();

  const broker: KafkaBroker = {
    brokers: `127.0.0.1:${port}`,
    dir,
    get pid() {
      return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    async start() {
      if (broker.pid !== undefined) throw new Error(`${service} broker on ${broker.brokers} is already running`);
      const from = existsSync(logFile) ? statSync(logFile).size : 0;
      const fd = openSync(logFile, 'a');
      try {
        child = spawn('bash', [script, 'kafka-broker', service, dir, String(port), String(controllerPort)], { stdio: ['ignore', fd, fd] });
      } finally {
        closeSync(fd);
      }
      const current = child;
      killOnExit(current);
      exited = new Promise((resolve) => current.once('exit', () => resolve()));
      const gone = () => current.exitCode !== null || current.signalCode !== null;
      try {
        await waitFor(
          `${service} broker on ${broker.brokers}`,
          async () => gone() || (readLog(from).includes('Kafka Server started') && (await portAnswers(port))),
          readyTimeoutMs,
          250,
        );
      } catch (error) {
        await broker.stop();
        throw new Error(`${(error as Error).message}; last lines of ${logFile}:\n${broker.logTail()}`);
      }
      if (gone())
        throw new Error(`${service} broker exited during start-up (${current.exitCode ?? current.signalCode}); last lines of ${logFile}:\n${broker.logTail()}`);
    },
    async stop(signal = 'SIGKILL') {
      const current = child;
      if (!current || broker.pid === undefined) return;
      current.kill(signal);
      const killLater = setTimeout(() => current.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(killLater);
    },
    async close() {
      await broker.stop('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
    logTail(lines = 40) {
      return readLog().split('\n').slice(-lines).join('\n');
    },
  };
  try {
    await broker.start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return broker;
}
