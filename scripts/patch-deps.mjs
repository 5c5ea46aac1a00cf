/* global console, process */
// Runs after every `npm install` / `npm ci` (the root package's postinstall): small fixes to dependencies
// that upstream has not released yet. Each patch is idempotent, checks the code it changes is the code it
// expects, and fails the install loudly otherwise (an upgrade that moved the code must be looked at).
//
// postgres 3.4.9, porsager/postgres#1154 / #1208: when a connection's socket has closed (say the backend
// was terminated), a query written to it afterwards (typically the ROLLBACK of the transaction that just
// failed) schedules a write that runs `socket.write` on null. That TypeError is thrown from a setImmediate,
// so no caller can catch it: it ends the process, and the query it dropped never settles. The patch fails
// such a write's queries with CONNECTION_CLOSED instead, as every other write to a closed connection does.
// Remove it when a postgres release fixes nextWrite.
//
// postgres 3.4.9, same family: a connection fetches the array types once it is ready, in a promise nobody
// awaits; a connection reset during that query is an unhandled rejection (which ends a Node process by
// default). The patch catches it and fetches the types again on the next connection; the reset itself
// already fails or retries the queries that were waiting, through the connection's close handling.
//
// postgres 3.4.9, same family: a connection counts the rows of the result it is reading (`rows`) and resets
// the count when the command completes. A connection closed between a row and its command's end kept the
// count, so after it reconnected, the next query's rows landed one slot late: `select ... limit 1` answered
// [<empty>, row], and code reading the first row saw none (a valid API key answered 401); a query failing
// after some rows did the same to the next query. The patch resets the count whenever a new result starts
// (every ReadyForQuery, including the one that ends a reconnect).
//
// postgres 3.4.9, same family (upstream: LanternOps/breeze#3225, porsager/postgres#1209): small writes wait
// behind a setImmediate, armed only while `nextWriteTimer` is null, and only that write ever set it back to
// null. A connection closed (or terminated) with a write still waiting cleared the immediate but kept the
// handle and the bytes: when it reconnected, its StartupMessage was appended to the dead query's bytes and
// never sent, so every query given to it waited for connect_timeout (10 s) and failed with CONNECT_TIMEOUT,
// again on each reconnect (the connection-drop test timed out at 240 s in CI). This happens when two of the
// pool's backends close at once: a query retried after the first close goes to the second. The patch drops
// the handle and the bytes with the socket (their queries are failed by the close, as before).
//
// postgres 3.4.9, same family: a backend terminated during a query sends its FATAL error and closes; the
// connection failed the query with CONNECTION_CLOSED but kept the query and the error, so after reconnecting,
// the first ReadyForQuery "ended" the old query with the old error and the next query on that connection
// failed with 57P01 (terminating connection due to administrator command) from a backend already gone: one
// spurious failure (a 503 here) after every dropped connection. And a socket's 'error' (ECONNRESET) comes a
// turn of the event loop before its 'close': the error failed the queries sent so far, but queries the pool
// gave the connection in between were never failed (the close skipped that after an error), so they, and the
// requests awaiting them, waited forever (the connection-drop test hung at 240 s). The patch fails whatever
// is pending at the close, after an error too, and forgets the old query and error with the socket.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const PATCHES = [
  {
    name: 'postgres nextWrite on a closed socket (porsager/postgres#1208)',
    files: ['node_modules/postgres/src/connection.js', 'node_modules/postgres/cjs/src/connection.js', 'node_modules/postgres/cf/src/connection.js'],
    edits: [
      [
        `  function nextWrite(fn) {
    const x = socket.write(chunk, fn)`,
        `  function nextWrite(fn) {
    if (socket === null) { // lead-router patch: porsager/postgres#1208 (scripts/patch-deps.mjs)
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options))
      return false
    }
    const x = socket.write(chunk, fn)`,
      ],
    ],
  },
  {
    name: 'postgres array-type fetch on a reset connection',
    files: ['node_modules/postgres/src/connection.js', 'node_modules/postgres/cjs/src/connection.js', 'node_modules/postgres/cf/src/connection.js'],
    edits: [
      [
        `    needsTypes = false
    const types = await new Query([\``,
        `    needsTypes = false
    let types // lead-router patch: no unhandled rejection on a reset (scripts/patch-deps.mjs)
    try { types = await new Query([\``,
      ],
      [
        `    \`], [], execute)
    types.forEach(({ oid, typarray }) => addArrayType(oid, typarray))`,
        `    \`], [], execute) } catch (e) { needsTypes = true; return }
    types.forEach(({ oid, typarray }) => addArrayType(oid, typarray))`,
      ],
    ],
  },
  {
    name: 'postgres row count kept across a reconnect',
    files: ['node_modules/postgres/src/connection.js', 'node_modules/postgres/cjs/src/connection.js', 'node_modules/postgres/cf/src/connection.js'],
    edits: [
      [
        `    query = results = errorResponse = null
    result = new Result()
    connectTimer.cancel()`,
        `    query = results = errorResponse = null
    result = new Result()
    rows = 0 // lead-router patch: every result starts counting rows afresh (scripts/patch-deps.mjs)
    connectTimer.cancel()`,
      ],
    ],
  },
  {
    name: 'postgres write scheduler kept across a teardown (LanternOps/breeze#3225)',
    files: ['node_modules/postgres/src/connection.js', 'node_modules/postgres/cjs/src/connection.js', 'node_modules/postgres/cf/src/connection.js'],
    edits: [
      [
        `    clearImmediate(nextWriteTimer)
    if (socket) {`,
        `    clearImmediate(nextWriteTimer)
    chunk = nextWriteTimer = null // lead-router patch: nothing stale after a teardown (scripts/patch-deps.mjs)
    if (socket) {`,
      ],
      [
        `    clearImmediate(nextWriteTimer)
    socket.removeListener('data', data)`,
        `    clearImmediate(nextWriteTimer)
    chunk = nextWriteTimer = null // lead-router patch: nothing stale after a teardown (scripts/patch-deps.mjs)
    socket.removeListener('data', data)`,
      ],
    ],
  },
  {
    name: "postgres closed backend's queries and error kept across a reconnect",
    files: ['node_modules/postgres/src/connection.js', 'node_modules/postgres/cjs/src/connection.js', 'node_modules/postgres/cf/src/connection.js'],
    edits: [
      [
        `    if (initial)
      return reconnect()

    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))
    closedTime = performance.now()`,
        `    if (initial) { // lead-router patch: the closed backend's query and error end with it (scripts/patch-deps.mjs)
      query && queryError(query, Errors.connection('CONNECTION_CLOSED', options, socket))
      query = results = errorResponse = null
      return reconnect()
    }

    ;(query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket)) // lead-router patch: also after an error
    query = results = errorResponse = null // lead-router patch (scripts/patch-deps.mjs)
    closedTime = performance.now()`,
      ],
    ],
  },
];

let failed = false;
for (const patch of PATCHES) {
  for (const rel of patch.files) {
    const file = join(ROOT, rel);
    if (!existsSync(file)) continue;
    let code = readFileSync(file, 'utf8');
    let changed = false;
    for (const [before, after] of patch.edits) {
      if (code.includes(after)) continue;
      if (!code.includes(before)) {
        console.error(`patch-deps: ${patch.name}: ${rel} does not contain the code this patch expects; check whether the upgrade fixed it and update scripts/patch-deps.mjs`);
        failed = true;
        continue;
      }
      code = code.replace(before, after);
      changed = true;
    }
    if (changed) {
      writeFileSync(file, code);
      console.log(`patch-deps: ${patch.name}: patched ${rel}`);
    }
  }
}
if (failed) process.exit(1);
