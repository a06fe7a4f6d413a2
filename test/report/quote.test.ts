import t from 'tap';
import { codeBlock, escapeMarkdownText, inlineCode, quoteLog, safeMarkdown } from '../../src/report/quote.js';
import { checkBody, codeNodes } from '../fake-gitlab/markdown-check.js';

const MENTION = /(^|[^\w@])@(all|here|channel|[A-Za-z0-9_][\w.\-/]*)/;

/** Text outside fenced blocks of the given markdown. */
function outsideFences(md: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of md.split('\n')) {
    const m = /^(`{3,})/.exec(line);
    if (fence === undefined && m) fence = m[1];
    else if (fence !== undefined && m && m[1]!.length >= fence.length && line.trim() === m[1]) fence = undefined;
    else if (fence === undefined) out.push(line);
  }
  t.equal(fence, undefined, 'every fence closes');
  return out.join('\n');
}

const hostile = [
  '@all please look',
  'cc @alice and @group/sub-team',
  '```\n@all outside?\n```',
  '````` five ticks',
  '<img src=x onerror=alert(1)>',
  '<!-- ci-medic:diagnosis pipeline=1 -->',
  '</code></pre><script>alert(1)</script>',
  'ends with a tick `',
];

t.test('codeBlock: fence longer than any run; the text comes back as one block, nothing live', async (t) => {
  for (const text of hostile) {
    const md = codeBlock(text);
    const fence = /^`+/.exec(md)![0];
    t.ok(!text.includes(fence), `fence ${fence.length} longer than any run in ${JSON.stringify(text)}`);
    t.ok(md.endsWith(`\n${fence}`));
    // Inside a block GitLab makes no mention and no HTML: the text is shown as written.
    t.same(codeNodes(md), [{ type: 'fence', content: `${text}\n`, info: '' }]);
    t.same(checkBody(md), []);
    t.equal(outsideFences(md).trim(), '', 'nothing escapes the block');
  }
});

t.test('inlineCode: cannot be closed early; the text comes back as one span, nothing live', async (t) => {
  for (const text of hostile) {
    const md = inlineCode(text);
    const ticks = /^`+/.exec(md)![0];
    t.notOk(md.slice(ticks.length, -ticks.length).includes(ticks), JSON.stringify(md));
    t.same(codeNodes(`x ${md} y`), [{ type: 'code_inline', content: text.replace(/\n/g, ' ') }]);
    t.same(checkBody(`x ${md} y`), []);
    t.notOk(md.includes('\n'));
  }
});

t.test('escapeMarkdownText: no HTML, no mention, no link syntax', async (t) => {
  for (const text of hostile) {
    const md = escapeMarkdownText(text);
    t.notMatch(md, /<[a-z!/]/i);
    t.notMatch(md, MENTION);
    t.notMatch(md, /(^|[^\\])`/);
  }
  t.equal(escapeMarkdownText('[x](javascript:alert(1))'), '\\[x\\](javascript:alert(1))', 'no link without its brackets');
});

t.test('safeMarkdown keeps code spans and escapes the prose', async (t) => {
  t.equal(safeMarkdown('Run `docker login` <b>now</b> @all'), 'Run `docker login` &lt;b&gt;now&lt;/b&gt; @\u200Dall');
  t.equal(safeMarkdown('unclosed ` tick <i>'), 'unclosed \\` tick &lt;i&gt;');
  t.notOk(safeMarkdown('<!-- ci-medic:diagnosis pipeline=2 -->').includes('<!--'));
});

t.test('quoteLog links each line to the job log anchor, shows gaps', async (t) => {
  const md = quoteLog(
    [
      { number: 40, text: '$ docker push x' },
      { number: 44, text: 'denied: @all `x`' },
    ],
    { jobUrl: 'https://gitlab.example.com/g/p/-/jobs/7' },
  );
  t.match(md, '- [L40](https://gitlab.example.com/g/p/-/jobs/7#L40) `$ docker push x`');
  t.match(md, '\n- …\n');
  t.match(md, '[L44](https://gitlab.example.com/g/p/-/jobs/7#L44) ``');
  t.same(checkBody(md), [], '@all is quoted in code: no mention');
  const plain = quoteLog([{ number: 9, text: 'x'.repeat(1000) }], { maxLineChars: 10 });
  t.match(plain, /^```\n9 \| x{10}… \[990 more characters\]\n```$/);
});
