import { effectStep } from '../step';

/** `match_account`: asks which account the lead belongs to and writes the account and its owner to the lead. */
export const matchAccountStep = effectStep<'match_account', 'matchAccount'>({
  effect: 'matchAccount',
  request: (node, run) => ({ req: { leadId: run.leadId, nodeId: node.id, seq: run.seq, config: node.config, lead: run.lead }, data: undefined }),
  complete(_node, r, _data, run) {
    if (r.account) {
      run.write('accountId', r.account.id);
      run.write('accountName', r.account.name);
      run.write('accountOwner', r.account.ownerId);
    }
    return {
      outcome: r.account ? 'matched' : 'not_matched',
      decision: r.account ? `Matched ${r.account.name}` : 'No account matched',
      explanation: [r.detail],
      output: r.account ? { accountId: r.account.id, accountName: r.account.name, accountOwner: r.account.ownerId, method: r.method } : {},
    };
  },
});
