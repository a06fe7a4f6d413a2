// `artifacts:` and the report kinds GitLab knows.
import type { Schema } from './schema.js';
import { bool, enumOf, fail, map, str, stringOrStrings, strings } from './schema.js';
import { duration } from './common.js';

export const REPORT_KINDS = [
  'junit', 'codequality', 'sast', 'secret_detection', 'dependency_scanning', 'container_scanning', 'dast',
  'performance', 'browser_performance', 'load_performance', 'license_scanning', 'metrics', 'lsif', 'dotenv',
  'cobertura', 'terraform', 'accessibility', 'cluster_applications', 'requirements', 'requirements_v2',
  'coverage_fuzzing', 'api_fuzzing', 'cluster_image_scanning', 'coverage_report', 'cyclonedx', 'annotations',
  'repository_xray', 'sarif',
] as const;

const coverageReport = map({ keys: { coverage_format: enumOf(['cobertura', 'jacoco']), path: str }, required: ['coverage_format', 'path'] });

const reportKeys: Record<string, Schema> = {};
for (const k of REPORT_KINDS) reportKeys[k] = stringOrStrings;
reportKeys.coverage_report = coverageReport;

export const reports = map({ keys: reportKeys });

export const artifacts: Schema = map({
  keys: {
    name: str,
    untracked: bool,
    paths: strings,
    exclude: strings,
    when: enumOf(['on_success', 'on_failure', 'always']),
    expire_in: duration(undefined, undefined, ['never']),
    expose_as: str,
    reports,
    public: bool,
    access: enumOf(['all', 'developer', 'maintainer', 'none']),
  },
  exclusive: [['public', 'access']],
  also(m, at, c) {
    const expose = m.entries.get('expose_as');
    if (expose && !m.entries.has('paths')) fail(c, 'missing-key', at, 'config expose_as requires paths to be defined', expose.keyPos);
  },
});
