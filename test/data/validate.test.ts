// validateMMMData: each check of its contract on a deliberately broken copy of a shipped data set, and
// the happy path on every shipped data set. The reference for each case is the file itself: the tests
// break a known cell and expect the error to name that column and that 1-based data row.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataValidationError, parseCsv, validateMMMData, type Columns, type MMMDataSpec } from '../../src/data/index';
import { loadCsv } from '../../src/data/node';
import { InvalidInputError } from '../../src/errors';

const dataDir = resolve(__dirname, '../../data');
const example = parseCsv(readFileSync(resolve(dataDir, 'mmm_example.csv'), 'utf8')).columns;
const spec: MMMDataSpec = { date: 'date_week', target: 'y', channels: ['x1', 'x2'], controls: ['event_1', 'event_2', 't'] };

/** A copy of the example with one cell of one column replaced. */
function withCell(column: string, row: number, value: number | string): Columns {
  const copy: Columns = { ...example };
  const col = [...example[column]] as (number | string)[];
  col[row - 1] = value;
  copy[column] = (col.every((v) => typeof v === 'number') ? col : col.map(String)) as Columns[string];
  return copy;
}

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

describe('validateMMMData: the happy path', () => {
  it('accepts the pymc-marketing example and returns its columns as numbers', () => {
    const data = validateMMMData(example, { ...spec, parameters: 12 });
    expect(data.rows).toBe(179);
    expect(data.dates[0]).toBe('2018-04-02');
    expect(data.dates[178]).toBe('2021-08-30');
    expect(data.target[0]).toBe(3984.662237343649);
    expect(Array.from(data.channels.x1)).toEqual(example.x1);
    expect(data.channelNames).toEqual(['x1', 'x2']);
    expect(data.controlNames).toEqual(['event_1', 'event_2', 't']);
    expect(data.warnings).toEqual([]);
  });

  it.each([
    ['sim_basic.csv', ['tv', 'search', 'social', 'display'], ['price']],
    ['sim_confounded.csv', ['tv', 'search', 'social'], ['price', 'competitor']],
  ])('accepts the shipped data set %s with no warnings', (file, channels, controls) => {
    const { columns, missing } = loadCsv(resolve(dataDir, file));
    expect(missing).toEqual([]);
    const data = validateMMMData(columns, { date: 'date', target: 'sales', channels, controls, parameters: 30 });
    expect(data.rows).toBe(156);
    expect(data.warnings).toEqual([]);
  });

  it('does not modify its input', () => {
    const before = JSON.stringify(example);
    validateMMMData(example, spec);
    expect(JSON.stringify(example)).toBe(before);
  });
});

describe('validateMMMData: typed errors naming the column and the row', () => {
  it('a column the spec names but the data lack', () => {
    const e = thrown(() => validateMMMData(example, { ...spec, channels: ['x1', 'tv', 'radio'] }));
    expect(e.column).toBe('tv');
    expect(e.row).toBeNull();
    expect(e.message).toMatch(/no column for channel 'tv', channel 'radio'/);
  });

  it('a missing value (NaN from an empty cell) and a non-numeric value', () => {
    const missing = thrown(() => validateMMMData(withCell('x1', 17, NaN), spec));
    expect([missing.column, missing.row]).toEqual(['x1', 17]);
    expect(missing.message).toMatch(/missing value at row 17 \(2018-07-23\)/);

    const text = thrown(() => validateMMMData(withCell('y', 40, '4,512.20'), spec));
    expect([text.column, text.row]).toEqual(['y', 40]);
    expect(text.message).toMatch(/non-numeric value '4,512.20' at row 40/);
  });

  it('a missing cell in a CSV file, reported with its data row as in the file', () => {
    const lines = readFileSync(resolve(dataDir, 'mmm_example.csv'), 'utf8').split('\n');
    // Data row 5 is line 6 of the file (line 1 is the header). Blank its x2 cell (the fourth field).
    const cells = lines[5].split(',');
    cells[3] = '';
    lines[5] = cells.join(',');
    const e = thrown(() => validateMMMData(parseCsv(lines.join('\n')).columns, spec));
    expect([e.column, e.row]).toEqual(['x2', 5]);
  });

  it('negative spend', () => {
    const e = thrown(() => validateMMMData(withCell('x2', 100, -0.5), spec));
    expect([e.column, e.row]).toEqual(['x2', 100]);
    expect(e.message).toMatch(/negative \(-0.5\)/);
  });

  it('a date that is not an ISO date, or does not exist', () => {
    expect(thrown(() => validateMMMData(withCell('date_week', 3, '04/16/2018'), spec)).row).toBe(3);
    expect(thrown(() => validateMMMData(withCell('date_week', 3, '2018-02-30'), spec)).message).toMatch(/not a valid ISO date/);
  });

  it('duplicate dates, naming both rows', () => {
    const e = thrown(() => validateMMMData(withCell('date_week', 10, example.date_week[8] as string), spec));
    expect([e.column, e.row]).toEqual(['date_week', 10]);
    expect(e.message).toMatch(/2018-05-28 appears twice, at rows 9 and 10/);
  });

  it('unsorted dates', () => {
    const swapped = withCell('date_week', 20, example.date_week[20] as string);
    (swapped.date_week as string[])[20] = example.date_week[19] as string;
    const e = thrown(() => validateMMMData(swapped, spec));
    expect([e.column, e.row]).toEqual(['date_week', 21]);
    expect(e.message).toMatch(/not in increasing order: 2018-08-13 at row 21 comes after 2018-08-20 at row 20/);
  });

  it('irregular dates: a missing week', () => {
    const dropped: Columns = {};
    for (const [name, col] of Object.entries(example)) dropped[name] = (col as (number | string)[]).filter((_, r) => r !== 49) as Columns[string];
    const e = thrown(() => validateMMMData(dropped, spec));
    expect([e.column, e.row]).toEqual(['date_week', 50]);
    expect(e.message).toMatch(/14 days after .* expected 7 \(1 missing period\(s\)/);
  });

  it('irregular dates: a shifted day', () => {
    const e = thrown(() => validateMMMData(withCell('date_week', 60, '2019-05-21'), spec));
    expect(e.row).toBe(60);
    expect(e.message).toMatch(/irregular/);
  });

  it('fewer rows than parameters', () => {
    const e = thrown(() => validateMMMData(example, { ...spec, parameters: 200 }));
    expect([e.column, e.row]).toEqual([null, null]);
    expect(e.message).toMatch(/179 rows cannot determine 200 parameters/);
  });

  it('columns of different lengths', () => {
    const e = thrown(() => validateMMMData({ ...example, x1: (example.x1 as number[]).slice(1) }, spec));
    expect(e.column).toBe('x1');
  });

  it('a spec that names one column twice is an InvalidInputError of the spec', () => {
    expect(() => validateMMMData(example, { ...spec, controls: ['x1'] })).toThrow(InvalidInputError);
    expect(() => validateMMMData(example, { ...spec, channels: [] })).toThrow(/at least one spend column/);
  });
});

describe('validateMMMData: warnings naming the column', () => {
  it('a channel with zero spend in every week, a constant channel, a constant control', () => {
    const columns: Columns = {
      ...example,
      off: new Array(179).fill(0),
      flat: new Array(179).fill(2.5),
      holiday: new Array(179).fill(1),
    };
    const data = validateMMMData(columns, { ...spec, channels: ['x1', 'off', 'flat'], controls: ['holiday'] });
    expect(data.warnings).toEqual([
      "channel 'off' has zero spend in every row: its effect is not identified by these data",
      "channel 'flat' has constant spend (2.5): its effect cannot be told apart from the intercept",
      "control 'holiday' is constant (1): its effect cannot be told apart from the intercept",
    ]);
  });

  it('few rows per parameter', () => {
    const data = validateMMMData(example, { ...spec, parameters: 100 });
    expect(data.warnings).toEqual(['only 179 rows for 100 parameters: fewer than two rows per parameter leave the estimates very uncertain']);
  });
});

describe('loadCsv', () => {
  it('reports a blank cell of a file and still builds the DataFrame', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmm-data-'));
    const path = join(dir, 'blank.csv');
    writeFileSync(path, 'date,sales,tv\r\n2024-01-01,10,1\r\n2024-01-08,,2\r\n');
    const { frame, columns, missing, warnings } = loadCsv(path);
    rmSync(dir, { recursive: true });
    expect(missing).toEqual([{ column: 'sales', row: 2 }]);
    expect(warnings).toHaveLength(1);
    expect(columns.sales).toEqual([10, NaN]);
    expect(frame.shape).toEqual([2, 3]);
    expect(frame.isNa().values).toEqual([
      [false, false, false],
      [false, true, false],
    ]);
    expect(() => validateMMMData(columns, { date: 'date', target: 'sales', channels: ['tv'] })).toThrow(/missing value at row 2 \(2024-01-08\)/);
  });

  it('gives plain columns equal to parseCsv and a DataFrame holding the same numbers', () => {
    const path = resolve(dataDir, 'mmm_example.csv');
    const { frame, columns, names } = loadCsv(path);
    expect(columns).toEqual(example);
    expect(frame.columns).toEqual(names);
    expect(frame.shape).toEqual([179, 8]);
    expect(frame['y'].values).toEqual(example.y);
    expect(frame['date_week'].values).toEqual(example.date_week);
  });
});
