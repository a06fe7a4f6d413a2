// BuildKit checks on FROM: UndefinedArgInFrom, InvalidDefaultArgInFrom, RedundantTargetPlatform,
// FromPlatformFlagConstDisallowed (validations.go / convert.go).
import { isValidImageReference, parsePlatform } from '../image-ref.js';
import { suggest } from '../suggest.js';
import { processWord } from '../words.js';
import { type BuildkitCheck, type BuildkitWarning, fromInstruction, quote, warn } from './context.js';
import { declaredMetaNames, metaArgEnv } from './meta-args.js';

export const undefinedArgInFrom: BuildkitCheck = (input) => {
  const { model, escape } = input;
  const env = metaArgEnv(model, input.buildArgs, escape);
  const declared = new Set(model.globalArgs.map((a) => a.name));
  const options = declaredMetaNames(model);
  const out: BuildkitWarning[] = [];
  for (const stage of model.stages) {
    const ins = fromInstruction(input, stage.index);
    if (!ins) continue;
    const words = [stage.image, ...(stage.platform !== undefined ? [stage.platform] : [])];
    const seen = new Set<string>();
    for (const word of words) {
      const res = processWord(word, (n) => env.get(n), escape);
      for (const ref of res.refs) {
        if (!res.unmatched.has(ref.name) || declared.has(ref.name) || seen.has(ref.name)) continue;
        seen.add(ref.name);
        const hint = suggest(ref.name, options);
        const message = `FROM argument '${ref.name}' is not declared${hint ? ` (did you mean ${hint}?)` : ''}`;
        out.push(warn('UndefinedArgInFrom', ins, message, { variable: ref.name, modifier: ref.modifier, inPlatform: word !== stage.image }));
      }
    }
  }
  return out;
};

export const invalidDefaultArgInFrom: BuildkitCheck = (input) => {
  const { model, escape } = input;
  // BuildKit judges the defaults alone: --build-arg values do not count here.
  const env = metaArgEnv(model, undefined, escape);
  const out: BuildkitWarning[] = [];
  for (const stage of model.stages) {
    const ins = fromInstruction(input, stage.index);
    if (!ins || !stage.image) continue;
    const res = processWord(stage.image, (n) => env.get(n), escape);
    if (!isValidImageReference(res.result)) {
      out.push(warn('InvalidDefaultArgInFrom', ins, `Default value for ARG ${stage.image} results in empty or invalid base image name`, {
        variables: res.refs.map((r) => r.name),
        expanded: res.result,
      }));
    }
  }
  return out;
};

export const redundantTargetPlatform: BuildkitCheck = (input) => {
  const env = metaArgEnv(input.model, input.buildArgs, input.escape);
  const out: BuildkitWarning[] = [];
  for (const stage of input.model.stages) {
    const ins = fromInstruction(input, stage.index);
    if (!ins || stage.platform === undefined) continue;
    const res = processWord(stage.platform, (n) => env.get(n), input.escape);
    if (res.matched.size === 1 && res.unmatched.size === 0 && res.matched.has('TARGETPLATFORM') && res.result === env.get('TARGETPLATFORM')) {
      out.push(warn('RedundantTargetPlatform', ins, `Setting platform to predefined ${stage.platform} in FROM is redundant as this is the default behavior`));
    }
  }
  return out;
};

export const fromPlatformFlagConstDisallowed: BuildkitCheck = (input) => {
  const out: BuildkitWarning[] = [];
  for (const stage of input.model.stages) {
    const ins = fromInstruction(input, stage.index);
    if (!ins || stage.platform === undefined) continue;
    const res = processWord(stage.platform, () => undefined, input.escape);
    if (res.refs.length > 0) continue;
    const p = parsePlatform(res.result);
    if (!p) continue;
    const name = (stage.name ?? '').toLowerCase();
    if (name.includes(p.os) || name.includes(p.architecture)) continue;
    out.push(warn('FromPlatformFlagConstDisallowed', ins, `FROM --platform flag should not use constant value ${quote(res.result)}`));
  }
  return out;
};
