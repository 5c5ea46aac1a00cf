// Company names as account matching compares them. `normalizeCompanyName` keeps what identifies a company
// and drops what does not: case, accents, punctuation, `&` vs `and`, a leading "The", and legal forms in
// many languages (Inc, GmbH, S.A., KK, Pty Ltd, S.A. de C.V. ...) where a legal form stands: at the end of
// the name, or at its start for the forms written first (PT, OOO, Kabushiki Kaisha...). A legal-form word
// in the middle stays ("AG Barr", "Co-operative Bank", "Limited Brands Group").

/** Longest name read: the rest is ignored (bounded cost). */
export const MAX_NAME_INPUT = 300;

// Legal forms that end a name, as normalised tokens (dots and slashes already joined: `S.A.` -> `sa`,
// `A/S` -> `as`, `L.L.C.` -> `llc`). Several-word forms are listed as phrases below.
const TRAILING_FORMS = new Set([
  // English-speaking
  'inc', 'incorporated', 'corp', 'corporation', 'co', 'cos', 'company', 'companies', 'llc', 'pllc', 'ltd', 'limited', 'ltda',
  'plc', 'llp', 'lp', 'lllp', 'pty', 'pvt', 'pte', 'pbc', 'nl', 'dac', 'cic', 'unltd', 'ulc', 'coltd',
  // German-speaking
  'gmbh', 'mbh', 'ag', 'kg', 'kgaa', 'ohg', 'ev', 'eg', 'ug', 'gbr', 'ek', 'aktiengesellschaft', 'se',
  // French, Spanish, Portuguese, Italian
  'sa', 'sas', 'sasu', 'sarl', 'eurl', 'sca', 'snc', 'sci', 'scs', 'sl', 'slu', 'sau', 'slne', 'spa', 'srl', 'srls',
  'sapa', 'scarl', 'lda', 'sgps', 'cv', 'sab', 'sapi', 'sac', 'saa', 'saic', 'sae', 'eireli',
  // Dutch, Belgian, Nordic, Baltic
  'bv', 'nv', 'bvba', 'vof', 'cvba', 'ab', 'publ', 'asa', 'as', 'aps', 'ivs', 'oy', 'oyj', 'hf', 'ehf', 'ou', 'uab', 'sia',
  // Central and Eastern Europe, Russia, Turkey
  'sro', 'spol', 'zrt', 'nyrt', 'kft', 'bt', 'doo', 'dd', 'ad', 'ead', 'ood', 'eood', 'spzoo', 'oao', 'ooo', 'zao', 'pao',
  'pjsc', 'ojsc', 'cjsc', 'jsc', 'ao', 'tov', 'as', 'ltdsti', 'sti',
  // Asia and Oceania
  'kk', 'yk', 'gk', 'kabushikikaisha', 'bhd', 'berhad', 'sdn', 'tbk', 'pt', 'jsc', 'pcl', 'pclc',
]);

// Legal forms written before the name (Indonesia's PT, Russia's OOO, Japan's Kabushiki Kaisha as a prefix...).
const LEADING_FORMS = new Set(['ab', 'pt', 'cv', 'ooo', 'oao', 'zao', 'pao', 'ao', 'pjsc', 'ojsc', 'jsc', 'kk', 'kabushikikaisha', 'yk', 'gk']);

// Words written out or abbreviated: one spelling, so "Sony Corporation of America" is "Sony Corp. of America".
const CANONICAL: Record<string, string> = {
  corporation: 'corp',
  incorporated: 'inc',
  limited: 'ltd',
  company: 'co',
  brothers: 'bros',
  international: 'intl',
  saint: 'st',
  mount: 'mt',
  laboratories: 'labs',
  laboratory: 'lab',
  manufacturing: 'mfg',
  associates: 'assoc',
};

// Several-word legal forms, as token phrases; tried before single words, longest first.
const PHRASES: string[][] = [
  'gesellschaft mit beschrankter haftung',
  'gmbh and co kgaa', 'gmbh and co kg', 'gmbh and co ohg', 'ag and co kgaa', 'ag and co kg', 'se and co kgaa', 'se and co kg',
  's de rl de cv', 'sapi de cv', 'sab de cv', 'sa de cv', 's de rl', 'sa de cv sofom',
  'societe par actions simplifiee', 'societe anonyme', 'societe a responsabilite limitee', 'sociedad anonima',
  'sociedad limitada', 'sociedad de responsabilidad limitada', 'societa per azioni', 'societa a responsabilita limitata',
  'naamloze vennootschap', 'besloten vennootschap', 'public limited company', 'limited liability company',
  'limited liability partnership', 'limited partnership', 'private limited', 'public company limited',
  'proprietary limited', 'pty ltd', 'pvt ltd', 'pte ltd', 'sdn bhd', 'co ltd', 'co inc', 'co llc', 'and co', 'and company',
  'kabushiki kaisha', 'yugen kaisha', 'godo kaisha', 'sp z oo', 'sp zoo', 's a', 's p a', 's r l', 'b v', 'n v', 'a s',
  'a g', 'l l c', 'l p', 's a s', 's l', 'k k',
]
  .map((p) => p.split(' ').map((w) => CANONICAL[w] ?? w))
  .sort((a, b) => b.length - a.length);

// Letters NFKD leaves as they are but readers take for plain ones.
const FOLD: Record<string, string> = { ß: 'ss', ø: 'o', æ: 'ae', œ: 'oe', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h' };

/** The name lower-cased, accents gone, `&` and `+` as ` and `, split into words (`.` `'` `/` join). */
export function companyTokens(name: string): string[] {
  const s = name
    .slice(0, MAX_NAME_INPUT)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßøæœłđðþıħ]/g, (c) => FOLD[c] ?? c)
    .replace(/[&+]/g, ' and ')
    // A web address as a name: `Amazon.com` is Amazon (the usual generic endings only).
    .replace(/(\p{L})\.(?:com|net|org|io)\b/gu, '$1')
    // Dots, apostrophes and slashes join what is around them (S.A. -> sa, O'Neil -> oneil, A/S -> as).
    .replace(/[.'’`/]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return s === '' ? [] : s.split(' ').map((w) => CANONICAL[w] ?? w);
}


const endsWith = (words: readonly string[], phrase: readonly string[]): boolean =>
  words.length > phrase.length && phrase.every((w, i) => words[words.length - phrase.length + i] === w);
const startsWith = (words: readonly string[], phrase: readonly string[]): boolean =>
  words.length > phrase.length && phrase.every((w, i) => words[i] === w);

/** The words of a company's name less its legal forms and a leading "The" (never all of them). */
export function coreTokens(name: string): string[] {
  const words = companyTokens(name);
  let changed = true;
  while (changed && words.length > 1) {
    changed = false;
    const phrase = PHRASES.find((p) => endsWith(words, p));
    if (phrase) {
      words.length -= phrase.length;
      changed = true;
      continue;
    }
    const last = words[words.length - 1] as string;
    // A dangling `and` is what is left of "Smith & Co.".
    if (TRAILING_FORMS.has(last) || last === 'and') {
      words.pop();
      changed = true;
      continue;
    }
    const lead = PHRASES.find((p) => p.length > 1 && p[0] === 'kabushiki' && startsWith(words, p));
    if (lead) {
      words.splice(0, lead.length);
      changed = true;
      continue;
    }
    const first = words[0] as string;
    if (first === 'the' || LEADING_FORMS.has(first)) {
      words.shift();
      changed = true;
    }
  }
  return words;
}

/**
 * A company name reduced to what identifies it: `The Procter & Gamble Company` -> `procter and gamble`,
 * `Société Générale S.A.` -> `societe generale`, `SIEMENS Aktiengesellschaft` -> `siemens`,
 * `Toyota Motor Co., Ltd.` -> `toyota motor`. Empty when the name has no letter or digit.
 */
export function normalizeCompanyName(name: string): string {
  return coreTokens(name).join(' ');
}
