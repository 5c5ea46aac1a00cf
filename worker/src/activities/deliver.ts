import nodemailer from 'nodemailer';
import type { SmtpSettings } from './context';
import { messageOf } from './failures';
import { httpRequest, isTransientStatus, snippet } from './http';
import { originOf, RefusedTarget, type TargetGuard } from './target-guard';

// The transports of notifications. Nothing here throws for a failure it knows: each answers a Delivery,
// saying whether a retry could change it, and `notify` records it before retrying or giving up.

/** How one delivery attempt ended. `permanent`: a retry cannot change it (refused target, 4xx, 5xx SMTP reply). */
export type Delivery = { delivered: true; detail: string } | { delivered: false; permanent: boolean; detail: string };

/** Webhooks and Slack must answer within this. */
export const WEBHOOK_TIMEOUT_MS = 5_000;

const failed = (permanent: boolean, detail: string): Delivery => ({ delivered: false, permanent, detail });

/** An email, as sent: a plain-text body and an HTML one with lead values escaped. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends email through the configured SMTP server; one transport (and its connection settings) per worker. */
export type EmailSender = (m: EmailMessage) => Promise<Delivery>;

/** SMTP error codes of nodemailer a retry cannot fix: bad login, bad envelope or message. */
const PERMANENT_SMTP_CODES = new Set(['EAUTH', 'EENVELOPE', 'EMESSAGE', 'ENOAUTH']);

/** An email sender over `smtp`, or null when SMTP is not configured. */
export function createEmailSender(smtp: SmtpSettings | null): EmailSender | null {
  if (!smtp) return null;
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return async (m) => {
    try {
      // Header values never carry line breaks from lead data.
      const info = await transport.sendMail({ from: smtp.from, to: m.to, subject: m.subject.replace(/[\r\n]+/g, ' '), text: m.text, html: m.html });
      if (info.rejected.length > 0) return failed(true, `The mail server refused ${m.to}: ${info.response}`);
      return { delivered: true, detail: `Emailed ${m.to}` };
    } catch (e) {
      const err = e as { code?: string; responseCode?: number };
      // SMTP replies: 5xx is permanent, 4xx is "try again later". No reply at all is a network problem.
      const permanent = (err.responseCode !== undefined && err.responseCode >= 500) || (err.code !== undefined && PERMANENT_SMTP_CODES.has(err.code));
      return failed(permanent, `Email to ${m.to} failed: ${messageOf(e)}`);
    }
  };
}

/**
 * POSTs JSON to a webhook (Slack's incoming webhooks included) through the target guard, within 5 s.
 * 2xx is delivered; 5xx, 429, 408, timeouts and network failures may pass; anything else (a refused target
 * included) will not.
 */
export async function postJson(guard: TargetGuard, rawUrl: string, payload: unknown, options: { what: string; timeoutMs?: number }): Promise<Delivery> {
  const origin = originOf(rawUrl);
  try {
    const res = await httpRequest(
      guard,
      rawUrl,
      { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'lead-router' }, body: JSON.stringify(payload) },
      options.timeoutMs ?? WEBHOOK_TIMEOUT_MS,
    );
    if (res.status >= 200 && res.status < 300) return { delivered: true, detail: `${options.what} ${origin} answered ${res.status}` };
    const why = res.status >= 300 && res.status < 400 ? 'a redirect, which is not followed' : snippet(res.body) || 'no body';
    return failed(!isTransientStatus(res.status), `${options.what} ${origin} answered ${res.status}: ${why}`);
  } catch (e) {
    if (e instanceof RefusedTarget) return failed(true, `Refused to call ${origin}: ${e.message}`);
    return failed(false, messageOf(e));
  }
}
