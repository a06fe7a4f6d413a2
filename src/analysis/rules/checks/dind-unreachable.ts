// The docker CLI in the job cannot reach a daemon: DOCKER_HOST names a host no service answers
// to, or a dind service runs but the CLI still talks to the local socket.
import type { Finding } from '../../types.js';
import type { StaticCheck } from '../types.js';
import { makeFinding, locateInvocation } from '../finding.js';
import { replaceOnLine } from './support/yaml-edits.js';
import { dindService, serviceHostnames, dockerHostOf, scriptSetsDockerEnv, daemonCommands, isLocalHost } from './support/dind.js';
import { completeJobs } from './support/completeness.js';
import { code } from '../../../text/markdown.js';

export const RULE_ID = 'dind-unreachable';

export const check: StaticCheck = {
  ruleId: RULE_ID,
  run(ctx) {
    const out: Finding[] = [];
    for (const job of completeJobs(ctx.ci)) {
      const cmds = daemonCommands(job);
      if (cmds.length === 0 || scriptSetsDockerEnv(job)) continue;
      const svc = dindService(job);
      const dh = dockerHostOf(job);
      const first = cmds[0]!;
      if (dh && !isLocalHost(dh.host) && !dh.host.includes('.') && !/^\d/.test(dh.host) && !dh.host.includes('$')) {
        const reachable = job.services.some((s) => serviceHostnames(s).includes(dh.host));
        if (reachable) continue;
        if (!svc && dh.host !== 'docker') continue;
        const target = svc ? serviceHostnames(svc).find((h) => svc.alias?.split(/[\s,]+/).includes(h)) ?? serviceHostnames(svc)[0]! : undefined;
        const edit = target && dh.pos ? replaceOnLine(ctx.ci, dh.pos.path, dh.pos.line, `//${dh.host}`, `//${target}`) : undefined;
        out.push(makeFinding(ctx, RULE_ID, {
          message: svc
            ? `Job ${code(job.name)} sets ${code(`DOCKER_HOST=${dh.raw}`)}, but its ${code(svc.name)} service answers as ${serviceHostnames(svc).map(code).join(', ')}, not ${code(dh.host)}: \`docker\` commands fail with \`Cannot connect to the Docker daemon\`.`
            : `Job ${code(job.name)} sets ${code(`DOCKER_HOST=${dh.raw}`)} but has no \`docker:dind\` service, so nothing listens there: \`docker\` commands fail with \`Cannot connect to the Docker daemon\`.`,
          location: dh.pos ?? locateInvocation(ctx.ci, first),
          evidence: { job: job.name, dockerHost: dh.raw },
          ...(edit ? { fix: { description: `Point DOCKER_HOST at the service hostname ${code(target ?? '')}`, edits: [edit] } } : {}),
        }));
        continue;
      }
      if (svc && !dh && !job.variables['DOCKER_HOST']) {
        const image = job.image?.name ?? '';
        const dockerImage = /(^|\/)docker(:|$)/.test(image) && !(job.image?.entrypoint && job.image.entrypoint.join('') === '');
        const answersAsDocker = serviceHostnames(svc).includes('docker');
        if (dockerImage && answersAsDocker) continue;
        // An image of unknown content may set DOCKER_HOST itself; speak only about public images.
        if (!dockerImage && (image === '' || image.includes('$') || /[.:]/.test(image.slice(0, Math.max(0, image.indexOf('/')))))) continue;
        out.push(makeFinding(ctx, RULE_ID, {
          message: dockerImage
            ? `Job ${code(job.name)} runs a ${code(svc.name)} service reachable only as ${serviceHostnames(svc).filter((h) => svc.alias?.includes(h)).map(code).join(', ')}, but sets no \`DOCKER_HOST\`; the docker image only finds a service called \`docker\` by itself.`
            : `Job ${code(job.name)} runs a ${code(svc.name)} service but sets no \`DOCKER_HOST\`, so the docker CLI in ${image ? code(image) : 'the default image'} looks for the local socket and fails with \`Cannot connect to the Docker daemon\`. Set \`DOCKER_HOST\` (\`tcp://docker:2376\` with TLS, \`tcp://docker:2375\` without).`,
          location: locateInvocation(ctx.ci, first),
          evidence: { job: job.name, service: svc.name },
        }));
      }
    }
    return out;
  },
};
