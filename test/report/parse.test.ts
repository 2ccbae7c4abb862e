import { describe, expect, it } from 'vitest';
import type { ExtractedDocument } from '../../functions/extract/index.ts';
import { checkDocument } from '../../functions/report/index.ts';
import { consistentRequests } from '../support/report-builder.ts';
import { checkText, codes, errors, sampleSpec, sampleText } from './helpers.ts';

describe('a consistent report', () => {
  it('is VALID with every number read into the template keys', async () => {
    const r = await checkText(sampleText());
    expect(errors(r)).toEqual([]);
    expect(r.status).toBe('VALID');
    expect(r.agency).toBe('清河区光明街道办事处');
    expect(r.year).toBe(2023);
    expect(r.publishedOn).toBe('2024-01-20');
    expect(r.requests?.newReceived).toEqual(sampleSpec().requests.newReceived);
    expect(r.requests?.otherTotal2019).toBeNull();
    expect(r.proactive).toEqual({
      regulations: { issued: 0, repealed: 0, inForce: 0 },
      normativeDocuments: { issued: 1, repealed: 0, inForce: 12 },
      licensing: 35,
      penalties: 4,
      coercion: 0,
      feesTenThousandYuan: 0.5,
    });
    expect(r.sections.map((s) => [s.number, s.found])).toEqual([1, 2, 3, 4, 5, 6].map((n) => [n, true]));
  });
});

describe('flattened rows (a web page that lost the separators)', () => {
  it('recovers a row whose split the row total makes unique, and says so', async () => {
    const spec = sampleSpec();
    spec.requests.granted = {
      naturalPerson: 80,
      commercial: 1,
      research: 0,
      socialWelfare: 0,
      legalService: 0,
      otherOrg: 0,
      total: 81,
    };
    const text = sampleText({ ...spec, flattened: ['granted'] });
    expect(text).toContain('（一）予以公开\t801000081');
    const r = await checkText(text);
    expect(r.requests?.granted).toEqual(spec.requests.granted);
    expect(r.issues).toContainEqual(
      expect.objectContaining({ code: 'ROW_RECOVERED', severity: 'warning', row: 'granted' }),
    );
  });

  it("reads a row its own total cannot split from the table's column sums", async () => {
    // "111111015" alone is 1,1,1,1,1,10,15 or 1,1,1,1,11,0,15 (or four more); the column totals decide.
    const results = Array.from({ length: 21 }, (_, r) =>
      r === 2 ? [1, 1, 1, 1, 1, 10] : [0, 0, 0, 0, 0, 0],
    );
    const spec = sampleSpec({
      requests: consistentRequests(results, [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]),
    });
    const r = await checkText(sampleText({ ...spec, flattened: ['deniedStateSecret'] }));
    expect(r.requests?.deniedStateSecret).toEqual(spec.requests.deniedStateSecret);
    expect(r.issues).toContainEqual(
      expect.objectContaining({ code: 'ROW_RECOVERED', severity: 'warning', row: 'deniedStateSecret' }),
    );
    expect(errors(r)).toEqual([]);
  });

  it('names only the cells that stay open when two rows could swap their splits, and never invents a number', async () => {
    const results = Array.from({ length: 21 }, (_, r) =>
      r === 2 ? [1, 1, 1, 1, 1, 10] : r === 3 ? [1, 1, 1, 1, 11, 0] : [0, 0, 0, 0, 0, 0],
    );
    const spec = sampleSpec({
      requests: consistentRequests(results, [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]),
    });
    const r = await checkText(
      sampleText({ ...spec, flattened: ['deniedStateSecret', 'deniedProhibitedByLaw'] }),
    );
    const open = { legalService: null, otherOrg: null };
    const read = { naturalPerson: 1, commercial: 1, research: 1, socialWelfare: 1, total: 15 };
    expect(r.requests?.deniedStateSecret).toEqual({ ...read, ...open });
    expect(r.requests?.deniedProhibitedByLaw).toEqual({ ...read, ...open });
    const unreadable = r.issues.filter((i) => i.code === 'TABLE_UNREADABLE');
    expect(unreadable.map((i) => [i.row, i.severity])).toEqual([
      ['deniedStateSecret', 'warning'],
      ['deniedProhibitedByLaw', 'warning'],
    ]);
    expect(unreadable[0]?.message).toContain('"法律服务机构"、"其他"');
    // Open cells are not also reported cell by cell, nor do they raise arithmetic findings.
    expect(codes(r).filter((c) => c !== 'TABLE_UNREADABLE')).toEqual([]);
    // Our reading's limit, not the agency's mistake: a request to check, and the sound report stays VALID.
    expect(r.status).toBe('VALID');
  });

  it('recovers a flattened appeals row from the group totals', async () => {
    const doc: ExtractedDocument = {
      format: 'text',
      warnings: [],
      pages: [
        {
          number: 1,
          lines: sampleText()
            .split('\n')
            .map((l) => (l.startsWith('1\t0\t0\t0\t1\t') ? '100010011200000' : l))
            .map((l) => ({
              table: true,
              cells: l.split('\t').map((text, i) => ({ text, x0: i, x1: i + 1 })),
            })),
        },
      ],
    };
    const r = checkDocument({ file: 'x.txt', bytes: new Uint8Array() }, doc);
    expect(r.appeals?.litigationDirect).toEqual({ upheld: 0, corrected: 0, other: 1, pending: 1, total: 2 });
    expect(codes(r)).toContain('ROW_RECOVERED');
  });
});

describe('the 2019 row set and template', () => {
  it('reads （六）其他处理 as otherTotal2019 and warns TEMPLATE_OUTDATED for a 2021+ report', async () => {
    const spec = sampleSpec({ rowSet: '2019' });
    spec.requests.otherTotal2019 = {
      naturalPerson: 0,
      commercial: 0,
      research: 0,
      socialWelfare: 0,
      legalService: 0,
      otherOrg: 0,
      total: 0,
    };
    const r = await checkText(sampleText(spec));
    expect(r.requests?.otherTotal2019).toEqual(spec.requests.otherTotal2019);
    expect(r.requests?.otherNoCorrection).toBeNull();
    expect(errors(r)).toEqual([]);
    expect(r.issues).toContainEqual(
      expect.objectContaining({ code: 'TEMPLATE_OUTDATED', row: 'otherTotal2019' }),
    );
  });

  it('reads a 2019-template section 2 into proactive2019, without a warning for a 2019 report', async () => {
    const text = sampleText({ year: 2019, rowSet: '2019' }).replace(
      /二、主动公开政府信息情况[\s\S]*?(?=三、收到)/,
      [
        '二、主动公开政府信息情况',
        '第二十条第（一）项',
        '信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量',
        '规章\t0\t0\t0',
        '规范性文件\t2\t2\t30',
        '第二十条第（五）项',
        '信息内容\t上一年项目数量\t本年增/减\t处理决定数量',
        '行政许可\t12\t-2\t340',
        '其他对外管理服务事项\t3\t0\t5',
        '第二十条第（六）项',
        '信息内容\t上一年项目数量\t本年增/减\t处理决定数量',
        '行政处罚\t8\t1\t66',
        '行政强制\t2\t0\t1',
        '第二十条第（八）项',
        '信息内容\t上一年项目数量\t本年增/减',
        '行政事业性收费\t1\t0',
        '第二十条第（九）项',
        '信息内容\t采购项目数量\t采购总金额',
        '政府集中采购\t4\t120.5',
        '',
      ].join('\n'),
    );
    const r = await checkText(text);
    expect(r.template).toBe('2019');
    expect(r.proactive).toBeNull();
    expect(r.proactive2019).toEqual({
      regulations: { newlyMade: 0, newlyPublished: 0, totalPublished: 0 },
      normativeDocuments: { newlyMade: 2, newlyPublished: 2, totalPublished: 30 },
      licensing: { previousYearItems: 12, changeThisYear: -2, decisions: 340 },
      otherExternalServices: { previousYearItems: 3, changeThisYear: 0, decisions: 5 },
      penalties: { previousYearItems: 8, changeThisYear: 1, decisions: 66 },
      coercion: { previousYearItems: 2, changeThisYear: 0, decisions: 1 },
      fees: { previousYearItems: 1, changeThisYear: 0 },
      centralizedProcurement: { projects: 4, amountTenThousandYuan: 120.5 },
    });
    expect(r.issues).toEqual([]);
  });
});

describe('structure findings', () => {
  it('reports a missing section heading and still reads its table', async () => {
    const r = await checkText(sampleText({ omitSections: [3] }));
    expect(r.issues).toContainEqual(expect.objectContaining({ code: 'SECTION_MISSING', section: 3 }));
    expect(r.requests?.granted?.naturalPerson).toBe(3);
  });

  it('reports a left-out requests row as an error and a left-out 规章 row as a warning', async () => {
    const r = await checkText(sampleText({ omitRows: ['deniedQueryMatter'] }).replace('规章\t0\t0\t0\n', ''));
    expect(r.issues).toContainEqual(
      expect.objectContaining({ code: 'ROW_MISSING', severity: 'error', row: 'deniedQueryMatter' }),
    );
    expect(r.issues).toContainEqual(
      expect.objectContaining({ code: 'ROW_MISSING', severity: 'warning', row: 'regulations' }),
    );
    expect(r.proactive?.regulations).toBeNull();
    // The rules that need the missing row are skipped, not failed.
    expect(codes(r).filter((c) => c.startsWith('REQUESTS_'))).toEqual([]);
  });

  it('reports sections out of order', async () => {
    const text = sampleText().replace('五、存在的主要问题及改进情况\n公开内容的全面性有待提升。\n', '');
    const moved = text.replace(
      '一、总体情况',
      '五、存在的主要问题及改进情况\n公开内容的全面性有待提升。\n一、总体情况',
    );
    const r = await checkText(moved);
    expect(codes(r)).toContain('SECTION_ORDER');
  });

  it('a blank cell is CELL_MISSING and null; a cell of text is CELL_INVALID; arithmetic on them is skipped', async () => {
    const spec = sampleSpec();
    spec.requests.granted.commercial = null;
    spec.requests.unableNotHeld.naturalPerson = '两';
    spec.appeals.review.corrected = 1.5;
    const r = await checkText(sampleText(spec));
    expect(r.requests?.granted?.commercial).toBeNull();
    expect(errors(r).map((i) => [i.code, i.row ?? i.group, i.column])).toEqual([
      ['CELL_MISSING', 'granted', 'commercial'],
      ['CELL_INVALID', 'unableNotHeld', 'naturalPerson'],
      ['CELL_INVALID', 'review', 'corrected'],
      ['APPEALS_GROUP_TOTAL', 'review', 'total'],
    ]);
  });

  it('"/" means not applicable: null, not missing, counted as 0', async () => {
    const spec = sampleSpec();
    spec.requests.deniedStateSecret.research = '/';
    const r = await checkText(sampleText(spec));
    expect(r.requests?.deniedStateSecret?.research).toBeNull();
    expect(errors(r)).toEqual([]);
  });

  it('title, period and narrative years must agree', async () => {
    const r = await checkText(sampleText().replace('数据统计期限为2023年', '数据统计期限为2022年'));
    expect(r.issues).toContainEqual(
      expect.objectContaining({ code: 'YEAR_MISMATCH', section: 0, severity: 'error' }),
    );
    expect(r.issues.find((i) => i.code === 'YEAR_MISMATCH')?.message).toBe(
      '报告年度前后不一致：标题为2023年，统计期限为2022年，第一部分正文为2023年',
    );
  });

  it("narrative counts may include last year's carried-over requests, and otherwise warn", async () => {
    const spec = sampleSpec();
    const newReceived = Number(spec.requests.newReceived.total);
    const carried = Number(spec.requests.carriedOverFromLastYear.total);
    expect(codes(await checkText(sampleText({ narrativeReceived: newReceived + carried })))).not.toContain(
      'NARRATIVE_MISMATCH',
    );
    const r = await checkText(sampleText({ narrativeReceived: newReceived + 5 }));
    expect(r.issues).toContainEqual(
      expect.objectContaining({ code: 'NARRATIVE_MISMATCH', severity: 'warning', expected: newReceived }),
    );
    expect(r.status).toBe('VALID');
  });

  it('a document that is no annual report gets NOT_AN_ANNUAL_REPORT alone', async () => {
    const r = await checkText(
      '会议通知\n请各单位于下周一上午九点参加安全生产工作会议。\n联系电话：12345678\n',
    );
    expect(r.issues.map((i) => [i.code, i.severity])).toEqual([['NOT_AN_ANNUAL_REPORT', 'error']]);
    expect(r.status).toBe('INVALID');
  });

  it('messages name the place in words a supervisor reads', async () => {
    const spec = sampleSpec();
    spec.requests.carriedOverToNextYear.naturalPerson = 3;
    spec.requests.carriedOverToNextYear.total = 3;
    const r = await checkText(sampleText(spec));
    expect(r.issues.find((i) => i.code === 'REQUESTS_BALANCE')?.message).toBe(
      '第三部分表格"自然人"列：第一项加第二项之和（7）不等于第三项加第四项之和（8）',
    );
  });
});
