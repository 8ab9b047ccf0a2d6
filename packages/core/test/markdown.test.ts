import {
  codeSpan,
  escapeMarkdown,
  parseReport,
  renderReportMarkdown,
  upsertStickyComment,
  stickyMarker,
} from '../src/index';
import type { IssueCommentsApi } from '../src/index';

describe('escaping', () => {
  it('neutralises HTML, links, emphasis and mentions', () => {
    const hostile = '<img src=x onerror=alert(1)> [click](https://evil.example) **@octo-org/admins** | x';
    const escaped = escapeMarkdown(hostile);
    expect(escaped).not.toMatch(/<img/);
    expect(escaped).not.toMatch(/(?<!\\)\]\(/);
    expect(escaped).toContain('\\[click\\](https://evil.example)');
    expect(escaped).not.toMatch(/@octo/);
    expect(escaped).toContain('\\|');
  });

  it('wraps code spans around backticks safely', () => {
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`x')).toBe('`` `x ``');
    expect(codeSpan('a|b')).toBe('`a\\|b`');
  });
});

describe('renderReportMarkdown', () => {
  it('renders verdict, facts, checks and links', () => {
    const report = parseReport({
      schemaVersion: 1,
      action: 'validate-model',
      verdict: 'fail',
      title: '1 critical check failed',
      model: { version: 'v2' },
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:01.000Z',
      links: { run: 'https://github.com/o/r/actions/runs/1' },
      checks: [{ name: 'ndcg@10', status: 'fail', value: 0.4, threshold: '≥ 0.42', severity: 'critical' }],
      details: { metrics: { 'ndcg@10': 0.4 }, baseline: null, counts: null, failOn: 'critical' },
    });
    const markdown = renderReportMarkdown(report);
    expect(markdown).toContain('### ❌ validate-model: **fail**');
    expect(markdown).toContain('| ❌ | `ndcg@10` | 0.4 | ≥ 0.42 |  |');
    expect(markdown).toContain('[Run](https://github.com/o/r/actions/runs/1)');
  });
});

describe('upsertStickyComment', () => {
  function memoryApi(): IssueCommentsApi & { comments: { id: number; body: string }[] } {
    const comments: { id: number; body: string }[] = [{ id: 1, body: 'unrelated' }];
    return {
      comments,
      list: async () => comments,
      create: async (_issue, body) => {
        comments.push({ id: comments.length + 1, body });
        return { id: comments.length };
      },
      update: async (id, body) => {
        const comment = comments.find((c) => c.id === id);
        if (comment) comment.body = body;
        return { id };
      },
    };
  }

  it('creates once, then updates the same comment', async () => {
    const api = memoryApi();
    const marker = stickyMarker('validate-model');
    expect(await upsertStickyComment(api, 7, marker, 'first')).toEqual({ commentId: 2, created: true });
    expect(await upsertStickyComment(api, 7, marker, 'second')).toEqual({ commentId: 2, created: false });
    expect(api.comments).toHaveLength(2);
    expect(api.comments[1]?.body).toBe(`${marker}\nsecond`);
  });
});
