import type { ActionName, Tone, Verdict } from '@recsys-actions/core';

export const ACTION_LABELS: Record<ActionName, string> = {
  'validate-model': 'Model validation',
  'shift-traffic': 'Traffic shift',
  'canary-gate': 'Canary gate',
  'drift-check': 'Drift check',
  rollback: 'Rollback',
  'notify-slack': 'Slack notification',
  'deployment-report': 'Deployment report',
};

export const VERDICT_LABELS: Record<Verdict, string> = {
  pass: 'passed',
  warn: 'passed with warnings',
  fail: 'failed',
  promote: 'promote',
  rollback: 'roll back',
  inconclusive: 'inconclusive',
  drift: 'drift detected',
  'no-drift': 'no drift',
  shifted: 'applied',
  unchanged: 'no change',
  'rolled-back': 'done',
  sent: 'sent',
  ok: 'all metrics in band',
};

/** Slack emoji shortcodes, which render in plain_text headers (emoji: true) and in mrkdwn alike. */
export const TONE_EMOJI: Record<Tone, string> = {
  success: ':white_check_mark:',
  warning: ':warning:',
  failure: ':rotating_light:',
  neutral: ':information_source:',
};

/** What the canary verdict asks people to do, since the verdict word alone reads ambiguously in a channel. */
export const CANARY_ADVICE: Partial<Record<Verdict, string>> = {
  promote: 'The canary met every rule: promote it to full traffic.',
  rollback: 'The canary did worse than its rules allow: roll it back.',
  inconclusive: 'Not enough evidence yet: keep the canary at its current share and judge again.',
};
