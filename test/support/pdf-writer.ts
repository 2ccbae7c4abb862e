import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { constants, deflateRawSync, deflateSync } from 'node:zlib';

/**
 * A minimal PDF writer for tests: generated files exercise what the fixtures cannot (Chinese text in a
 * non-embedded font with a predefined CMap, scanned pages, inflate bombs, encryption). It writes plain
 * PDF 1.7 with a classic xref table; encryption is the standard security handler, AESV2 (V4/R4).
 */
export interface TextRun {
  text: string;
  x: number;
  y: number;
  size?: number;
  /**
   * 'song' = STSong-Light with UniGB-UCS2-H (not embedded, needs pdf.js's CMaps); 'helv' = Helvetica;
   * 'type3' = a Type 3 font whose ToUnicode maps each one-byte code to the run's character as given, the
   * way Chromium's print-to-PDF writes CJK (radicals ⼀ ⺠ included when the text has them).
   */
  font?: 'song' | 'helv' | 'type3';
}

export interface PageSpec {
  runs?: TextRun[];
  /** Raw content stream appended after the runs. */
  raw?: string | Uint8Array;
  /** Paint a grey image over the page (a "scan"). */
  image?: boolean;
  /** Compress the content stream (and an uncompressed inflated size bomb can be given as raw bytes). */
  flate?: boolean;
  /** Already-deflated content: written with /FlateDecode as is. */
  deflated?: Uint8Array;
}

export interface PdfSpec {
  pages: PageSpec[];
  encrypt?: { userPassword: string; ownerPassword: string; permissions?: number };
}

const PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');

const md5 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
};

function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  let j = 0;
  for (let i = 0; i < 256; i++) {
    j = (j + (s[i] as number) + (key[i % key.length] as number)) & 255;
    [s[i], s[j]] = [s[j] as number, s[i] as number];
  }
  const out = Buffer.alloc(data.length);
  let a = 0;
  j = 0;
  for (let n = 0; n < data.length; n++) {
    a = (a + 1) & 255;
    j = (j + (s[a] as number)) & 255;
    [s[a], s[j]] = [s[j] as number, s[a] as number];
    out[n] = (data[n] as number) ^ (s[((s[a] as number) + (s[j] as number)) & 255] as number);
  }
  return out;
}

const padPassword = (pw: string): Buffer => Buffer.concat([Buffer.from(pw, 'latin1'), PAD]).subarray(0, 32);

function rc4Rounds(key: Buffer, data: Buffer): Buffer {
  let out = rc4(key, data);
  for (let i = 1; i <= 19; i++) out = rc4(Buffer.from(key.map((b) => b ^ i)), out);
  return out;
}

interface Security {
  fileKey: Buffer;
  dict: string;
}

function security(spec: NonNullable<PdfSpec['encrypt']>, id: Buffer): Security {
  const permissions = spec.permissions ?? -3904;
  let ownerKey = md5(padPassword(spec.ownerPassword || spec.userPassword));
  for (let i = 0; i < 50; i++) ownerKey = md5(ownerKey);
  const o = rc4Rounds(ownerKey, padPassword(spec.userPassword));
  const p = Buffer.alloc(4);
  p.writeInt32LE(permissions);
  let fileKey = md5(padPassword(spec.userPassword), o, p, id);
  for (let i = 0; i < 50; i++) fileKey = md5(fileKey);
  const u = Buffer.concat([rc4Rounds(fileKey, md5(PAD, id)), Buffer.alloc(16)]);
  const dict =
    `<< /Filter /Standard /V 4 /R 4 /Length 128 /P ${permissions} /O <${o.toString('hex')}> /U <${u.toString('hex')}> ` +
    '/CF << /StdCF << /CFM /AESV2 /Length 16 /AuthEvent /DocOpen >> >> /StmF /StdCF /StrF /StdCF >>';
  return { fileKey, dict };
}

function encryptObject(sec: Security, num: number, data: Uint8Array): Buffer {
  const salt = Buffer.from([num & 255, (num >> 8) & 255, (num >> 16) & 255, 0, 0, 0x73, 0x41, 0x6c, 0x54]);
  const key = md5(sec.fileKey, salt).subarray(0, 16);
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-128-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(data), cipher.final()]);
}

const ucs2Hex = (text: string): string =>
  Array.from(text)
    .map((ch) => (ch.codePointAt(0) as number).toString(16).padStart(4, '0'))
    .join('');

const latin = (text: string): string => text.replace(/[\\()]/g, (c) => `\\${c}`);

const FONT_NAMES = { song: 'F1', helv: 'F2', type3: 'F3' } as const;

/** One-byte codes (from 1) for every character the Type 3 runs show, in order of first use. */
function type3Codes(spec: PdfSpec): Map<string, number> {
  const codes = new Map<string, number>();
  for (const page of spec.pages) {
    for (const run of page.runs ?? []) {
      if (run.font !== 'type3') continue;
      for (const ch of run.text) if (!codes.has(ch)) codes.set(ch, codes.size + 1);
    }
  }
  if (codes.size > 255) throw new Error('the Type 3 font holds at most 255 distinct characters');
  return codes;
}

function shownText(run: TextRun, codes: Map<string, number>): string {
  const font = run.font ?? 'song';
  if (font === 'song') return `<${ucs2Hex(run.text)}>`;
  if (font === 'helv') return `(${latin(run.text)})`;
  return `<${Array.from(run.text, (ch) => (codes.get(ch) as number).toString(16).padStart(2, '0')).join('')}>`;
}

/** UTF-16BE hex, surrogate pairs included: what a ToUnicode CMap's destination strings hold. */
const utf16Hex = (text: string): string =>
  Array.from({ length: text.length }, (_, i) => text.charCodeAt(i).toString(16).padStart(4, '0')).join('');

function toUnicodeCMap(codes: Map<string, number>): string {
  const entries = [...codes].map(([ch, code]) => `<${code.toString(16).padStart(2, '0')}> <${utf16Hex(ch)}>`);
  const blocks: string[] = [];
  for (let i = 0; i < entries.length; i += 100) {
    const block = entries.slice(i, i + 100);
    blocks.push(`${block.length} beginbfchar\n${block.join('\n')}\nendbfchar`);
  }
  return [
    '/CIDInit /ProcSet findresource begin 12 dict begin begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def /CMapType 2 def',
    '1 begincodespacerange <00> <FF> endcodespacerange',
    ...blocks,
    'endcmap CMapName currentdict /CMapResource defineresource pop end end',
  ].join('\n');
}

function contentOf(page: PageSpec, codes: Map<string, number>): Buffer {
  const parts: string[] = [];
  if (page.image) parts.push('q 595 0 0 842 0 0 cm /Im1 Do Q');
  for (const run of page.runs ?? []) {
    const font = FONT_NAMES[run.font ?? 'song'];
    parts.push(`BT /${font} ${run.size ?? 12} Tf ${run.x} ${run.y} Td ${shownText(run, codes)} Tj ET`);
  }
  const head = Buffer.from(parts.join('\n'), 'latin1');
  const raw = page.raw === undefined ? Buffer.alloc(0) : Buffer.from(page.raw);
  return Buffer.concat([head, Buffer.from('\n'), raw]);
}

export function buildPdf(spec: PdfSpec): Uint8Array {
  const id = randomBytes(16);
  const sec = spec.encrypt ? security(spec.encrypt, id) : undefined;
  const objects: Array<Buffer | undefined> = [];
  const reserve = (): number => {
    objects.push(undefined);
    return objects.length;
  };
  const set = (num: number, dict: string, stream?: Uint8Array): void => {
    if (!stream) {
      objects[num - 1] = Buffer.from(dict, 'latin1');
      return;
    }
    const body = sec ? encryptObject(sec, num, stream) : Buffer.from(stream);
    const withLength = dict.replace(/>>\s*$/, ` /Length ${body.length} >>`);
    objects[num - 1] = Buffer.concat([
      Buffer.from(`${withLength}\nstream\n`, 'latin1'),
      body,
      Buffer.from('\nendstream', 'latin1'),
    ]);
  };
  const catalog = reserve();
  const pagesNum = reserve();
  const song = reserve();
  const songCid = reserve();
  const helv = reserve();
  const type3 = reserve();
  const charProcs = reserve();
  const toUnicode = reserve();
  const glyph = reserve();
  const image = reserve();
  const codes = type3Codes(spec);
  set(
    song,
    `<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [${songCid} 0 R] >>`,
  );
  // Strings inside objects are encrypted too (with the object's key); names are not.
  const str = (num: number, text: string): string =>
    sec ? `<${encryptObject(sec, num, Buffer.from(text, 'latin1')).toString('hex')}>` : `(${text})`;
  set(
    songCid,
    `<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry ${str(songCid, 'Adobe')} /Ordering ${str(songCid, 'GB1')} /Supplement 4 >> /DW 1000 >>`,
  );
  set(helv, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  // Every Type 3 glyph draws the same filled square one em wide: text extraction reads only ToUnicode.
  const names = [...codes.values()].map((code) => `/g${code}`);
  set(
    type3,
    `<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0] ` +
      `/CharProcs ${charProcs} 0 R /Encoding << /Type /Encoding /Differences [1 ${names.join(' ')}] >> ` +
      `/FirstChar 1 /LastChar ${Math.max(1, codes.size)} /Widths [${names.map(() => 1000).join(' ') || '1000'}] ` +
      `/ToUnicode ${toUnicode} 0 R /Resources << >> >>`,
  );
  set(charProcs, `<< ${names.map((n) => `${n} ${glyph} 0 R`).join(' ')} >>`);
  set(glyph, '<< >>', Buffer.from('1000 0 0 0 900 900 d1 50 0 850 850 re f', 'latin1'));
  set(toUnicode, '<< >>', Buffer.from(toUnicodeCMap(codes), 'latin1'));
  const pixels = Buffer.alloc(64 * 64, 0x80);
  set(
    image,
    '<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray /BitsPerComponent 8 >>',
    pixels,
  );
  const kids: number[] = [];
  for (const page of spec.pages) {
    const pageNum = reserve();
    const contentNum = reserve();
    kids.push(pageNum);
    set(
      pageNum,
      `<< /Type /Page /Parent ${pagesNum} 0 R /MediaBox [0 0 595 842] /Contents ${contentNum} 0 R ` +
        `/Resources << /Font << /F1 ${song} 0 R /F2 ${helv} 0 R /F3 ${type3} 0 R >> /XObject << /Im1 ${image} 0 R >> >> >>`,
    );
    if (page.deflated) set(contentNum, '<< /Filter /FlateDecode >>', page.deflated);
    else if (page.flate) set(contentNum, '<< /Filter /FlateDecode >>', deflateSync(contentOf(page, codes)));
    else set(contentNum, '<< >>', contentOf(page, codes));
  }
  set(pagesNum, `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`);
  set(catalog, `<< /Type /Catalog /Pages ${pagesNum} 0 R >>`);
  const encryptNum = sec ? reserve() : undefined;
  if (sec && encryptNum) set(encryptNum, sec.dict);

  const chunks: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = chunks[0]?.length ?? 0;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    const framed = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`),
      body ?? Buffer.from('null'),
      Buffer.from('\nendobj\n'),
    ]);
    offsets.push(offset);
    offset += framed.length;
    chunks.push(framed);
  });
  const xref = [
    'xref',
    `0 ${objects.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${objects.length + 1} /Root ${catalog} 0 R /ID [<${id.toString('hex')}> <${id.toString('hex')}>]` +
      `${encryptNum ? ` /Encrypt ${encryptNum} 0 R` : ''} >>`,
    'startxref',
    String(offset),
    '%%EOF',
    '',
  ].join('\n');
  chunks.push(Buffer.from(xref, 'latin1'));
  return new Uint8Array(Buffer.concat(chunks));
}

/** Deflates `unit` repeated until `totalBytes`, without ever holding the inflated bytes (a bomb payload). */
export function deflateRepeated(unit: string, totalBytes: number): Uint8Array {
  const chunk = Buffer.from(unit.repeat(Math.max(1, Math.floor((1 << 20) / unit.length))), 'latin1');
  const zlib = createDeflateSyncStream();
  let written = 0;
  while (written < totalBytes) {
    zlib.push(chunk);
    written += chunk.length;
  }
  return zlib.finish();
}

function createDeflateSyncStream(): { push(b: Buffer): void; finish(): Uint8Array } {
  // Each 1 MB chunk is deflated with a shared dictionary-free stream by concatenating raw deflate blocks
  // with Z_FULL_FLUSH semantics: zlib's sync API does not stream, so compress once and repeat the block.
  const parts: Buffer[] = [];
  let block: Buffer | undefined;
  let count = 0;
  return {
    push(b: Buffer) {
      block ??= deflateRawSync(b, { level: 9, finishFlush: constants.Z_FULL_FLUSH });
      count++;
    },
    finish() {
      if (!block) return new Uint8Array();
      // zlib header, the repeated full-flushed raw blocks, an empty final block, and the Adler-32 of the whole.
      const header = Buffer.from([0x78, 0xda]);
      const final = deflateRawSync(Buffer.alloc(0));
      for (let i = 0; i < count; i++) parts.push(block);
      const adler = Buffer.alloc(4); // pdf.js does not verify the checksum; zero keeps the writer simple.
      return new Uint8Array(Buffer.concat([header, ...parts, final, adler]));
    },
  };
}
