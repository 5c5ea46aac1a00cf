import { NOTIFY_CHANNELS, type Recipient } from '@lead-router/shared';
import { useId, useRef } from 'react';
import type { FormProps } from '../../inspector/form-props';
import { IdSelect } from '../../inspector/id-select';
import { useConfigProblems } from '../../inspector/config-problems';
import { ChoiceField, TextField } from '../../inspector/text-field';
import { useDirectoryOptions } from '../../inspector/use-directory-options';
import { useFieldCatalog } from '../../inspector/use-field-catalog';

const RECIPIENTS = ['assignee', 'manager', 'rep', 'email'] as const;

function recipientOf(type: (typeof RECIPIENTS)[number]): Recipient {
  if (type === 'rep') return { type, repId: '' };
  if (type === 'email') return { type, address: '' };
  return { type };
}

/** Channel, recipient and a message template with field tokens like {{company}}. */
export function NotifyForm({ config, onChange }: FormProps<'notify'>) {
  const dir = useDirectoryOptions();
  const problemAt = useConfigProblems();
  const fields = useFieldCatalog();
  const messageId = useId();
  const tokenId = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const r = config.recipient ?? { type: 'assignee' };
  const insertToken = (key: string) => {
    const el = area.current;
    const msg = config.message ?? '';
    const at = el?.selectionStart ?? msg.length;
    onChange({ ...config, message: `${msg.slice(0, at)}{{${key}}}${msg.slice(at)}` });
  };
  return (
    <div>
      <ChoiceField label="Channel" value={config.channel} choices={NOTIFY_CHANNELS} onChange={(channel) => onChange({ ...config, channel })} />
      {(config.channel === 'in_app' || config.channel === 'email') && (
        <>
          <ChoiceField label="Recipient" value={r.type} choices={RECIPIENTS} onChange={(t) => onChange({ ...config, recipient: recipientOf(t) })} />
          {r.type === 'rep' && <IdSelect label="Rep" value={r.repId} options={dir.reps} onChange={(repId) => onChange({ ...config, recipient: { type: 'rep', repId } })} />}
          {r.type === 'email' && <TextField label="Email address" value={r.address} onChange={(address) => onChange({ ...config, recipient: { type: 'email', address } })} />}
        </>
      )}
      {(config.channel === 'slack' || config.channel === 'webhook') && (
        <>
          <TextField label="URL" value={config.url ?? ''} placeholder="{{secret.SLACK_SALES_WEBHOOK}}" problem={problemAt('url')} onChange={(url) => onChange({ ...config, url })} />
          <p className="hint">A Slack webhook URL is a credential: keep it under Settings, Secrets and write {'{{secret.NAME}}'} here.</p>
        </>
      )}
      {config.channel === 'email' && <TextField label="Subject" value={config.subject ?? ''} onChange={(subject) => onChange({ ...config, subject })} />}
      <div className="form-row">
        <label htmlFor={messageId}>Message</label>
        <textarea id={messageId} ref={area} rows={4} value={config.message ?? ''} onChange={(e) => onChange({ ...config, message: e.target.value })} />
      </div>
      <div className="form-row">
        <label htmlFor={tokenId}>Insert a field</label>
        <select id={tokenId} value="" onChange={(e) => e.target.value && insertToken(e.target.value)}>
          <option value="">Choose a field…</option>
          {fields.map((f) => (
            <option key={f.key} value={f.key}>
              {f.label} — {`{{${f.key}}}`}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
