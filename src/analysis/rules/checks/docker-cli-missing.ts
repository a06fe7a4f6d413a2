// A job runs `docker ...` in an image that has no docker CLI.
import type { Finding } from '../../types.js';
import type { StaticCheck } from '../types.js';
import { makeFinding, locateInvocation } from '../finding.js';
import { jobCommands } from '../../shell/index.js';
import { mainInvocations } from './support/jobs.js';
import { completeJobs } from './support/completeness.js';
import { code } from '../../../text/markdown.js';

export const RULE_ID = 'docker-cli-missing';

// Well-known public images that do not ship a docker CLI.
const NO_DOCKER = /^(library\/)?(alpine|ubuntu|debian|busybox|centos|fedora|rockylinux|almalinux|amazonlinux|node|python|golang|ruby|php|openjdk|eclipse-temurin|amazoncorretto|maven|gradle|rust|perl|composer|bitnami\/kubectl|alpine\/helm|alpine\/git|hashicorp\/terraform|registry\.gitlab\.com\/gitlab-org\/release-cli|mcr\.microsoft\.com\/dotnet\/sdk|mcr\.microsoft\.com\/dotnet\/aspnet)(:|@|$)/;
// Script lines that install a docker CLI.
// (A package manager, then a docker package later on the same line; split in two because
// `pm\b[^\n]*\bdocker\b` is retried from every package-manager word.)
const PACKAGE_MANAGER = /(apk|apt-get|apt|yum|dnf|microdnf|zypper|pacman)\b/;
const DOCKER_PACKAGE = /\b(docker|docker-ce|docker-ce-cli|docker\.io|docker-cli|moby-cli)\b/;
const DOCKER_DOWNLOAD = /get\.docker\.com|download\.docker\.com|docker-ce-cli|\/docker\/static\//;
const INSTALLS_DOCKER = {
  test(text: string): boolean {
    if (DOCKER_DOWNLOAD.test(text)) return true;
    return text.split('\n').some((line) => {
      const pm = PACKAGE_MANAGER.exec(line);
      return pm !== null && DOCKER_PACKAGE.test(line.slice(pm.index + pm[0].length));
    });
  },
};

export const check: StaticCheck = {
  ruleId: RULE_ID,
  run(ctx) {
    const out: Finding[] = [];
    for (const job of completeJobs(ctx.ci)) {
      const image = job.image?.name;
      if (!image || !NO_DOCKER.test(image.replace(/^docker\.io\//, ''))) continue;
      // An image set globally may be ignored by the runner the job is sent to (shell executors);
      // one written on the job itself states where it runs.
      const imagePos = job.image?.pos;
      if (!imagePos || imagePos.path !== job.pos.path || imagePos.line < job.pos.line) continue;
      const first = mainInvocations(job).find((i) => i.tool === 'docker' || i.tool === 'buildx');
      if (!first) continue;
      if (jobCommands(job).some((jc) => INSTALLS_DOCKER.test(jc.cmd.text))) continue;
      out.push(makeFinding(ctx, RULE_ID, {
        message: `Job ${code(job.name)} runs \`docker\` in ${code(image)}, which has no docker CLI: the job fails with \`docker: command not found\`. Use a \`docker:<version>\` image (with a \`docker:<version>-dind\` service) or install the CLI first.`,
        location: locateInvocation(ctx.ci, first),
        evidence: { job: job.name, image },
      }));
    }
    return out;
  },
};
