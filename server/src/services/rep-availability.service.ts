import type { Db } from '@lead-router/db/client';
import { reps } from '@lead-router/db/schema';
import { and, eq } from 'drizzle-orm';
import { hasRole, type Principal } from '../auth/principal';
import { DomainError, notFound } from '../errors/domain-error';
import { audit } from './audit.service';
import { QUEUE_MANAGER_ROLE } from './queue-work.service';

// A rep's online/offline switch (#16): the rep sets it from the inbox (or the API), a manager for them.
// Assign steps that respect availability (the default) skip offline reps with the verdict `offline`.

/** A rep's availability as the API answers it. */
export interface RepAvailability {
  id: string;
  name: string;
  online: boolean;
}

/** The rep's availability; anyone who may read the directory may read it. */
export async function getAvailability(db: Db, p: Principal, repId: string): Promise<RepAvailability> {
  const [row] = await db
    .select({ id: reps.id, name: reps.name, online: reps.online })
    .from(reps)
    .where(and(eq(reps.workspaceId, p.workspaceId), eq(reps.id, repId)));
  if (!row) throw notFound(`Rep ${repId}`);
  return row;
}

/**
 * Switches a rep online or offline: the rep themself (a user linked to them), or a manager (publisher or
 * admin). Audited as a rep update, in the transaction that makes it.
 */
export async function setAvailability(db: Db, p: Principal, repId: string, online: boolean): Promise<RepAvailability> {
  if (p.repId !== repId && !hasRole(p, QUEUE_MANAGER_ROLE)) {
    throw new DomainError(
      'forbidden',
      p.repId ? 'A rep can switch only themselves online or offline; switching another rep needs a manager (publisher or admin).' : 'Only the rep themself (a user linked to the rep) or a manager (publisher or admin) can switch a rep online or offline.',
    );
  }
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ online: reps.online })
      .from(reps)
      .where(and(eq(reps.workspaceId, p.workspaceId), eq(reps.id, repId)))
      .for('update');
    if (!before) throw notFound(`Rep ${repId}`);
    const [row] = await tx
      .update(reps)
      .set({ online })
      .where(and(eq(reps.workspaceId, p.workspaceId), eq(reps.id, repId)))
      .returning({ id: reps.id, name: reps.name, online: reps.online });
    if (!row) throw notFound(`Rep ${repId}`);
    if (before.online !== online) await audit(tx, p, p.workspaceId, 'rep.update', { type: 'rep', id: repId }, { changed: ['online'], online, by: p.repId ?? `${p.kind}:${p.id}` });
    return row;
  });
}
