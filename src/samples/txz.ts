/**
 * A minimal `.txz` writer for the node zip's `scc/scc_supportconfig_<node>.txz`: a ustar archive in an
 * xz container whose LZMA2 chunks are stored uncompressed (valid for `xz -d`, no compressor needed).
 */
import { crc32 } from 'node:zlib';

export interface TarFile {
  name: string;
  content: string;
  /** Seconds since the epoch. */
  mtime: number;
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function tarHeader(name: string, size: number, mtime: number, type: '0' | '5'): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(type === '5' ? 0o755 : 0o644, 8), 100);
  h.write(octal(0, 8), 108);
  h.write(octal(0, 8), 116);
  h.write(octal(size, 12), 124);
  h.write(octal(mtime, 12), 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  h.write('root', 265);
  h.write('root', 297);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

/** ustar bytes of a directory and its files (two zero blocks at the end, like GNU tar). */
export function tarArchive(dir: string, files: readonly TarFile[]): Buffer {
  const parts: Buffer[] = [tarHeader(`${dir}/`, 0, files[0]?.mtime ?? 0, '5')];
  for (const f of files) {
    const data = Buffer.from(f.content, 'utf8');
    parts.push(tarHeader(`${dir}/${f.name}`, data.length, f.mtime, '0'), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  const tar = Buffer.concat(parts);
  return Buffer.concat([tar, Buffer.alloc((10240 - (tar.length % 10240)) % 10240)]);
}

const le32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

const pad4 = (len: number): Buffer => Buffer.alloc((4 - (len % 4)) % 4);

/** xz stream (check CRC32) holding `data` in stored LZMA2 chunks. */
export function xzStored(data: Buffer): Buffer {
  const flags = Buffer.from([0x00, 0x01]);
  const streamHeader = Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), flags, le32(crc32(flags))]);
  // Block header: size byte, flags (one filter, no sizes), LZMA2 filter id 0x21 with a 1-byte dictionary property.
  const headerBody = Buffer.from([0x02, 0x00, 0x21, 0x01, 0x00, 0x00, 0x00, 0x00]);
  const blockHeader = Buffer.concat([headerBody, le32(crc32(headerBody))]);
  const chunks: Buffer[] = [];
  for (let off = 0, first = true; off < data.length; off += 0x10000, first = false) {
    const piece = data.subarray(off, Math.min(off + 0x10000, data.length));
    const head = Buffer.alloc(3);
    head[0] = first ? 0x01 : 0x02;
    head.writeUInt16BE(piece.length - 1, 1);
    chunks.push(head, piece);
  }
  chunks.push(Buffer.from([0x00]));
  const compressed = Buffer.concat(chunks);
  const block = Buffer.concat([blockHeader, compressed, pad4(compressed.length), le32(crc32(data))]);
  const unpadded = blockHeader.length + compressed.length + 4;
  const indexBody = Buffer.concat([Buffer.from([0x00]), varint(1), varint(unpadded), varint(data.length)]);
  const indexPadded = Buffer.concat([indexBody, pad4(indexBody.length)]);
  const index = Buffer.concat([indexPadded, le32(crc32(indexPadded))]);
  const backward = le32(index.length / 4 - 1);
  const footerBody = Buffer.concat([backward, flags]);
  const footer = Buffer.concat([le32(crc32(footerBody)), footerBody, Buffer.from([0x59, 0x5a])]);
  return Buffer.concat([streamHeader, block, index, footer]);
}
