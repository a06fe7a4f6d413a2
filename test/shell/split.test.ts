import t from 'tap';
import { splitCommands, shellWords } from '../../src/analysis/shell/index.js';

t.test('operators split commands and record the joins', async (t) => {
  const cmds = splitCommands('docker pull $IMG:latest || true; docker build -t "$IMG" . && docker push $IMG | tee log');
  t.same(cmds.map((c) => c.words[0] + ' ' + c.words[1]), ['docker pull', 'true undefined', 'docker build', 'docker push', 'tee log']);
  t.equal(cmds[0]!.next, '||');
  t.equal(cmds[1]!.prev, '||');
  t.equal(cmds[3]!.prev, '&&');
  t.equal(cmds[3]!.next, '|');
});

t.test('quotes, escapes and substitutions stay in one word', async (t) => {
  t.same(shellWords(`echo "a b" 'c d' e\\ f "$(cat x | y)" \${A:-b}`), ['echo', 'a b', 'c d', 'e f', '$(cat x | y)', '${A:-b}']);
  t.same(shellWords('echo "say \\"hi\\""'), ['echo', 'say "hi"']);
});

t.test('block scalars: newlines split, backslash continuations join, comments dropped', async (t) => {
  const cmds = splitCommands('# build it\ndocker build \\\n  -t x .\n\ndocker push x  # ship\n');
  t.equal(cmds.length, 2);
  t.same(cmds[0]!.words, ['docker', 'build', '-t', 'x', '.']);
  t.equal(cmds[0]!.lineOffset, 1);
  t.same(cmds[1]!.words, ['docker', 'push', 'x']);
  t.equal(cmds[1]!.lineOffset, 4);
});

t.test('prefixes that do not change the program are dropped', async (t) => {
  t.same(splitCommands('if DOCKER_BUILDKIT=1 sudo docker build .; then echo ok; fi')[0]!.words, ['docker', 'build', '.']);
  t.same(splitCommands('(cd sub && docker build .)').map((c) => c.words[0]), ['cd', 'docker']);
});

t.test('hash inside a word is not a comment; unbalanced quotes do not throw', async (t) => {
  t.same(shellWords('echo a#b'), ['echo', 'a#b']);
  t.same(shellWords('echo "unterminated'), ['echo', 'unterminated']);
});
