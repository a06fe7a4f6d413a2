// Which repository paths are Dockerfiles, by name (as `docker build` and GitLab reviewers see them).

const DOCKERFILE_NAME = /^(?:dockerfile|containerfile)(?:\..+)?$|^.+\.(?:dockerfile|containerfile)$/i;

/** Dockerfile, Dockerfile.prod, api.Dockerfile, Containerfile, x.containerfile (any directory). */
export function isDockerfilePath(path: string): boolean {
  const base = path.split(/[\\/]/).pop() ?? '';
  return DOCKERFILE_NAME.test(base);
}
