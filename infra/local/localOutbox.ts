/**
 * The local outbox: what Greenlight would have sent to Slack and by e-mail, readable in a browser, with working
 * buttons and links. A button press becomes the signed interaction Slack would send to /slack/interactions, so the
 * whole path — signature check, decide, answer to the workflow, message update — runs as it does on AWS.
 */
import { randomUUID } from 'node:crypto';
import { escapeHtml, safeHttpUrl } from '../../shared/channels/reviewPages';
import { signSlackRequest } from '../../shared/channels/slackSignature';
import { policyDocument } from '../../shared/runtime/policy';
import type { SlackStandin } from './slackStandin';
import type { AwsStandins } from './standins';

export interface OutboxSources {
  slack: SlackStandin;
  standins: AwsStandins;
  slackSigningSecret: string;
  /** The workspace and app a button press comes from, as Slack says in `team.id` / `api_app_id`. */
  slackTeamId: string;
  slackAppId: string;
}

/** Slack users to act as: every person's Slack id from the policy's people map, and a stranger. */
export function slackUsers(): Array<{ id: string; label: string }> {
  const people = Object.entries(policyDocument.people).flatMap(([name, identities]) =>
    identities
      .filter((identity) => identity.startsWith('slack:'))
      .map((identity) => ({ id: identity.slice(6), label: name })),
  );
  return [...people, { id: 'U0STRANGER', label: 'a stranger (not an approver)' }];
}

/** Plain text (a `plain_text` object or a rich-text `text` element) to HTML: shown as it is, line breaks kept. */
function plainToHtml(text: string): string {
  return escapeHtml(text).replace(/\n/g, '<br>');
}

/**
 * Slack mrkdwn to HTML the way Slack shows it: entities undone, then escaped; `<url|label>` links (http and https
 * only), `<@U…>` mentions and `<!here>`-style broadcasts; *bold*, _italic_, ~strike~, `code`; emoji shortcodes.
 */
function mrkdwnToHtml(text: string): string {
  const unescapeSlack = (value: string) => value.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const parts: string[] = [];
  let last = 0;
  for (const match of text.matchAll(/<(?:(https?:\/\/[^|>]+)(?:\|([^>]+))?|@([UW][A-Z0-9]+)|!([a-z]+))>/g)) {
    parts.push(formatMrkdwn(escapeHtml(unescapeSlack(text.slice(last, match.index)))));
    if (match[3] !== undefined) {
      parts.push(`<span class="mention">@${escapeHtml(match[3])}</span>`);
    } else if (match[4] !== undefined) {
      parts.push(`<span class="mention">@${escapeHtml(match[4])}</span>`);
    } else {
      const url = safeHttpUrl(unescapeSlack(match[1] ?? ''));
      const label = escapeHtml(unescapeSlack(match[2] ?? match[1] ?? ''));
      parts.push(url ? `<a href="${escapeHtml(url)}">${label}</a>` : label);
    }
    last = (match.index ?? 0) + match[0].length;
  }
  parts.push(formatMrkdwn(escapeHtml(unescapeSlack(text.slice(last)))));
  return parts.join('').replace(/\n/g, '<br>');
}

/** mrkdwn styles and emoji on already-escaped text (the markers are not HTML-significant, so escaping keeps them). */
function formatMrkdwn(html: string): string {
  return html
    .replace(/`([^`\n]+)`/g, '<code>$1</code>')
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/g, '$1<strong>$2</strong>')
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,:;!?])/g, '$1<em>$2</em>')
    .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,:;!?])/g, '$1<s>$2</s>')
    .replace(/:([a-z0-9_+-]+):/g, (shortcode, name: string) => EMOJI[name] ?? shortcode);
}

/** A text object (or anything holding one in `text`): plain_text shown as it is, mrkdwn converted. */
function textOf(element: unknown): string {
  const { type, text } = (element ?? {}) as { type?: unknown; text?: unknown };
  if (typeof text === 'string') return type === 'plain_text' ? plainToHtml(text) : mrkdwnToHtml(text);
  if (typeof text === 'object' && text !== null) return textOf(text);
  return '';
}

type RichElement = {
  type: string;
  text?: string;
  url?: string;
  user_id?: string;
  name?: string;
  style?: { bold?: boolean; italic?: boolean; strike?: boolean; code?: boolean };
  elements?: RichElement[];
};

/** The emoji Greenlight's messages use, as characters. */
const EMOJI: Record<string, string> = {
  white_check_mark: '✅',
  x: '❌',
  alarm_clock: '⏰',
  no_entry_sign: '🚫',
  warning: '⚠️',
  hourglass_flowing_sand: '⏳',
  information_source: 'ℹ️',
  hourglass: '⌛',
  bell: '🔔',
  lock: '🔒',
  memo: '📝',
  link: '🔗',
  eyes: '👀',
  tada: '🎉',
  rotating_light: '🚨',
  heavy_check_mark: '✔️',
  stopwatch: '⏱️',
};

function styled(html: string, style: RichElement['style']): string {
  let result = html;
  if (style?.code) result = `<code>${result}</code>`;
  if (style?.strike) result = `<s>${result}</s>`;
  if (style?.italic) result = `<em>${result}</em>`;
  if (style?.bold) result = `<strong>${result}</strong>`;
  return result;
}

/** A rich-text element to HTML: text stays text, links are links (http and https only), mentions show the user id. */
function richToHtml(element: RichElement): string {
  const inner = () => (element.elements ?? []).map(richToHtml).join('');
  switch (element.type) {
    case 'rich_text':
      return `<div class="rich">${inner()}</div>`;
    case 'rich_text_section':
      return `<p>${inner()}</p>`;
    case 'rich_text_list':
      return `<ul>${(element.elements ?? []).map((item) => `<li>${(item.elements ?? []).map(richToHtml).join('')}</li>`).join('')}</ul>`;
    case 'rich_text_quote':
      return `<blockquote>${inner()}</blockquote>`;
    case 'rich_text_preformatted':
      return `<pre>${inner()}</pre>`;
    case 'text':
      return styled(plainToHtml(element.text ?? ''), element.style);
    case 'link': {
      const url = safeHttpUrl(element.url ?? '');
      const label = styled(plainToHtml(element.text || element.url || ''), element.style);
      return url ? `<a href="${escapeHtml(url)}">${label}</a>` : label;
    }
    case 'user':
      return `<span class="mention">@${escapeHtml(element.user_id ?? '')}</span>`;
    case 'emoji':
      return EMOJI[element.name ?? ''] ?? `:${escapeHtml(element.name ?? '')}:`;
    default:
      return '';
  }
}

function userSelect(): string {
  const options = slackUsers().map(
    (user) => `<option value="${escapeHtml(user.id)}">${escapeHtml(user.label)} (${escapeHtml(user.id)})</option>`,
  );
  return `<label>as <select name="user">${options.join('')}</select></label>`;
}

type Block = { type: string; text?: unknown; fields?: unknown[]; elements?: unknown[] };

function renderActions(block: Block, message: { channel: string; ts: string }): string {
  const buttons = (block.elements ?? []) as Array<{ action_id: string; value: string; text: unknown }>;
  const forms = buttons.map((button) => {
    const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
    if (button.action_id === 'greenlight.comment') {
      // Slack opens a modal here; the outbox shows the modal's fields directly.
      return `<form method="post" action="/local/outbox/slack" class="modal">${hidden('kind', 'view_submission')}${hidden('approvalId', button.value)}
<label><input type="radio" name="decision" value="approve" checked> approve</label>
<label><input type="radio" name="decision" value="reject"> reject</label>
<textarea name="comment" maxlength="1000" placeholder="comment"></textarea> ${userSelect()} <button>Submit with comment</button></form>`;
    }
    const style = (button as { style?: string }).style;
    return `<form method="post" action="/local/outbox/slack">${hidden('kind', 'block_actions')}${hidden('actionId', button.action_id)}${hidden('approvalId', button.value)}${hidden('channel', message.channel)}${hidden('ts', message.ts)}
${userSelect()} <button class="slack-button${style === 'primary' || style === 'danger' ? ` ${style}` : ''}">${textOf(button)}</button></form>`;
  });
  return `<div class="actions">${forms.join('')}</div>`;
}

function renderBlocks(blocks: unknown[], message: { channel: string; ts: string }): string {
  return (blocks as Block[])
    .map((block) => {
      if (block.type === 'header') return `<h3>${textOf(block)}</h3>`;
      if (block.type === 'divider') return '<hr>';
      if (block.type === 'actions') return renderActions(block, message);
      if (block.type === 'context') return `<p class="context">${(block.elements ?? []).map(textOf).join(' · ')}</p>`;
      if (block.type === 'rich_text') return richToHtml(block as unknown as RichElement);
      const fields = (block.fields ?? []).map((field) => `<div>${textOf(field)}</div>`).join('');
      return `${block.text ? `<p>${textOf(block)}</p>` : ''}${fields ? `<div class="fields">${fields}</div>` : ''}`;
    })
    .join('\n');
}

export function renderOutboxPage(sources: OutboxSources, notice?: string): string {
  const messages = sources.slack
    .messages()
    .reverse()
    .map(
      (
        message,
      ) => `<article class="slack"><p class="meta">Slack ${escapeHtml(message.channel)} · ts ${escapeHtml(message.ts)} · updated ${message.updates} time(s)</p>
${renderBlocks(message.blocks ?? [], message)}</article>`,
    );
  const ephemeral = sources.slack
    .ephemeralMessages()
    .reverse()
    .map(
      (message) =>
        `<li>to ${escapeHtml(message.user)} in ${escapeHtml(message.channel)}: ${mrkdwnToHtml(message.text ?? '')}</li>`,
    );
  const emails = sources.standins.ses
    .sentEmails()
    .reverse()
    .map((email) => {
      const links = [...(email.html ?? '').matchAll(/href="([^"]+)"/g)]
        .map((match) => safeHttpUrl((match[1] ?? '').replace(/&amp;/g, '&')))
        .filter((url): url is string => url !== undefined)
        .map(
          (url) =>
            `<li><a href="${escapeHtml(url)}">${escapeHtml(url.length > 90 ? `${url.slice(0, 90)}…` : url)}</a></li>`,
        );
      return `<article class="email"><p class="meta">E-mail to ${escapeHtml(email.to.join(', '))} · from ${escapeHtml(email.from)} · ${escapeHtml(email.at)}</p>
<h3>${escapeHtml(email.subject)}</h3>${
        email.html
          ? // The HTML part as a mail client shows it, in a sandbox: no script, no forms, no access to this page.
            `<iframe class="mail" sandbox="" referrerpolicy="no-referrer" title="${escapeHtml(`E-mail: ${email.subject}`)}" srcdoc="${escapeHtml(email.html)}"></iframe>`
          : ''
      }<details><summary>Text part</summary><pre>${escapeHtml(email.text ?? '')}</pre></details><p>Links:</p><ul>${links.join('')}</ul></article>`;
    });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Greenlight outbox (local)</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}article{border:1px solid #ccc;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
.meta{color:#666;font-size:.85rem}.notice{background:#eef;padding:.5rem}.actions form{display:inline-block;margin:.25rem .5rem .25rem 0}
.modal textarea{display:block;width:30rem}pre{white-space:pre-wrap}.rich p{margin:.4rem 0}.mention{color:#1264a3}
blockquote{border-left:3px solid #ccc;margin:.25rem 0;padding-left:.5rem}
article.slack{font-family:Lato,"Segoe UI",system-ui,sans-serif;border-left:4px solid #611f69}
.fields{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:.4rem 1rem;margin:.4rem 0}
.context{color:#616061;font-size:.8rem}code{background:#f3f3f3;border:1px solid #ddd;border-radius:3px;padding:0 .2rem;color:#c0175d}
.slack-button{font-weight:700;border:1px solid #bbb;border-radius:4px;background:#fff;padding:.3rem .8rem;cursor:pointer}
.slack-button.primary{background:#007a5a;border-color:#007a5a;color:#fff}.slack-button.danger{background:#e01e5a;border-color:#e01e5a;color:#fff}
iframe.mail{width:100%;height:28rem;border:1px solid #ddd;border-radius:4px;background:#fff}</style></head><body>
<h1>Outbox — what Greenlight sent</h1><p><a href="/">open approvals</a> · <a href="/local/outbox">refresh</a></p>
${notice ? `<p class="notice">${escapeHtml(notice)}</p>` : ''}
<h2>Slack (${messages.length})</h2>${messages.join('\n') || '<p>none yet</p>'}
<h2>Ephemeral Slack replies (${ephemeral.length})</h2><ul>${ephemeral.join('')}</ul>
<h2>E-mails (${emails.length})</h2>${emails.join('\n') || '<p>none yet</p>'}
</body></html>`;
}

/** The interaction payload Slack would send for this outbox form. */
function interactionPayload(sources: OutboxSources, form: URLSearchParams): Record<string, unknown> {
  const user = { id: form.get('user') ?? 'U0STRANGER', team_id: sources.slackTeamId };
  const approvalId = form.get('approvalId') ?? '';
  const origin = { team: { id: sources.slackTeamId, domain: 'greenlight-local' }, api_app_id: sources.slackAppId };
  if (form.get('kind') === 'view_submission') {
    return {
      type: 'view_submission',
      ...origin,
      user,
      view: {
        callback_id: 'greenlight.comment',
        private_metadata: approvalId,
        state: {
          values: {
            decision: { decision: { selected_option: { value: form.get('decision') ?? 'approve' } } },
            comment: { comment: { value: form.get('comment') ?? '' } },
          },
        },
      },
    };
  }
  return {
    type: 'block_actions',
    ...origin,
    user,
    trigger_id: randomUUID(),
    channel: { id: form.get('channel') ?? '' },
    message: { ts: form.get('ts') ?? '' },
    actions: [{ type: 'button', action_id: form.get('actionId') ?? '', value: approvalId }],
  };
}

/**
 * Sends the form's interaction to /slack/interactions as Slack would: from the configured workspace and app, signed
 * with the signing secret. Returns a line for the page.
 */
export async function sendOutboxInteraction(
  sources: OutboxSources,
  httpUrl: string,
  form: URLSearchParams,
): Promise<string> {
  const body = new URLSearchParams({ payload: JSON.stringify(interactionPayload(sources, form)) }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await fetch(`${httpUrl}/slack/interactions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signSlackRequest(sources.slackSigningSecret, timestamp, body),
    },
    body,
  });
  const reply = await response.text();
  return `Slack interaction as ${form.get('user')}: HTTP ${response.status}${reply ? ` ${reply}` : ''}`;
}
