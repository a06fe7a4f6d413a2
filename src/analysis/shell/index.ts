// Public surface of the shell reader.
export { splitCommands, shellWords, type ShellCommand, type CommandJoin } from './split.js';
export { jobCommands, scriptText, changeDir, normaliseRepoPath, type JobCommand } from './job-commands.js';
export { findDockerInvocations, invocationOf, toInvocation, dropRedirections } from './docker.js';
export { parseDockerBuild, parseDockerLogin, pushTargets, pullTargets, hasInlineCredentials } from './parse.js';
export {
  imageRegistryHost, loginRegistryHost, isGitlabRegistryRef, normaliseVarRefs, DOCKER_HUB, GITLAB_REGISTRY,
} from './registry.js';
export type { DockerInvocation, DockerBuild, DockerLogin, DockerBuildArg, DockerVerb } from './types.js';
