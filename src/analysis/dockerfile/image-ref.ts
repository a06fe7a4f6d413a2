// Image references and platforms, validated like distribution/reference.ParseNormalizedNamed and
// containerd/platforms.Parse (enough of them to decide BuildKit's FROM checks).

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
// Tag (at most 128) and digest (at least 32 hex) lengths are checked in code: counted
// repetitions are beyond what recheck can prove linear.
const TAG = '([\\w][\\w.-]*)';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:([0-9a-fA-F]+)';
export const REFERENCE = new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`);

/** true when `docker pull <ref>` would accept the reference's syntax. */
export function isValidImageReference(ref: string): boolean {
  if (ref === '' || ref.length > 255 + 128 + 80) return false;
  const m = REFERENCE.exec(ref);
  if (!m || (m[1] ?? '').length > 128 || (m[2] !== undefined && m[2].length < 32)) return false;
  // The first component is a registry only when it looks like a host; otherwise it must be lowercase.
  return true;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

const KNOWN_OS = new Set(['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'illumos', 'ios', 'js', 'linux', 'netbsd', 'openbsd', 'plan9', 'solaris', 'windows', 'wasip1']);
const ARCH_ALIASES: Record<string, string> = { x86_64: 'amd64', 'x86-64': 'amd64', amd64: 'amd64', aarch64: 'arm64', arm64: 'arm64', armhf: 'arm', armel: 'arm', arm: 'arm', i386: '386', '386': '386', i686: '386', ppc64le: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', mips64le: 'mips64le', loong64: 'loong64' };
const PLATFORM_PART = /^[A-Za-z0-9_.-]+$/;

/** Parses `os[/arch[/variant]]` or a lone arch/os; undefined when it is not a platform. */
export function parsePlatform(spec: string): Platform | undefined {
  const parts = spec.toLowerCase().split('/');
  if (parts.length > 3 || parts.some((p) => !PLATFORM_PART.test(p))) return undefined;
  if (parts.length === 1) {
    const p = parts[0]!;
    if (KNOWN_OS.has(p)) return { os: p, architecture: 'amd64' };
    const arch = ARCH_ALIASES[p];
    return arch ? { os: 'linux', architecture: arch } : undefined;
  }
  const [os, arch, variant] = parts as [string, string, string | undefined];
  if (!KNOWN_OS.has(os)) return undefined;
  const architecture = ARCH_ALIASES[arch] ?? arch;
  return variant ? { os, architecture, variant } : { os, architecture };
}
