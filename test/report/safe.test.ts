// The helpers every user value goes through, checked against a real CommonMark parser
// (markdown-it): whatever the value holds, it comes back as exactly one code node whose content
// is the value, and nothing around it is live (no mention, no raw HTML, no image).
import t from 'tap';
import fc from 'fast-check';
import '../helpers/fuzz.js';
import { code, codeContent, fence, fenceContent, link, plain, prose } from '../../src/text/markdown.js';
import { checkBody, codeNodes, parseMarkdown } from '../fake-gitlab/markdown-check.js';

const HOSTILE = [
  'x` @all </details><img src=x onerror=alert(1)> `y',
  '`', '``', '` `', ' ` ', '```', '````\n````', '``` js\n@all\n```',
  '@all', '@here', '@group/sub', ' @alice ', '</details>', '<img src=x onerror=alert(1)>', '<script>alert(1)</script>',
  '<!-- ci-medic:summary -->', '-->', 'a\r\nb', 'a\rb', '\r', '\n', 'line\n# heading\n> quote', '    indented',
  '   ', ' ', 'tab\there', 'ünïcödé 🚀 \u200D @\u200Dall', '\u2028\u2029', 'NUL\u0000byte', '\\`', 'a\\', '[x](javascript:alert(1))',
  '![i](https://evil.example/p.png)', '$`math`$', '| a | b |', '~~~', '***', '- item', '1. item', '&amp; &lt;', '\u00a0',
];

/** Strings biased towards what breaks markdown: backtick runs, newlines, CR, mentions, HTML, unicode. */
const hostile = fc.array(
  fc.oneof(
    fc.constantFrom('`', '``', '```', '````', ' ', '\n', '\r', '\r\n', '\t', '@all', '@here', '@', '<', '>', '</details>', '<img src=x onerror=alert(1)>',
      '<!--', '-->', '\\', '*', '_', '[', ']', '(', ')', '!', '|', '#', '~', '$', '&', '&amp;', '\u0000', '\u200D', '🚀', 'é', '-', '>', '    '),
    fc.string({ maxLength: 4 }),
    fc.string({ unit: 'grapheme', maxLength: 3 }),
  ),
  { maxLength: 24 },
).map((parts) => parts.join(''));

/** `md` as a paragraph with bot prose around it, as the bodies use them. */
const inProse = (md: string) => `Job ${md} failed.`;
/** A test name on one TAP line (JSON.stringify leaves U+2028/2029 raw). */
const name = (v: string) => JSON.stringify(v).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);

t.test('code(): one code_inline node whose content is the value, nothing live', async (t) => {
  const check = (value: string) => {
    const body = inProse(code(value));
    const nodes = codeNodes(body);
    if (codeContent(value) === '') return nodes.length === 0 && checkBody(body).length === 0;
    return nodes.length === 1 && nodes[0]!.type === 'code_inline' && nodes[0]!.content === codeContent(value) && checkBody(body).length === 0;
  };
  for (const v of HOSTILE) t.ok(check(v), name(v));
  fc.assert(fc.property(hostile, check), { numRuns: 3000 });
  // And as the only content of a link label and a list item, as the summary and diagnosis use it.
  fc.assert(fc.property(hostile.filter((v) => codeContent(v) !== ''), (v) => {
    const body = `- 🔴 error · ${link(code(v), 'https://gitlab.example.com/a/b/-/blob/x/y#L1')} · ${code(v)}`;
    const nodes = codeNodes(body);
    return nodes.length === 2 && nodes.every((n) => n.type === 'code_inline' && n.content === codeContent(v)) && checkBody(body).length === 0;
  }), { numRuns: 1000 });
});

t.test('code(): what it changes, exactly', async (t) => {
  t.equal(code('build'), '`build`');
  t.equal(code('a`b'), '``a`b``');
  t.equal(code('`x'), '`` `x ``', 'an edge backtick gets a space that CommonMark strips');
  t.equal(code(' a '), '`  a  `', 'edge spaces survive the stripping');
  t.equal(code('   '), '`   `', 'all spaces are never stripped');
  t.equal(code('a\nb'), '`a b`', 'one line: a line break would let the next line start a block');
  t.equal(code(''), '_(empty)_');
});

t.test('fence(): one fence node whose content is the value, nothing live', async (t) => {
  const check = (value: string) => {
    const body = `Log:\n\n${fence(value, 'text')}\n\nAfter the block.`;
    const nodes = codeNodes(body);
    const want = fenceContent(value);
    return nodes.length === 1 && nodes[0]!.type === 'fence' && nodes[0]!.info === 'text'
      && nodes[0]!.content === (want === '' || want.endsWith('\n') ? want : `${want}\n`)
      && checkBody(body).length === 0
      // The paragraph after the block is still a paragraph: the block closed where it should.
      && parseMarkdown(body).some((tok) => tok.type === 'inline' && tok.content === 'After the block.');
  };
  for (const v of HOSTILE) t.ok(check(v), name(v));
  fc.assert(fc.property(hostile, check), { numRuns: 3000 });
  t.equal(fence('x', 'js` @all'), '```jsall\nx\n```', 'the info string keeps only a plain word');
});

t.test('plain() and prose(): ci-medic\'s own text, with values that a check forgot to wrap, stays text', async (t) => {
  fc.assert(fc.property(hostile, (v) => checkBody(inProse(plain(v))).length === 0 && codeNodes(inProse(plain(v))).length === 0), { numRuns: 2000 });
  // prose keeps well-formed code spans and makes everything else inert.
  fc.assert(fc.property(hostile, hostile, (raw, value) => {
    const md = prose(`Job ${code(value)} uses ${raw} and ${code(value)}.`);
    const nodes = codeNodes(md);
    // A stray backtick in unwrapped text can pair with a delimiter and shift the spans; it can
    // never make anything live. Without one, both values come back whole.
    const expected = codeContent(value) === '' || raw.includes('`') ? 0 : 2;
    return checkBody(md).length === 0 && nodes.filter((n) => n.content === codeContent(value)).length >= expected;
  }), { numRuns: 2000 });
  t.equal(prose('Run `docker login` <b>now</b> @all'), 'Run `docker login` &lt;b&gt;now&lt;/b&gt; @\u200Dall');
  t.equal(prose('see [x](javascript:alert(1)) and ![i](https://e.example/p.png)'), 'see \\[x\\](javascript:alert(1)) and \\!\\[i\\](https://e.example/p.png)');
});

t.test('the markdown check itself: it sees what GitLab would make live', async (t) => {
  t.same(checkBody('hello @all').map((v) => v.kind), ['mention']);
  t.same(checkBody('`@all` and [@all](https://x.example) and mail me@example.com'), [], 'code, link text and e-mail are not mentions');
  t.same(checkBody('a <img src=x onerror=alert(1)> b').map((v) => v.kind), ['html']);
  t.same(checkBody('</details>\n\n<script>x</script>').map((v) => v.kind), ['html']);
  t.same(checkBody('![x](https://e.example/p.png)').map((v) => v.kind), ['image']);
  t.same(checkBody('<details><summary>Other possible causes</summary>\n\nx\n\n</details>\n\n<!-- ci-medic:summary -->'), [], 'the bot\'s own markup');
  t.same(checkBody('<details><summary>ping @all</summary>').map((v) => v.kind), ['mention']);
  t.same(checkBody('<details open>').map((v) => v.kind), ['html'], 'attributes are not the bot\'s markup');
});
