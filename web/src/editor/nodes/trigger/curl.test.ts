import { describe, expect, it } from 'vitest';
import { curlSigned, curlWithKey, shellQuote } from './curl';

// The shell really runs these lines in web/e2e/trigger-endpoint.spec.ts (against the stack); here, their text.
const target = {
  url: 'http://127.0.0.1:3000/api/workflows/0f8fad5b-d9cb-469f-a165-70867728950e/leads',
  lead: { firstName: 'Siobhán', lastName: "O'Brien", email: 'sob@example.com' },
  signature: { header: 'X-LeadRouter-Signature', timestampHeader: 'X-LeadRouter-Timestamp' },
};

describe('shellQuote', () => {
  it("single-quotes a word, writing each ' as '\\''", () => {
    expect(shellQuote('plain')).toBe("'plain'");
    expect(shellQuote("O'Brien")).toBe("'O'\\''Brien'");
    expect(shellQuote('$HOME `x` "y"')).toBe(`'$HOME \`x\` "y"'`);
    expect(shellQuote('')).toBe("''");
  });
});

describe('curlWithKey', () => {
  it('posts the lead as JSON with the key read from $LEADROUTER_API_KEY', () => {
    expect(curlWithKey(target).split('\n')).toEqual([
      `curl -sS -X POST '${target.url}' \\`,
      '  -H "Authorization: Bearer $LEADROUTER_API_KEY" \\',
      "  -H 'Content-Type: application/json' \\",
      `  --data-raw '{`,
      '  "firstName": "Siobhán",',
      `  "lastName": "O'\\''Brien",`,
      '  "email": "sob@example.com"',
      "}'",
    ]);
  });
});

describe('curlSigned', () => {
  it('prints the secret it was given, or reads $LEADROUTER_WEBHOOK_SECRET', () => {
    expect(curlSigned(target, 'whsec_abc')).toMatch(/^secret='whsec_abc'$/m);
    expect(curlSigned(target, null)).toMatch(/^secret="\$LEADROUTER_WEBHOOK_SECRET"$/m);
  });

  it('signs "<timestamp>.<body>" with openssl and sends the very body it signed', () => {
    const lines = curlSigned(target, 'whsec_abc').split('\n');
    expect(lines.slice(1)).toEqual([
      `body='{`,
      '  "firstName": "Siobhán",',
      `  "lastName": "O'\\''Brien",`,
      '  "email": "sob@example.com"',
      "}'",
      'ts=$(date +%s)',
      `sig=$(printf '%s.%s' "$ts" "$body" | openssl dgst -sha256 -hmac "$secret" | sed 's/^.* //')`,
      `curl -sS -X POST '${target.url}' \\`,
      "  -H 'Content-Type: application/json' \\",
      '  -H "X-LeadRouter-Timestamp: $ts" \\',
      '  -H "X-LeadRouter-Signature: sha256=$sig" \\',
      '  --data-raw "$body"',
    ]);
  });
});
