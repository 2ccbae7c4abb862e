/**
 * Writes an image-only PDF the way scanners do: each page one JPEG (DCTDecode) painted over the whole
 * page, no text layer; optionally a typed page of text first (a cover printed before the scans), in the
 * non-embedded STSong-Light font with the predefined UniGB-UCS2-H CMap.
 */
export type ScanPage =
  | {
      kind: 'image';
      jpeg: Uint8Array;
      width: number;
      height: number;
      widthPt: number;
      heightPt: number;
      colour: boolean;
    }
  | { kind: 'cover'; lines: string[] };

const A4 = { w: 595.28, h: 841.89 };

function utf16Hex(text: string): string {
  let hex = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0x3f;
    hex += (code > 0xffff ? 0x3f : code).toString(16).padStart(4, '0');
  }
  return hex;
}

export function imagePdf(pages: readonly ScanPage[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const offsets: number[] = [];
  let length = 0;
  const push = (data: string | Uint8Array): void => {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    chunks.push(bytes);
    length += bytes.length;
  };
  const object = (n: number, body: string | Uint8Array[], dict?: string): void => {
    offsets[n] = length;
    if (typeof body === 'string') {
      push(`${n} 0 obj\n${body}\nendobj\n`);
      return;
    }
    push(`${n} 0 obj\n${dict}\nstream\n`);
    for (const b of body) push(b);
    push('\nendstream\nendobj\n');
  };
  push('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
  // 1 catalog, 2 pages, 3 font; then per page: page, content, image.
  const kids: number[] = [];
  let next = 4;
  const bodies: Array<() => void> = [];
  for (const page of pages) {
    const pageNo = next++;
    const contentNo = next++;
    const imageNo = page.kind === 'image' ? next++ : 0;
    kids.push(pageNo);
    bodies.push(() => {
      if (page.kind === 'image') {
        const { widthPt: w, heightPt: h } = page;
        object(
          pageNo,
          `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w.toFixed(2)} ${h.toFixed(2)}] /Resources << /XObject << /Im0 ${imageNo} 0 R >> >> /Contents ${contentNo} 0 R >>`,
        );
        const content = Buffer.from(`q ${w.toFixed(2)} 0 0 ${h.toFixed(2)} 0 0 cm /Im0 Do Q`, 'latin1');
        object(contentNo, [content], `<< /Length ${content.length} >>`);
        object(
          imageNo,
          [page.jpeg],
          `<< /Type /XObject /Subtype /Image /Width ${page.width} /Height ${page.height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${page.jpeg.length} >>`,
        );
      } else {
        object(
          pageNo,
          `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${A4.w} ${A4.h}] /Resources << /Font << /F1 3 0 R >> >> /Contents ${contentNo} 0 R >>`,
        );
        const runs = page.lines
          .map((line, i) => {
            const size = i === 0 ? 18 : 14;
            const width = [...line].length * size;
            const x = Math.max(40, (A4.w - width) / 2);
            return `BT /F1 ${size} Tf ${x.toFixed(1)} ${(560 - i * 48).toFixed(1)} Td <${utf16Hex(line)}> Tj ET`;
          })
          .join('\n');
        const content = Buffer.from(runs, 'latin1');
        object(contentNo, [content], `<< /Length ${content.length} >>`);
      }
    });
  }
  object(1, '<< /Type /Catalog /Pages 2 0 R >>');
  object(2, `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`);
  object(
    3,
    '<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /DW 1000 >>] >>',
  );
  for (const b of bodies) b();
  const xref = length;
  const count = next;
  let table = `xref\n0 ${count}\n0000000000 65535 f \n`;
  for (let i = 1; i < count; i++) table += `${String(offsets[i] ?? 0).padStart(10, '0')} 00000 n \n`;
  push(`${table}trailer\n<< /Size ${count} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(chunks);
}
