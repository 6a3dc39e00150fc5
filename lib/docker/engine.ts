import 'server-only';
import { pipeline, type Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';
import type DockerModem from 'docker-modem';
import { config, engineWorkTimeoutMs, streamIdleMs } from '@/lib/config';
import { dockerClient, type EngineConnection } from './connection';
import { LifeboatError } from '@/lib/errors';
import { engineError } from './engine-error';
import { describeIdle, guardRead, guardWrite } from './stream-watchdog';

export type EngineInfo = {
  hostname: string;
  serverVersion: string;
  operatingSystem: string;
  swarm: {
    nodeId: string | null;
    localState: string;
    isManager: boolean;
    nodeAddr: string | null;
    managers: number | null;
    error: string | null;
  };
};

export type SwarmNode = {
  id: string;
  hostname: string;
  role: 'manager' | 'worker';
  availability: string;
  state: string;
  address: string | null;
  engineVersion: string | null;
  leader: boolean;
  reachability: string | null;
};

export type ContainerMount = { type: string; name: string | null; destination: string; rw: boolean };

export type ContainerSummary = {
  id: string;
  name: string;
  image: string;
  imageId: string;
  state: string;
  status: string;
  labels: Record<string, string>;
  mounts: ContainerMount[];
};

/** An image ID that lib/docker/helper-image.ts checked on this engine: the only image helper containers run. */
export type HelperImageId = string & { readonly checkedHelperImage: unique symbol };

/** A script for a short-lived helper: sh, with `args` as $1, $2, …; `what` names it in errors. */
export type HelperScript = { image: HelperImageId; volumes: string[]; script: string; args: string[]; jobId: string; what: string };

export type VolumeSummary = { name: string; driver: string; labels: Record<string, string>; createdAt: string | null };

/**
 * The one place Lifeboat talks to a Docker engine. Every call has a deadline, and every failure
 * becomes a LifeboatError that names the engine and says what went wrong. Archive streams have an
 * idle deadline instead: `streamIdleMs` (default: LIFEBOAT_STREAM_IDLE_MS, read at each transfer).
 */
export class Engine {
  constructor(
    readonly name: string,
    private readonly docker: Docker,
    private readonly timeoutMs: number = config.engineTimeoutMs,
    private readonly streamIdleMs?: number,
  ) {}

  static connect(connection: EngineConnection, timeoutMs?: number) {
    return new Engine(connection.name, dockerClient(connection), timeoutMs);
  }

  private async call<T>(what: string, run: (abortSignal: AbortSignal) => Promise<T>, timeoutMs = this.timeoutMs) {
    try {
      return await run(AbortSignal.timeout(timeoutMs));
    } catch (error) {
      throw engineError(this.name, what, error, timeoutMs);
    }
  }

  async info(): Promise<EngineInfo> {
    const raw = await this.call('info', (abortSignal) => withSignal(this.docker, this.docker.info, abortSignal));
    const swarm = raw.Swarm ?? {};
    return {
      hostname: raw.Name,
      serverVersion: raw.ServerVersion,
      operatingSystem: raw.OperatingSystem,
      swarm: {
        nodeId: swarm.NodeID || null,
        localState: swarm.LocalNodeState || 'inactive',
        isManager: Boolean(swarm.ControlAvailable),
        nodeAddr: swarm.NodeAddr || null,
        managers: typeof swarm.Managers === 'number' ? swarm.Managers : null,
        error: swarm.Error || null,
      },
    };
  }

  /** `docker version`: answers even while `docker info` blocks on a swarm without a leader. */
  async version(): Promise<string> {
    const raw = await this.call('version', (abortSignal) => withSignal(this.docker, this.docker.version, abortSignal));
    return raw.Version;
  }

  /** `docker node ls`; only a manager answers, and only while the swarm has a leader. */
  async swarmNodes(): Promise<SwarmNode[]> {
    const raw: DockerNode[] = await this.call('node ls', (abortSignal) => this.docker.listNodes({ abortSignal }));
    return raw.map((n) => ({
      id: n.ID,
      hostname: n.Description?.Hostname ?? n.ID,
      role: n.Spec?.Role === 'manager' ? 'manager' : 'worker',
      availability: n.Spec?.Availability ?? 'unknown',
      state: n.Status?.State ?? 'unknown',
      address: n.Status?.Addr && n.Status.Addr !== '0.0.0.0' ? n.Status.Addr : (n.ManagerStatus?.Addr?.split(':')[0] ?? null),
      engineVersion: n.Description?.Engine?.EngineVersion ?? null,
      leader: Boolean(n.ManagerStatus?.Leader),
      reachability: n.ManagerStatus?.Reachability ?? null,
    }));
  }

  /** Every container on the engine, running or not. */
  async containers(): Promise<ContainerSummary[]> {
    const raw = await this.call('container ls', (abortSignal) => this.docker.listContainers({ all: true, abortSignal }));
    return raw.map((c) => ({
      id: c.Id,
      name: (c.Names[0] ?? c.Id).replace(/^\//, ''),
      image: c.Image,
      imageId: c.ImageID,
      state: c.State,
      status: c.Status,
      labels: c.Labels ?? {},
      mounts: (c.Mounts ?? []).map((m) => ({
        type: m.Type,
        name: m.Name ?? null,
        destination: m.Destination,
        rw: m.RW,
      })),
    }));
  }

  async volumes(): Promise<VolumeSummary[]> {
    const raw = await this.call('volume ls', (abortSignal) => this.docker.listVolumes({ abortSignal }));
    return (raw.Volumes ?? []).map((v) => ({
      name: v.Name,
      driver: v.Driver,
      labels: v.Labels ?? {},
      createdAt: (v as { CreatedAt?: string }).CreatedAt ?? null,
    }));
  }

  /** The `docker inspect` document of a container, as UCP 1.x stored it in its backups. */
  async inspectContainer(id: string): Promise<Docker.ContainerInspectInfo> {
    return this.call(`inspect ${id}`, (abortSignal) => this.docker.getContainer(id).inspect({ abortSignal }));
  }

  /** `docker stop`; a container that is already stopped, or gone, is fine. `name` is for messages. */
  async stopContainer(id: string, name = id, graceSeconds = 10) {
    await this.call(`stop ${name}`, (abortSignal) => ignoreStatus(this.docker.getContainer(id).stop({ t: graceSeconds, abortSignal }), [304, 404]), (graceSeconds + 20) * 1000);
  }

  /** `docker start`; a container that is already running is fine. `name` is for messages. */
  async startContainer(id: string, name = id) {
    await this.call(`start ${name}`, (abortSignal) => ignoreStatus(this.docker.getContainer(id).start({ abortSignal }), [304]), engineWorkTimeoutMs());
  }

  async removeContainer(id: string) {
    await this.call(`rm ${id}`, (abortSignal) => this.docker.getContainer(id).remove({ force: true, v: false, abortSignal }), engineWorkTimeoutMs());
  }

  /** The ID (`sha256:…`) of the image `ref` names on the engine, or null when it has none by that name. */
  async imageId(ref: string): Promise<string | null> {
    // dockerode's image inspect takes no abort signal: the modem's request does.
    return this.call(`image inspect ${ref}`, async (abortSignal) => {
      try {
        return (await dial<{ Id: string }>(this.docker, { path: `/images/${ref}/json`, method: 'GET', statusCodes: { 200: true, 404: 'no such image' }, abortSignal })).Id;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return null;
        throw error;
      }
    });
  }

  /**
   * `docker load` (`POST /images/load`) of an image tarball, streamed from `tar` to the engine. The
   * engine answers 200 and reports a failure in its body: that fails the load too. `tar` is closed
   * either way (a request that fails leaves it unread).
   */
  async loadImage(tar: Readable, what: string) {
    const answer = await this.call(
      `load ${what}`,
      async (abortSignal) => {
        const body = await this.docker.loadImage(tar, { quiet: true, abortSignal });
        let text = '';
        for await (const chunk of body) text += chunk;
        return text;
      },
      LOAD_IMAGE_TIMEOUT_MS,
    ).finally(() => tar.destroy());
    const failure = answer
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { error?: string })
      .find((message) => message.error);
    if (failure) throw new LifeboatError('engine_unavailable', `${this.name}: load ${what}: ${failure.error}`);
  }

  /**
   * A helper container of job `jobId` that mounts `volumes` at /lifeboat/<name>. Created, not started,
   * unless it has a `script`. Labelled, so a crash's leftovers can be found and removed.
   */
  private async createHelper(options: { role: string; image: HelperImageId; volumes: string[]; jobId: string; readOnly?: boolean; script?: string; args?: string[] }) {
    const { role, image, volumes, jobId, readOnly, script, args = [] } = options;
    return this.call(
      'create helper',
      (abortSignal) =>
        this.docker.createContainer({
          name: `lifeboat-${role}-${jobId}-${Date.now().toString(36)}`,
          Image: image,
          Entrypoint: script ? ['sh', '-c'] : [],
          // With sh -c, what follows the script is $0, $1, …: values never become shell text.
          Cmd: script ? [script, 'lifeboat', ...args] : ['true'],
          Labels: { 'com.lifeboat.helper': jobId },
          NetworkDisabled: true,
          // json-file whatever the engine's default driver: what a script prints is read back from its log.
          HostConfig: {
            Binds: volumes.map((v) => `${v}:/lifeboat/${v}${readOnly ? ':ro' : ''}`),
            NetworkMode: 'none',
            ...(script && { LogConfig: { Type: 'json-file', Config: {} } }),
          },
          abortSignal,
        } as Docker.ContainerCreateOptions),
      engineWorkTimeoutMs(),
    );
  }

  /** A never-started helper that mounts `volumes` read-only: their files are then read through the archive API. */
  async createVolumeReader(image: HelperImageId, volumes: string[], jobId: string): Promise<string> {
    return (await this.createHelper({ role: 'reader', image, volumes, jobId, readOnly: true })).id;
  }

  /** A never-started helper that mounts `volumes` read-write: the archive API then writes into them. */
  async createVolumeWriter(image: HelperImageId, volumes: string[], jobId: string): Promise<string> {
    return (await this.createHelper({ role: 'writer', image, volumes, jobId })).id;
  }

  /** `docker volume create`. */
  async createVolume(name: string) {
    await this.call(`volume create ${name}`, (abortSignal) => this.docker.createVolume({ Name: name, abortSignal } as Docker.VolumeCreateOptions), engineWorkTimeoutMs());
  }

  /** `docker volume rm`; a volume that is already gone is fine. */
  async removeVolume(name: string) {
    await this.call(`volume rm ${name}`, (abortSignal) => ignoreStatus(this.docker.getVolume(name).remove({ abortSignal }), [404]), engineWorkTimeoutMs());
  }

  /**
   * Runs `script` (sh, with `args` as $1, $2, …) in a short-lived helper that mounts `volumes`
   * read-write: what the archive API cannot do, such as deleting files or setting a volume's own
   * directory. Throws when it fails.
   */
  async runInVolumes(options: HelperScript) {
    await this.runHelper({ ...options, role: 'run' }, false);
  }

  /**
   * Runs `script` like runInVolumes, but with `volumes` mounted read-only: a look into them that
   * changes nothing. Resolves with what the script printed on its standard output.
   */
  async readInVolumes(options: HelperScript): Promise<string> {
    return this.runHelper({ ...options, role: 'look', readOnly: true }, true);
  }

  private async runHelper(options: HelperScript & { role: string; readOnly?: boolean }, wantsOutput: boolean) {
    const { what, ...helper } = options;
    const container = await this.createHelper(helper);
    try {
      await this.call('start helper', (abortSignal) => container.start({ abortSignal }), engineWorkTimeoutMs());
      const { StatusCode } = await this.call('wait for helper', (abortSignal) => container.wait({ abortSignal }), 10 * 60_000);
      if (StatusCode !== 0) throw new LifeboatError('engine_unavailable', `${this.name}: ${what} failed (exit code ${StatusCode})`);
      if (!wantsOutput) return '';
      const log = await this.call('read helper output', (abortSignal) => container.logs({ stdout: true, stderr: false, follow: false, abortSignal }), engineWorkTimeoutMs());
      return stdoutOf(log);
    } finally {
      await this.removeContainer(container.id).catch(() => {});
    }
  }

  /**
   * `PUT /containers/{id}/archive?path=…`: extracts `tar` there, owners and modes as the tar says.
   * Fails, and aborts the request, when the engine takes no byte of `tar` for the idle deadline while
   * there are bytes for it, or does not answer within it once it has taken the last one. `what`
   * names the write in errors, as the operator knows it.
   */
  async writeArchive(containerId: string, path: string, tar: Readable, signal: AbortSignal, what = `write ${path}`) {
    const idleMs = this.streamIdleMs ?? streamIdleMs();
    const stalled = new AbortController();
    const stall = (how: string) => {
      if (!stalled.signal.aborted) stalled.abort(this.stalled(what, how));
      return stalled.signal.reason as LifeboatError;
    };
    const body = guardWrite({ idleMs, stalled: () => stall(`no data taken for ${describeIdle(idleMs)}`) });
    // As dockerode does with the stream it is given: only pipe() and events, no stream.pipeline().
    // A `tar` that closes before its end fails the write.
    let tarEnded = false;
    tar.once('end', () => (tarEnded = true));
    tar.on('error', (error) => body.destroy(error));
    tar.once('close', () => tarEnded || body.destroy(new Error('the tar stream closed before its end')));
    tar.pipe(body);
    // Once the engine has taken the last byte, it has the idle deadline to extract what is left and answer.
    let settled = false;
    let answer: ReturnType<typeof setTimeout> | undefined;
    body.once('end', () => {
      if (!settled) answer = setTimeout(() => stall(`no answer for ${describeIdle(idleMs)} after the upload`), idleMs);
    });
    try {
      await this.docker.getContainer(containerId).putArchive(body, { path, abortSignal: AbortSignal.any([signal, stalled.signal]) } as never);
    } catch (error) {
      throw stalled.signal.aborted ? stalled.signal.reason : engineError(this.name, what, error, 0);
    } finally {
      // The engine may answer before it has read the tar's end: the rest then passes unguarded.
      settled = true;
      body.disarm();
      clearTimeout(answer);
    }
  }

  /** The error of a transfer the engine stopped moving. */
  private stalled(what: string, how: string) {
    return new LifeboatError('engine_unavailable', `${this.name}: ${what}: ${how}: the engine stalled`);
  }

  /** Containers Lifeboat created for job `jobId` to read or write volumes (a crash may leave them). */
  async helperContainers(jobId: string): Promise<string[]> {
    const raw = await this.call('container ls', (abortSignal) => this.docker.listContainers({ all: true, filters: { label: [`com.lifeboat.helper=${jobId}`] }, abortSignal }));
    return raw.map((c) => c.Id);
  }

  /**
   * `GET /containers/{id}/archive?path=…`: a tar of `path`. The deadline covers only the wait for the
   * engine's answer; the body then streams for as long as it takes, until `signal` aborts it or the
   * engine sends nothing for the idle deadline while it is being read: the stream then fails, and
   * the request is aborted. `what` names the read in errors, as the operator knows it.
   */
  async readArchive(containerId: string, path: string, signal: AbortSignal, what = `read ${path}`): Promise<Readable> {
    const idleMs = this.streamIdleMs ?? streamIdleMs();
    const answered = new AbortController();
    const stalled = new AbortController();
    const deadline = setTimeout(() => answered.abort(new DOMException('no answer', 'TimeoutError')), Math.max(this.timeoutMs, engineWorkTimeoutMs()));
    let body: Readable;
    try {
      const abortSignal = AbortSignal.any([signal, answered.signal, stalled.signal]);
      body = (await this.docker.getContainer(containerId).getArchive({ path, abortSignal })) as Readable;
    } catch (error) {
      throw engineError(this.name, what, error, Math.max(this.timeoutMs, engineWorkTimeoutMs()));
    } finally {
      clearTimeout(deadline);
    }
    const guarded = guardRead({
      idleMs,
      stalled: () => {
        const error = this.stalled(what, `no data for ${describeIdle(idleMs)}`);
        stalled.abort(error);
        return error;
      },
    });
    // Either side failing or closing early destroys the other: the engine's response (and its socket)
    // with the stall, the consumer's stream with the engine's error.
    return pipeline(body, guarded, () => {});
  }

  /**
   * Bytes per volume, as `docker system df -v` computes them: slow on big volumes, so a longer deadline.
   * The engine runs one disk usage operation at a time and refuses a second (another process may be
   * planning a job on this node): wait for it, within the same deadline.
   */
  async volumeSizes(timeoutMs = Math.max(this.timeoutMs, engineWorkTimeoutMs())): Promise<Map<string, number | null>> {
    const deadline = AbortSignal.timeout(timeoutMs);
    let raw;
    for (;;) {
      try {
        raw = await withSignal(this.docker, this.docker.df, deadline);
        break;
      } catch (error) {
        if (deadline.aborted || !isBusyWithDiskUsage(error)) throw engineError(this.name, 'system df', error, timeoutMs);
        await sleep(DISK_USAGE_RETRY_MS, undefined, { signal: deadline }).catch(() => {});
      }
    }
    const volumes: { Name: string; UsageData?: { Size?: number } }[] = raw.Volumes ?? [];
    return new Map(volumes.map((v) => [v.Name, v.UsageData?.Size != null && v.UsageData.Size >= 0 ? v.UsageData.Size : null]));
  }
}

const DISK_USAGE_RETRY_MS = 200;
// A helper image is a few MB: a minute is plenty even over a slow link.
const LOAD_IMAGE_TIMEOUT_MS = 60_000;

/** Docker 20.10 answers 500, later ones 409: the message is what they share. */
function isBusyWithDiskUsage(error: unknown) {
  return /a disk usage operation is already running/.test((error as { message?: string }).message ?? '');
}

/** The standard output in a container's log as the engine sends it without a TTY: frames of [stream, 0, 0, 0, length (4 bytes), bytes]. */
export function stdoutOf(log: Buffer): string {
  const out: Buffer[] = [];
  for (let at = 0; at + 8 <= log.length;) {
    const length = log.readUInt32BE(at + 4);
    if (log[at] === 1) out.push(log.subarray(at + 8, at + 8 + length));
    at += 8 + length;
  }
  return Buffer.concat(out).toString('utf8');
}

/** 304 (already so) and, for a stop, 404 (gone) are answers the caller wanted anyway. */
async function ignoreStatus(request: Promise<unknown>, fine: number[]) {
  try {
    await request;
  } catch (error) {
    if (!fine.includes((error as { statusCode?: number }).statusCode ?? 0)) throw error;
  }
}

/** One request to the engine, as dockerode makes them: for the calls whose dockerode method takes no abort signal. */
function dial<T>(docker: Docker, options: DockerModem.DialOptions): Promise<T> {
  return new Promise((resolve, reject) => docker.modem.dial(options, (error, result) => (error ? reject(error) : resolve(result as T))));
}

/** dockerode passes abortSignal on every call, but @types/dockerode omits it for info(), version() and df(). */
function withSignal<T>(docker: Docker, method: () => Promise<T>, abortSignal: AbortSignal): Promise<T> {
  return (method as unknown as (options: { abortSignal: AbortSignal }) => Promise<T>).call(docker, { abortSignal });
}

type DockerNode = {
  ID: string;
  Description?: { Hostname?: string; Engine?: { EngineVersion?: string } };
  Spec?: { Role?: string; Availability?: string };
  Status?: { State?: string; Addr?: string };
  ManagerStatus?: { Leader?: boolean; Reachability?: string; Addr?: string };
};
