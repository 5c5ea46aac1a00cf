import type { NodeConfig, NodeType } from '@lead-router/shared';

/**
 * What a kind's form gets. The config may be half-filled (a draft can be saved mid-edit), so forms read it
 * defensively and write whole configs back.
 */
export interface FormProps<T extends NodeType> {
  config: NodeConfig<T>;
  onChange: (config: NodeConfig<T>) => void;
}
