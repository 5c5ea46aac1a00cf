import type { AnalyticsScope } from './analytics-context';

/** A pool's expected shares: each rep's weight over the sum of the pool's weights. */
export interface ExpectedShares {
  poolName: string | null;
  weights: Map<string, number>;
  shares: Map<string, number>;
}

/**
 * What an assign node's pool should give each rep: a weighted round-robin the team's weights, a round-robin
 * or load-balanced team and a territory equal shares. Null where no share is promised (account owner,
 * a named rep, a queue) or the pool is no longer in the directory. The directory as it is now: a rep who
 * has left the team since is expected nothing.
 */
export function expectedShares(s: AnalyticsScope, nodeId: string, poolKey: string | null): ExpectedShares | null {
  const node = s.node(nodeId);
  if (!node || node.type !== 'assign' || poolKey === null) return null;
  const strategy = node.config.strategy;
  const weights = new Map<string, number>();
  let poolName: string | null = null;
  if (poolKey.startsWith('team:') && (strategy.type === 'round_robin' || strategy.type === 'weighted_round_robin' || strategy.type === 'load_balanced')) {
    const team = s.teams.find((t) => `team:${t.id}` === poolKey);
    if (!team) return null;
    poolName = team.name;
    for (const m of team.members) weights.set(m.repId, strategy.type === 'weighted_round_robin' ? Math.max(0, m.weight) : 1);
  } else if (poolKey.startsWith('territory:') && strategy.type === 'territory') {
    const territory = s.territories.get(poolKey.slice('territory:'.length));
    if (!territory) return null;
    poolName = territory.name;
    for (const repId of territory.repIds) weights.set(repId, 1);
  } else {
    return null;
  }
  const sum = [...weights.values()].reduce((a, b) => a + b, 0);
  if (sum <= 0) return null;
  return { poolName, weights, shares: new Map([...weights].map(([id, w]) => [id, w / sum])) };
}
