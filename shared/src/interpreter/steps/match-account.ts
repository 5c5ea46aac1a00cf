import { effectStep } from '../step';

/**
 * `match_account`: asks which account the lead belongs to and writes the account and its owner to the lead.
 * With duplicates on, a lead whose email an earlier lead had goes out by `duplicate` (or `matched`, its
 * fallback) with the account owner set to the rep holding that earlier lead.
 */
export const matchAccountStep = effectStep<'match_account', 'matchAccount'>({
  effect: 'matchAccount',
  request: (node, run) => ({ req: { leadId: run.leadId, nodeId: node.id, seq: run.seq, config: node.config, lead: run.lead }, data: undefined }),
  complete(_node, r, _data, run) {
    if (r.account) {
      run.write('accountId', r.account.id);
      run.write('accountName', r.account.name);
      run.write('accountOwner', r.account.ownerId);
    }
    const dup = r.duplicate ?? null;
    if (dup) run.write('accountOwner', dup.repId);
    const candidates = r.candidates ? { candidates: r.candidates, candidateCount: r.candidateCount ?? r.candidates.length } : {};
    const rule = r.rule !== undefined ? { rule: r.rule } : {};
    const account = r.account ? { accountId: r.account.id, accountName: r.account.name, accountOwner: r.account.ownerId, method: r.method } : {};
    return {
      outcome: dup ? 'duplicate' : r.account ? 'matched' : 'not_matched',
      decision: dup ? `Duplicate lead: goes to the rep who has lead ${dup.leadId}` : r.account ? `Matched ${r.account.name}` : 'No account matched',
      explanation: [r.detail],
      output: { ...account, ...rule, ...(dup ? { duplicateOf: dup.leadId, accountOwner: dup.repId } : {}), ...candidates },
    };
  },
});
