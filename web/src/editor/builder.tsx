import type { CustomField, Graph } from '@lead-router/shared';
import { useQuery } from '@tanstack/react-query';
import { ReactFlowProvider } from '@xyflow/react';
import { ArrowLeft } from 'lucide-react';
import { useEffect, useState, type CSSProperties } from 'react';
import { Link } from 'wouter';
import { useCan } from '../auth/session';
import { fieldsQuery } from './api/queries';
import { EditorCanvas } from './canvas/editor-canvas';
import { CanvasTools } from './canvas/toolbar';
import { DirectoryNamesProvider } from './directory/directory-names';
import './editor.css';
import { directoryProblems, useAutosave } from './hooks/use-autosave';
import { useLiveValidation } from './hooks/use-live-validation';
import { useShortcuts } from './hooks/use-shortcuts';
import { useSideWidth } from './hooks/use-side-width';
import { savedGrid } from './hooks/view-prefs';
import { Inspector } from './inspector/inspector';
import { Palette } from './palette/palette';
import { ProblemsPanel } from './problems/problems-panel';
import { PublishDialog } from './publish/publish-dialog';
import { SaveStatus } from './save-status';
import { EditorProvider, useEditorApi } from './store/editor-context';
import type { Problem } from './store/editor-store';
import { PinnedChip, PinnedRunProvider } from './test-run/pinned-run';
import { TestRunPanel } from './test-run/test-run-panel';
import { VersionsPanel } from './versions/versions-panel';

const NO_FIELDS: CustomField[] = [];
type Tab = 'inspect' | 'test' | 'versions';

function BuilderBody({ workflowId, name, revision, problems }: { workflowId: string; name: string; revision: number; problems: Problem[] }) {
  const canEdit = useCan('editor');
  const canPublish = useCan('publisher');
  const fields = useQuery(fieldsQuery);
  useLiveValidation(fields.data?.custom ?? NO_FIELDS);
  useShortcuts();
  const { reload, overwrite, saveNow, kept, restore, discardKept } = useAutosave(workflowId, revision);
  const store = useEditorApi();
  // Test runs and publishing use the draft as saved on the server: save pending edits first.
  const flush = async () => {
    if (canEdit && store.getState().save.state !== 'saved') await saveNow();
  };
  const [tab, setTab] = useState<Tab>('inspect');
  // The draft's directory problems as loaded; later saves replace them.
  useEffect(() => store.getState().setServerProblems(directoryProblems(problems)), [store, problems]);
  const [publishing, setPublishing] = useState(false);
  const side = useSideWidth();
  const tabs: { id: Tab; label: string }[] = [
    { id: 'inspect', label: 'Step' },
    { id: 'test', label: 'Test run' },
    { id: 'versions', label: 'Versions' },
  ];
  return (
    <PinnedRunProvider workflowId={workflowId} flush={flush}>
    <div className={`builder${canEdit ? '' : ' read-only'}`} style={{ '--side-width': `${side.width}px` } as CSSProperties}>
      <div className="builder-toolbar">
        <Link href="/workflows" className="back-link" aria-label="Back to workflows" title="Back to workflows">
          <ArrowLeft size={14} aria-hidden="true" />
          Workflows
        </Link>
        <h1 title={name}>{name}</h1>
        <CanvasTools />
        <PinnedChip />
        {canPublish && (
          <button type="button" onClick={() => setPublishing(true)}>
            Publish…
          </button>
        )}
        {canEdit && <SaveStatus onReload={() => void reload()} onOverwrite={() => void overwrite()} kept={kept} onRestore={restore} onDiscard={discardKept} />}
      </div>
      {canEdit && <Palette />}
      <EditorCanvas />
      <div className="side-resizer" {...side.handleProps} />
      <aside className="builder-side" data-testid="builder-side">
        <div className="tabs" role="tablist">
          {tabs.map((t) => (
            <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} onClick={() => setTab(t.id)}>
              {t.label}
            </button>
          ))}
        </div>
        <div role="tabpanel">
          {tab === 'inspect' && <Inspector />}
          {tab === 'test' && <TestRunPanel workflowId={workflowId} flush={flush} />}
          {tab === 'versions' && <VersionsPanel workflowId={workflowId} />}
        </div>
      </aside>
      <div className="builder-bottom">
        <ProblemsPanel />
      </div>
      {publishing && <PublishDialog workflowId={workflowId} flush={flush} onClose={() => setPublishing(false)} />}
    </div>
    </PinnedRunProvider>
  );
}

/**
 * The builder of one workflow's draft: palette, canvas, inspector, problems, test runs, publishing. A viewer
 * gets the same canvas read-only, with no edit controls.
 */
export function Builder({ workflowId, name, graph, revision, problems = [] }: { workflowId: string; name: string; graph: Graph; revision: number; problems?: Problem[] }) {
  const canEdit = useCan('editor');
  return (
    <EditorProvider graph={graph} readOnly={!canEdit} grid={savedGrid()}>
      <DirectoryNamesProvider>
        <ReactFlowProvider>
          <BuilderBody workflowId={workflowId} name={name} revision={revision} problems={problems} />
        </ReactFlowProvider>
      </DirectoryNamesProvider>
    </EditorProvider>
  );
}
