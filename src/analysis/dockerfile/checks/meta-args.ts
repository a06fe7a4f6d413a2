// The environment FROM lines are expanded in: global ARGs (defaults, or --build-arg values)
// plus BuildKit's predefined platform ARGs (buildMetaArgs in dockerfile2llb).
import type { DockerfileModel } from '../types.js';
import { processWord } from '../words.js';

export const PLATFORM_ARGS: Readonly<Record<string, string>> = {
  TARGETPLATFORM: 'linux/amd64',
  TARGETOS: 'linux',
  TARGETARCH: 'amd64',
  TARGETVARIANT: '',
  BUILDPLATFORM: 'linux/amd64',
  BUILDOS: 'linux',
  BUILDARCH: 'amd64',
  BUILDVARIANT: '',
};

/** Global ARG values in declaration order; `buildArgs` undefined = defaults only. */
export function metaArgEnv(model: DockerfileModel, buildArgs: Map<string, string> | undefined, escape: string): Map<string, string> {
  const env = new Map<string, string>(Object.entries(PLATFORM_ARGS));
  for (const arg of model.globalArgs) {
    const given = buildArgs?.get(arg.name);
    if (given !== undefined) env.set(arg.name, given);
    else if (arg.defaultValue !== undefined) env.set(arg.name, processWord(arg.defaultValue, (n) => env.get(n), escape).result);
  }
  return env;
}

/** Names a FROM may use without an error: declared global ARGs first, then the predefined ones. */
export function declaredMetaNames(model: DockerfileModel): string[] {
  const names = model.globalArgs.map((a) => a.name);
  for (const p of Object.keys(PLATFORM_ARGS)) if (!names.includes(p)) names.push(p);
  return names;
}
