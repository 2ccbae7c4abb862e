import { ExtractionError } from './errors.ts';
import type { Container } from './limits.ts';
import { binaryShare, type DecodedText, decodeText } from './text-decode.ts';
import { readZipDirectory, type ZipEntry } from './zip.ts';

/** What the content says the file is. Never decided by the file name's extension. */
export type Detected =
  | { format: 'pdf' }
  | { format: 'docx'; entries: ZipEntry[] }
  | { format: 'html' | 'text'; decoded: DecodedText };

const startsWith = (bytes: Uint8Array, magic: number[]): boolean => magic.every((b, i) => bytes[i] === b);

const IMAGE_MAGIC: Array<[string, number[]]> = [
  ['PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['JPEG image', [0xff, 0xd8, 0xff]],
  ['GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['TIFF image', [0x49, 0x49, 0x2a, 0x00]],
  ['TIFF image', [0x4d, 0x4d, 0x00, 0x2a]],
  ['BMP image', [0x42, 0x4d]],
];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function indexOfAscii(bytes: Uint8Array, needle: string, limit: number): number {
  const end = Math.min(bytes.length - needle.length, limit);
  outer: for (let i = 0; i <= end; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}

function containsUtf16(bytes: Uint8Array, word: string): boolean {
  const needle = Array.from(word).flatMap((ch) => [ch.charCodeAt(0), 0]);
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

const isPdf = (bytes: Uint8Array): boolean => indexOfAscii(bytes, '%PDF-', 1024) >= 0;
const isZip = (bytes: Uint8Array): boolean =>
  startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]);

/** The container by its first bytes only: cheap enough for the parent process to word a budget message. */
export function containerOf(bytes: Uint8Array): Container {
  return isPdf(bytes) ? 'pdf' : isZip(bytes) ? 'docx' : 'text';
}

const HTML_HINT = /<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]|<table[\s>]|<(p|div|h[1-6]|br)[\s/>]/i;

export function detectFormat(bytes: Uint8Array): Detected {
  if (bytes.length === 0) throw new ExtractionError('FILE_EMPTY', '文件为空（0 字节）');
  // PDF writers may put junk before the header; readers accept it within the first kilobyte.
  if (isPdf(bytes)) return { format: 'pdf' };
  if (isZip(bytes)) {
    const entries = readZipDirectory(bytes);
    if (!entries) throw new ExtractionError('FILE_CORRUPT', 'ZIP 容器已损坏或不完整，无法读取目录');
    if (entries.some((e) => e.name === 'word/document.xml')) return { format: 'docx', entries };
    const kind = entries.some((e) => e.name.startsWith('xl/'))
      ? 'Excel 工作簿'
      : entries.some((e) => e.name === 'content.xml')
        ? 'OpenDocument 文件'
        : 'ZIP 压缩包';
    throw new ExtractionError('UNSUPPORTED_TYPE', `不支持的文件类型：${kind}；请上传 PDF、DOCX、HTML 或 TXT`);
  }
  if (startsWith(bytes, OLE2)) {
    // Password-protected OOXML files are stored inside an OLE2 container with an EncryptionInfo stream.
    if (containsUtf16(bytes, 'EncryptionInfo')) {
      throw new ExtractionError('FILE_ENCRYPTED', '文档已加密，需要密码才能打开；请上传未加密的文件');
    }
    throw new ExtractionError(
      'UNSUPPORTED_TYPE',
      '不支持旧版 Office 格式（.doc/.xls）；请另存为 DOCX 或 PDF 后上传',
    );
  }
  for (const [name, magic] of IMAGE_MAGIC) {
    if (startsWith(bytes, magic)) {
      throw new ExtractionError('UNSUPPORTED_TYPE', `不支持的文件类型：${name}；图片需先进行文字识别（OCR）`);
    }
  }
  const decoded = decodeText(bytes);
  if (binaryShare(decoded.text) > 0.02) {
    throw new ExtractionError('UNSUPPORTED_TYPE', '无法识别的二进制文件；请上传 PDF、DOCX、HTML 或 TXT');
  }
  if (decoded.text.trim().length === 0) throw new ExtractionError('FILE_EMPTY', '文件只含空白字符，没有内容');
  return { format: HTML_HINT.test(decoded.text.slice(0, 4096)) ? 'html' : 'text', decoded };
}
