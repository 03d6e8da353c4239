// parseCsv / formatCsv against RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180): the examples of its
// section 2 (quoted delimiters, doubled quotes, line breaks inside quotes, CRLF), plus the missing-cell
// conventions of pandas' read_csv (empty cell and "NA"/"NaN" read as missing, blank lines skipped).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DataValidationError, formatCsv, parseCsv } from '../../src/data/index';
import { InvalidInputError } from '../../src/errors';

function thrown(f: () => unknown): DataValidationError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DataValidationError);
    expect(e).toBeInstanceOf(InvalidInputError);
    return e as DataValidationError;
  }
  throw new Error('expected a DataValidationError');
}

describe('parseCsv', () => {
  it('reads numbers as numbers and text as text, by column', () => {
    const p = parseCsv('date,sales,tv\n2024-01-01,10.5,3\n2024-01-08,-2e3,0\n');
    expect(p.names).toEqual(['date', 'sales', 'tv']);
    expect(p.rows).toBe(2);
    expect(p.columns.date).toEqual(['2024-01-01', '2024-01-08']);
    expect(p.columns.sales).toEqual([10.5, -2000]);
    expect(p.columns.tv).toEqual([3, 0]);
    expect(p.missing).toEqual([]);
    expect(p.warnings).toEqual([]);
  });

  it('handles RFC 4180 quoting: delimiters, doubled quotes and line breaks inside quotes, CRLF', () => {
    const text = '"a,b",c\r\n"1,5","say ""hi"""\r\n"2","line\r\nbreak"\r\n';
    const p = parseCsv(text);
    expect(p.names).toEqual(['a,b', 'c']);
    expect(p.columns['a,b']).toEqual(['1,5', '2']); // "1,5" is not a number: the column stays text
    expect(p.columns.c).toEqual(['say "hi"', 'line\r\nbreak']);
  });

  it('reads LF and CRLF files identically, with or without a final line break and a byte-order mark', () => {
    const lf = 'x,y\n1,2\n3,4\n';
    const expected = parseCsv(lf);
    expect(parseCsv('x,y\r\n1,2\r\n3,4\r\n')).toEqual(expected);
    expect(parseCsv('x,y\n1,2\n3,4')).toEqual(expected);
    expect(parseCsv('\ufeffx,y\n1,2\n3,4\n')).toEqual(expected);
  });

  it('reports empty cells and NA tokens as missing, with their 1-based data row', () => {
    const p = parseCsv('date,sales,tv\n2024-01-01,,1\n2024-01-08,NA,2\n2024-01-15,5,\n');
    expect(p.columns.sales).toEqual([NaN, NaN, 5]);
    expect(p.columns.tv).toEqual([1, 2, NaN]);
    expect(p.missing).toEqual([
      { column: 'sales', row: 1 },
      { column: 'sales', row: 2 },
      { column: 'tv', row: 3 },
    ]);
    expect(p.warnings).toEqual([
      "column 'sales' has 2 missing cell(s), in data row(s) 1, 2",
      "column 'tv' has 1 missing cell(s), in data row(s) 3",
    ]);
  });

  it('keeps a column with one stray text cell as text, so that validation can name the cell', () => {
    const p = parseCsv('tv\n1\n$2\n3\n');
    expect(p.columns.tv).toEqual(['1', '$2', '3']);
  });

  it('skips wholly blank lines, as pandas does', () => {
    expect(parseCsv('x\n1\n\n2\n').columns.x).toEqual([1, 2]);
  });

  it('throws on malformed files, naming the row', () => {
    expect(thrown(() => parseCsv('a,b\n1,2\n3\n')).row).toBe(2);
    expect(thrown(() => parseCsv('a,b\n1,2\n3\n')).message).toMatch(/data row 2 \(line 3\) has 1 fields, the header has 2/);
    expect(thrown(() => parseCsv('a,a\n1,2\n')).column).toBe('a');
    expect(thrown(() => parseCsv('a,\n1,2\n')).message).toMatch(/column 2 of the header has no name/);
    expect(thrown(() => parseCsv('a\n"1\n')).message).toMatch(/unterminated quoted field/);
    expect(thrown(() => parseCsv('a\n"1"x\n')).message).toMatch(/text after a closing quote/);
    expect(thrown(() => parseCsv('')).message).toMatch(/empty/);
  });

  it('does not read Infinity, hex or thousands separators as numbers', () => {
    const p = parseCsv('a,b,c,d\n1e999,0x10,"1,000",Infinity\n');
    expect(p.columns).toEqual({ a: ['1e999'], b: ['0x10'], c: ['1,000'], d: ['Infinity'] });
  });
});

describe('formatCsv', () => {
  it('round-trips doubles exactly (shortest round-trip text) and quotes what needs quoting', () => {
    const columns = {
      date: ['2024-01-01', '2024-01-08', '2024-01-15'],
      x: [0.1 + 0.2, 1 / 3, -1.5e-300],
      'note, quoted': ['a "b"', ' padded', 'line\nbreak'],
    };
    const text = formatCsv(columns);
    const back = parseCsv(text);
    expect(back.columns).toEqual(columns);
    expect((back.columns.x as number[])[0]).toBe(0.30000000000000004);
  });

  it('writes NaN as an empty cell and refuses infinities', () => {
    expect(formatCsv({ x: [1, NaN] })).toBe('x\n1\n\n');
    expect(thrown(() => formatCsv({ x: [1, Infinity] })).row).toBe(2);
  });

  it('round-trips the shipped pymc-marketing example byte for byte', () => {
    // Its numbers were written by Python's repr, which is also the shortest round-trip text, except
    // that Python writes 0.0 where JavaScript writes 0: compare after normalizing that one spelling.
    const text = readFileSync(resolve(__dirname, '../../data/mmm_example.csv'), 'utf8');
    const p = parseCsv(text);
    expect(formatCsv(p.columns)).toBe(text.replace(/(^|,)(-?\d+)\.0(?=,|\n)/gm, '$1$2'));
  });
});
