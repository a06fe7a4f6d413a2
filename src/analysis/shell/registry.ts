// Which registry an image reference or a login names, normalised so the two can be compared.
// GitLab's own registry is written through variables; those normalise to '$CI_REGISTRY'.

/** Docker Hub, whatever spelling was used. */
export const DOCKER_HUB = 'docker.io';
/** The GitLab registry of the project, as CI variables name it. */
export const GITLAB_REGISTRY = '$CI_REGISTRY';

const HUB_NAMES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/** `${NAME}` -> `$NAME` everywhere, so variable references compare equal however they are written. */
export function normaliseVarRefs(text: string): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, '$$$1');
}

/** The variable a string starts with (`$CI_REGISTRY_IMAGE:tag` -> 'CI_REGISTRY_IMAGE'). */
function leadingVar(text: string): string | undefined {
  return /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(text)?.[1];
}

function registryOfVar(name: string): string {
  if (name === 'CI_REGISTRY' || name === 'CI_REGISTRY_IMAGE') return GITLAB_REGISTRY;
  if (name.startsWith('CI_DEPENDENCY_PROXY')) return '$CI_DEPENDENCY_PROXY_SERVER';
  return `$${name}`;
}

/**
 * The registry host of an image reference: 'docker.io' for Docker Hub images, '$CI_REGISTRY'
 * for `$CI_REGISTRY_IMAGE...`/`$CI_REGISTRY/...`, '$NAME' when another variable decides it, or the
 * literal host (lower-case).
 */
export function imageRegistryHost(ref: string): string {
  const r = normaliseVarRefs(ref.trim().replace(/^docker:\/\//, ''));
  // Command substitution: the reference is computed at run time.
  if (r.startsWith('$(') || r.startsWith('`')) return '$?';
  const slash = r.indexOf('/');
  const first = slash < 0 ? r : r.slice(0, slash);
  const v = leadingVar(first);
  if (v !== undefined) return registryOfVar(v);
  if (slash < 0) return DOCKER_HUB;
  if (first.includes('.') || first.includes(':') || first === 'localhost') {
    const host = first.toLowerCase();
    return HUB_NAMES.has(host) ? DOCKER_HUB : host;
  }
  return DOCKER_HUB;
}

/** The registry a `docker login [REGISTRY]` talks to (no argument = Docker Hub). */
export function loginRegistryHost(registry: string | undefined): string {
  if (registry === undefined || registry === '') return DOCKER_HUB;
  let r = normaliseVarRefs(registry.trim()).replace(/^https?:\/\//, '');
  const v = leadingVar(r);
  if (v !== undefined && r === `$${v}`) return registryOfVar(v);
  const slash = r.indexOf('/');
  r = (slash < 0 ? r : r.slice(0, slash)).toLowerCase();
  return HUB_NAMES.has(r) ? DOCKER_HUB : r;
}

/** True when a reference points at the project's GitLab registry through CI variables. */
export function isGitlabRegistryRef(ref: string): boolean {
  return imageRegistryHost(ref) === GITLAB_REGISTRY;
}
