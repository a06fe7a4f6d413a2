// Could the MR author (or the pipeline's user) read another project's repository? The bot's
// token usually sees far more than the author, and GitLab itself resolves `include:project`
// with the rights of the user running the pipeline (`download_code`), so content of another
// project is used only when this says yes. Answers are cached for the task.
//
// The rule, from GitLab's project visibility and feature access levels (doc/user/public_access.md,
// doc/user/permissions.md), erring on "cannot read":
// - repository access `disabled`, or a project the bot cannot see: no;
// - public project, repository `enabled`: yes (anyone may read it);
// - internal project, repository `enabled`: yes when GitLab shows the user as not external
//   (GET /users/:id shows `external` to administrators only), else membership decides;
// - otherwise membership: GET /projects/:id/members/all/:user_id with at least Reporter (20),
//   the role a private project's repository needs.
import type { GitlabClient } from './client.js';
import { GitlabRequestError } from './errors.js';
import type { ProjectId, ProjectInfo } from './types.js';

export const REPOSITORY_READ_LEVEL = 20;

export interface AccessAnswer {
  readable: boolean;
  /** The project as the bot sees it (for links into it), when it could be read at all. */
  project?: ProjectInfo;
}

export class AuthorAccess {
  private readonly cache = new Map<string, Promise<AccessAnswer>>();
  private external?: Promise<boolean | undefined>;

  constructor(
    private readonly client: GitlabClient,
    /** Undefined when GitLab did not say who the author is: nothing of other projects is used. */
    readonly userId: number | undefined,
    /** The project the MR or pipeline belongs to: its own files are the ones under review. */
    private readonly home: ProjectId,
  ) {}

  check(project: ProjectId): Promise<AccessAnswer> {
    const key = String(project).toLowerCase();
    let answer = this.cache.get(key);
    if (!answer) {
      answer = this.decide(project);
      // An outage is not an answer: the next call asks again.
      answer.catch(() => this.cache.delete(key));
      this.cache.set(key, answer);
    }
    return answer;
  }

  async canRead(project: ProjectId): Promise<boolean> {
    return (await this.check(project)).readable;
  }

  private async decide(ref: ProjectId): Promise<AccessAnswer> {
    let project: ProjectInfo;
    try {
      project = await this.client.project(ref);
    } catch (e) {
      // 404 (or 403): the bot cannot see it either; nothing to read.
      if (e instanceof GitlabRequestError) return { readable: false };
      throw e;
    }
    if (String(project.id) === String(this.home) || project.path_with_namespace.toLowerCase() === String(this.home).toLowerCase()) {
      return { readable: true, project };
    }
    if (this.userId === undefined) return { readable: false, project };
    const repository = project.repository_access_level ?? 'enabled';
    if (repository === 'disabled') return { readable: false, project };
    if (repository === 'enabled' && project.visibility === 'public') return { readable: true, project };
    if (repository === 'enabled' && project.visibility === 'internal' && (await this.isInternalUser())) return { readable: true, project };
    const member = await this.client.memberAll(project.id, this.userId);
    const active = member !== undefined && (member.state === undefined || member.state === 'active');
    return { readable: active && member.access_level >= REPOSITORY_READ_LEVEL, project };
  }

  /** True only when GitLab says the user is active and not external. */
  private async isInternalUser(): Promise<boolean> {
    this.external ??= this.client.user(this.userId!).then(
      (u) => (u && u.state === 'active' && u.external === false ? false : undefined),
      (e: unknown) => {
        if (e instanceof GitlabRequestError) return undefined;
        throw e;
      },
    );
    return (await this.external) === false;
  }
}
