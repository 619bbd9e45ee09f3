import { describe, expect, it } from 'vitest';
import { matchesTableFilter, qualified, splitQuotedName, splitTableList } from '../../../harness/model/catalog.js';

describe('qualified table keys', () => {
  it('keep plain names as they are and quote a part holding a dot or a quote, so no two tables share a key', () => {
    expect(qualified({ schema: 'public', name: 'Posts' })).toBe('public.Posts');
    expect(qualified({ schema: 'public', name: 'a.b' })).toBe('public."a.b"');
    expect(qualified({ schema: 'public.a', name: 'b' })).toBe('"public.a".b');
    expect(qualified({ schema: 'public', name: 'x"y' })).toBe('public.x"y');
    expect(qualified({ schema: 'Odd "Schema"', name: 'Mixed "Case" Child' })).toBe('Odd "Schema".Mixed "Case" Child');
    expect(qualified({ schema: 'public', name: '"q' })).toBe('public."""q"');
    expect(qualified({ schema: 'public', name: 'a."b' })).toBe('public."a.""b"');
    expect(qualified({ schema: 'public', name: '' })).toBe('public.""');
  });
});

describe('--tables patterns', () => {
  const t = (schema: string, name: string) => ({ schema, name });

  it('split lists on commas outside quotes', () => {
    expect(splitTableList('public.a, "public"."c,d",sales.*')).toEqual(['public.a', '"public"."c,d"', 'sales.*']);
  });

  it('parse quoted parts literally', () => {
    expect(splitQuotedName('"public"."a.b"')).toEqual([{ text: 'public', quoted: true }, { text: 'a.b', quoted: true }]);
    expect(splitQuotedName('"say ""hi"""')).toEqual([{ text: 'say "hi"', quoted: true }]);
    expect(splitQuotedName('"open')).toBeUndefined();
  });

  it('match quoted names exactly and unquoted ones as before', () => {
    expect(matchesTableFilter(t('public', 'a.b'), ['"public"."a.b"'])).toBe(true);
    expect(matchesTableFilter(t('public.a', 'b'), ['"public"."a.b"'])).toBe(false);
    expect(matchesTableFilter(t('public.a', 'b'), ['"public.a".b'])).toBe(true);
    expect(matchesTableFilter(t('public', 'a.b'), ['public."a.b"'])).toBe(true);
    expect(matchesTableFilter(t('sales', 'a.b'), ['"a.b"'])).toBe(true);
    expect(matchesTableFilter(t('sales', 'orders'), ['sales.*'])).toBe(true);
    expect(matchesTableFilter(t('sales', '*'), ['sales."*"'])).toBe(true);
    expect(matchesTableFilter(t('sales', 'orders'), ['sales."*"'])).toBe(false);
    expect(matchesTableFilter(t('public', 'posts'), ['posts'])).toBe(true);
  });
});
