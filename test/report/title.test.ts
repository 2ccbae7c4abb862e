import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { agencyAtStart, agencyFromTitlePrefix } from '../../functions/report/agency.ts';
import { checkText, codes, sampleText } from './helpers.ts';

/**
 * Titles as PDFs print them: a long agency name pushes the end of the title onto a second or third line
 * (`…2021年政府信息公开工作年度报` / `告`), with or without a document number or subtitle under it. The
 * title is read whole: its agency named and its year checked against the statistical period.
 */
const AGENCIES = [
  '清河区光明街道办事处',
  '上海市人民政府办公厅',
  '安平县新华区卫生健康委员会',
  '龙泉市光明区人力资源和社会保障局',
  '中国（上海）自由贸易试验区临港新片区管理委员会',
  '鲤城区人民政府开元街道办事处',
];

/** The sample report with its one-line title replaced by `titleLines`. */
function withTitle(titleLines: string[], year = 2023): string {
  const [first, ...rest] = sampleText({ agency: '签章单位', year }).split('\n');
  expect(first).toMatch(/年度报告$/);
  return [...titleLines, ...rest].join('\n');
}

/** Breaks `text` after each of `cuts` (character offsets, ascending, inside the text). */
function wrap(text: string, cuts: number[]): string[] {
  const chars = Array.from(text);
  const lines: string[] = [];
  let from = 0;
  for (const cut of cuts) {
    lines.push(chars.slice(from, cut).join(''));
    from = cut;
  }
  lines.push(chars.slice(from).join(''));
  return lines;
}

describe('a title wrapped over lines', () => {
  it('is read whole, its agency named, after any character and over two or three lines', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...AGENCIES),
        fc.constantFrom(2021, 2023),
        fc.uniqueArray(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 2 }),
        fc.constantFrom([], ['泉鲤政开办文〔2024〕1号'], ['（2023年度）']),
        async (agency, titleYear, rawCuts, after) => {
          const title = `${agency}${titleYear}年政府信息公开工作年度报告`;
          const length = Array.from(title).length;
          const cuts = [...new Set(rawCuts.map((c) => 1 + (c % (length - 1))))].sort((a, b) => a - b);
          const r = await checkText(withTitle([...wrap(title, cuts), ...after]));
          expect(r.title).toBe(title);
          expect(r.agency).toBe(agency);
          const mismatch = codes(r).includes('YEAR_MISMATCH');
          expect(mismatch).toBe(titleYear !== 2023);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('takes the agency from a line of its own above the year, and not a letterhead repeating it', async () => {
    const above = await checkText(
      withTitle(['鲤城区人民政府开元街道办事处', '2023年政府信息公开工作年度报告']),
    );
    expect(above.agency).toBe('鲤城区人民政府开元街道办事处');
    expect(above.title).toBe('鲤城区人民政府开元街道办事处2023年政府信息公开工作年度报告');

    const letterhead = await checkText(
      withTitle(['振兴街道办事处', '振兴街道办事处 2023 年政府信息公开', '工作年度报告']),
    );
    expect(letterhead.agency).toBe('振兴街道办事处');
    expect(letterhead.title).toBe('振兴街道办事处2023年政府信息公开工作年度报告');
  });

  it('sees the wrong year in a wrapped title (YEAR_MISMATCH)', async () => {
    const r = await checkText(withTitle(['安平县新华区卫生健康委员会2020年政府信息公开工作年度报', '告']));
    expect(r.title).toBe('安平县新华区卫生健康委员会2020年政府信息公开工作年度报告');
    expect(codes(r)).toContain('YEAR_MISMATCH');
  });

  it('does not take a page header or a sentence above it into the title', async () => {
    const header = await checkText(
      withTitle(['首页 > 政务公开 > 年报', '龙泉市胜利区民政局2023年政府信息公开工作年度', '报告']),
    );
    expect(header.title).toBe('龙泉市胜利区民政局2023年政府信息公开工作年度报告');
    expect(header.agency).toBe('龙泉市胜利区民政局');

    const site = await checkText(
      withTitle(['龙泉市人民政府', '龙泉市胜利区民政局2023年政府信息公开工作年度报告']),
    );
    expect(site.agency).toBe('龙泉市胜利区民政局');
    const office = await checkText(withTitle(['上海市人民政府', '办公厅2023年政府信息公开工作年度报告']));
    expect(office.agency).toBe('上海市人民政府办公厅');
  });

  it("reads a crawler's 标题 line and a 年度 title naming an area", async () => {
    const r = await checkText(withTitle(['标题: 平潭综合实验区2023年度政府信息公开工作年度报告']));
    expect(r.agency).toBe('平潭综合实验区');
    expect(r.title).toBe('平潭综合实验区2023年度政府信息公开工作年度报告');
  });
});

describe('agency names', () => {
  it('keeps an office apart from the government it belongs to, in titles', () => {
    for (const name of [
      '上海市人民政府办公厅',
      '北京市人民政府办公厅',
      '永和县人民政府办公室',
      '海淀区人民政府办公室',
      '朝阳区卫生健康委员会',
      '市发展改革委',
      '区卫健委',
      '国家发展改革委',
      '花街镇人民政府',
      '城关乡人民政府',
      '光华路街道办事处',
      '苏州工业园区管委会',
      '天津经济技术开发区管理委员会',
      '深圳市公安局交通警察局',
      '浙江省市场监督管理局',
      '南京市规划和自然资源局',
      '广州市住房和城乡建设局',
      '成都市人民政府国有资产监督管理委员会',
      '长沙县人民政府',
    ]) {
      expect(agencyFromTitlePrefix(name), name).toBe(name);
      expect(agencyFromTitlePrefix(`${name.slice(0, 2)} ${name.slice(2)}`), name).toBe(name);
    }
  });

  it('reads the government a publishing office names after 关于', () => {
    expect(agencyFromTitlePrefix('永和县人民政府办公室关于永和县人民政府')).toBe('永和县人民政府');
  });

  it('takes the longest name a first sentence opens with, and never 政府 of 政府信息公开', () => {
    const cases: Array<[string, string | null]> = [
      ['上海市人民政府办公厅认真贯彻落实《条例》', '上海市人民政府办公厅'],
      ['市发展改革委政府信息公开工作在市委、市政府的领导下', '市发展改革委'],
      ['区卫健委坚持以人民为中心', '区卫健委'],
      ['区卫健委政务公开工作取得新进展', '区卫健委'],
      ['永和县人民政府办公室紧紧围绕县委县政府中心工作', '永和县人民政府办公室'],
      ['光华路街道办事处积极推进政务公开', '光华路街道办事处'],
      ['城关乡人民政府深入贯彻', '城关乡人民政府'],
      ['苏州工业园区管委会持续深化政务公开', '苏州工业园区管委会'],
      ['市交通运输局全面推进政务公开', '市交通运输局'],
      ['我局认真贯彻', null],
      ['本机关没有收到申请', null],
      ['全年共收到申请12件', null],
    ];
    for (const [sentence, name] of cases) expect(agencyAtStart(sentence), sentence).toBe(name);
  });

  it('names the office from the first sentence when the report has no title', async () => {
    const text = sampleText({ agency: '上海市人民政府办公厅', year: 2023 })
      .split('\n')
      .slice(1)
      .join('\n')
      .replace('2023年，我单位认真贯彻落实', '2023年，上海市人民政府办公厅认真贯彻落实')
      // No signature either: the sentence is the only place the name is printed.
      .replace(/\n上海市人民政府办公厅\n2024年1月20日\n$/, '\n');
    const r = await checkText(text);
    expect(r.title).toBeNull();
    expect(r.agency).toBe('上海市人民政府办公厅');
  });
});
