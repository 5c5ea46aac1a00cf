import { useQuery } from '@tanstack/react-query';
import { Save } from 'lucide-react';
import { useState } from 'react';
import { api, read } from '../../api/client';
import { ErrorMessage } from '../../ui/error-message';
import { Field } from '../../ui/field';
import { useDirectoryMutation } from '../directory/use-directory';
import { workflowsQuery } from '../workflows/queries';
import { MappingEditor } from './crm-mapping-editor';
import type { Connection, ConnectionPatch, CrmObject } from './queries';

const OBJECTS: CrmObject[] = ['Lead', 'Contact'];

/**
 * One connection's settings: the workflow its leads go to (by name), the objects read, how often, the API
 * usage ceiling, on/off, and what a change to a record already routed does; then each object's mapping.
 */
export function ConnectionEditor({ connection }: { connection: Connection }) {
  const workflows = useQuery(workflowsQuery(false));
  const [draft, setDraft] = useState<Required<Pick<ConnectionPatch, 'name' | 'workflowId' | 'objects' | 'pollIntervalSeconds' | 'apiUsageCeilingPercent' | 'enabled' | 'onUpdate'>>>(() => ({
    name: connection.name,
    workflowId: connection.workflowId,
    objects: connection.objects,
    pollIntervalSeconds: connection.pollIntervalSeconds,
    apiUsageCeilingPercent: connection.apiUsageCeilingPercent,
    enabled: connection.enabled,
    onUpdate: connection.onUpdate,
  }));
  const save = useDirectoryMutation({
    mutationFn: () => read(api.api.crm.connections[':id'].$patch({ param: { id: connection.id }, json: draft })),
    toast: (c) => `Saved ${c.name}`,
    invalidate: [['settings', 'crm']],
  });
  const hubspot = connection.provider === 'hubspot';
  const toggle = (o: CrmObject) => setDraft({ ...draft, objects: draft.objects.includes(o) ? draft.objects.filter((x) => x !== o) : OBJECTS.filter((x) => x === o || draft.objects.includes(x)) });
  return (
    <section aria-label={`Settings of ${connection.name}`} className="settings-block">
      <form
        aria-label="Connection settings"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <div className="crm-grid">
          <Field label="Name">
            <input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} required maxLength={100} />
          </Field>
          <Field label="Workflow the leads go to" hint="No polling without one; its trigger shows this connection">
            <select value={draft.workflowId ?? ''} onChange={(e) => setDraft({ ...draft, workflowId: e.target.value || null })}>
              <option value="">No workflow (not polled)</option>
              {workflows.data?.workflows.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Poll every (seconds)">
            <input type="number" min={10} max={86400} value={draft.pollIntervalSeconds} onChange={(e) => setDraft({ ...draft, pollIntervalSeconds: Number(e.target.value) })} />
          </Field>
          {!hubspot && (
            <Field label="API usage ceiling (%)" hint="Polling pauses at this share of the org's daily API calls">
              <input type="number" min={1} max={100} value={draft.apiUsageCeilingPercent} onChange={(e) => setDraft({ ...draft, apiUsageCeilingPercent: Number(e.target.value) })} />
            </Field>
          )}
          <Field label="When a routed record changes" hint="Re-routed only when a mapped field changed">
            <select value={draft.onUpdate} onChange={(e) => setDraft({ ...draft, onUpdate: e.target.value as 'ignore' | 'reroute' })}>
              <option value="ignore">Ignore the change</option>
              <option value="reroute">Re-route the lead</option>
            </select>
          </Field>
          <fieldset className="field">
            <legend className="field-label">Objects read as leads</legend>
            {hubspot ? (
              <span>Contacts (HubSpot’s one object read as leads)</span>
            ) : (
              OBJECTS.map((o) => (
                <label key={o}>
                  <input type="checkbox" checked={draft.objects.includes(o)} onChange={() => toggle(o)} /> {o}s
                </label>
              ))
            )}
          </fieldset>
          <label>
            <input type="checkbox" checked={draft.enabled} onChange={(e) => setDraft({ ...draft, enabled: e.target.checked })} /> Enabled (polled)
          </label>
        </div>
        <ErrorMessage error={save.error ?? workflows.error} />
        <div className="page-actions">
          <button type="submit" className="primary" disabled={save.isPending}>
            <Save aria-hidden size={16} /> Save settings
          </button>
        </div>
      </form>
      {/* Each object's mapping: a HubSpot connection has Contact only (its contact properties). */}
      {(hubspot ? (['Contact'] as CrmObject[]) : connection.objects).map((o) => (
        <MappingEditor key={`${connection.id}-${o}`} connection={connection} object={o} />
      ))}
    </section>
  );
}
