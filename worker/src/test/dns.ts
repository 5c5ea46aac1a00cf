import type { ResolveHost } from '../activities/target-guard';

// A DNS the tests script: each host name answers its list of answers in turn (the last one repeats), so a
// test can play a rebinding attack (a public address for the check, loopback for the connection) without
// owning a real name server. Host names it does not know do not exist, as a resolver would say.

/** A scripted resolver and how often each host was asked. */
export interface ScriptedDns {
  resolve: ResolveHost;
  /** Lookups made per host name. */
  asked: Map<string, number>;
  /** Sets (or replaces) the answers of a host name. */
  answer(host: string, ...answers: string[][]): void;
}

/** A resolver that answers from a script: `{ 'rebind.test': [['93.184.215.14'], ['127.0.0.1']] }`. */
export function scriptedDns(script: Record<string, string[][]> = {}): ScriptedDns {
  const answers = new Map(Object.entries(script));
  const asked = new Map<string, number>();
  return {
    asked,
    answer(host, ...list) {
      answers.set(host, list);
    },
    async resolve(host) {
      const n = asked.get(host) ?? 0;
      asked.set(host, n + 1);
      const list = answers.get(host);
      if (!list || list.length === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      return list[Math.min(n, list.length - 1)] as string[];
    },
  };
}
