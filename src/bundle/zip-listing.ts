import yauzl from 'yauzl';
import { FileRangeReader, type FileRange } from './byte-range.js';
import { CHUNK_BYTES } from './member-stream.js';
import { normaliseMemberPath } from './member-path.js';

/** One member of a zip, from its central directory or, when that is unreadable, from its local header. */
export interface ZipRecord {
  /** Normalised display name. */
  name: string;
  isDirectory: boolean;
  /** 0 stored, 8 deflated; anything else cannot be read. */
  method: number;
  encrypted: boolean;
  compressedSize: number;
  uncompressedSize: number | null;
  /** Where the local header starts (central directory), or null when dataStart is already known (scan). */
  localHeaderOffset: number | null;
  dataStart: number | null;
  mtime: number | null;
  /** CRC-32 of the uncompressed data, null when only a data descriptor knows it. */
  crc32: number | null;
  /** The archive ends inside this member's data. */
  truncated: boolean;
}

export interface ZipListing {
  records: ZipRecord[];
  /** Set when the central directory was unreadable and the records come from a forward scan. */
  recoveredFrom: string | null;
  /** Set when nothing could be listed at all. */
  unreadable: string | null;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_DESCRIPTOR = 0x08074b50;
const FLAG_ENCRYPTED = 0x1;
const FLAG_DESCRIPTOR = 0x8;
const U32_MAX = 0xffffffff;

/** Info-ZIP's UTC "UT" extra field when present, else the DOS time read as UTC (deterministic on any machine). */
function zipMtime(extraFields: yauzl.ExtraField[], dosDate: number, dosTime: number): number | null {
  const ut = extraFields.find((f) => f.id === 0x5455 && f.data.length >= 5 && (f.data[0] & 1) === 1);
  if (ut) return ut.data.readInt32LE(1) * 1000;
  const ms = Date.UTC(
    ((dosDate >> 9) & 0x7f) + 1980,
    ((dosDate >> 5) & 0xf) - 1,
    dosDate & 0x1f,
    (dosTime >> 11) & 0x1f,
    (dosTime >> 5) & 0x3f,
    (dosTime & 0x1f) * 2,
  );
  return Number.isFinite(ms) ? ms : null;
}

const decodeName = (flags: number, raw: Buffer, extraFields: yauzl.ExtraField[]): { name: string; isDirectory: boolean } => {
  const decoded = yauzl.getFileNameLowLevel(flags, raw, extraFields, false);
  return { name: normaliseMemberPath(decoded), isDirectory: decoded.endsWith('/') };
};

function listCentralDirectory(range: FileRange): Promise<ZipRecord[]> {
  const options = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: false };
  return new Promise((resolve, reject) => {
    yauzl.fromRandomAccessReader(new FileRangeReader(range), range.size, options, (err, zip) => {
      if (err) return reject(err);
      const records: ZipRecord[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        records.push({
          ...decodeName(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields),
          method: entry.compressionMethod,
          encrypted: (entry.generalPurposeBitFlag & FLAG_ENCRYPTED) !== 0,
          compressedSize: entry.compressedSize,
          uncompressedSize: entry.uncompressedSize,
          localHeaderOffset: entry.relativeOffsetOfLocalHeader,
          dataStart: null,
          mtime: zipMtime(entry.extraFields, entry.lastModFileDate, entry.lastModFileTime),
          crc32: entry.crc32,
          truncated: false,
        });
        zip.readEntry();
      });
      zip.once('end', () => {
        zip.close();
        resolve(records);
      });
      zip.once('error', (e: Error) => {
        zip.close();
        reject(e);
      });
      zip.readEntry();
    });
  });
}

/** Where a member's data starts, from its local header (the central directory does not say). */
export async function localDataStart(range: Pick<FileRange, 'readAt'>, headerOffset: number): Promise<number> {
  const header = await range.readAt(headerOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== SIG_LOCAL) {
    throw new Error(`no local file header at offset ${headerOffset}`);
  }
  return headerOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
}

const readU64 = (buf: Buffer, at: number): number => buf.readUInt32LE(at) + buf.readUInt32LE(at + 4) * 2 ** 32;

/**
 * End of a member written with a data descriptor (sizes unknown in the local header): the first descriptor, or
 * next header preceded by an unsigned descriptor, whose compressed size matches the distance from dataStart.
 */
async function findDescriptor(range: FileRange, dataStart: number): Promise<{ end: number; next: number } | null> {
  const matches = async (p: number, sig: number): Promise<{ end: number; next: number } | null> => {
    const length = p - dataStart;
    if (sig === SIG_DESCRIPTOR) {
      const descriptor = await range.readAt(p, 24);
      if (descriptor.length >= 16 && descriptor.readUInt32LE(8) === length) return { end: p, next: p + 16 };
      if (descriptor.length >= 24 && readU64(descriptor, 8) === length) return { end: p, next: p + 24 };
      return null;
    }
    if (length < 12) return null;
    const unsigned = await range.readAt(p - 12, 12);
    return unsigned.readUInt32LE(4) === length - 12 ? { end: p - 12, next: p } : null;
  };
  for (let window = dataStart; window < range.size; window += CHUNK_BYTES) {
    const buf = await range.readAt(window, CHUNK_BYTES + 3);
    for (let i = buf.indexOf('PK'); i !== -1 && i < CHUNK_BYTES && i + 4 <= buf.length; i = buf.indexOf('PK', i + 1)) {
      const sig = buf.readUInt32LE(i);
      if (sig !== SIG_DESCRIPTOR && sig !== SIG_LOCAL && sig !== SIG_CENTRAL) continue;
      const found = await matches(window + i, sig);
      if (found) return found;
    }
  }
  return null;
}

/** Forward scan of local headers, for a zip whose central directory is missing (truncated) or damaged. */
async function scanLocalHeaders(range: FileRange): Promise<ZipRecord[]> {
  const records: ZipRecord[] = [];
  let pos = 0;
  while (pos + 30 <= range.size) {
    const header = await range.readAt(pos, 30);
    if (header.readUInt32LE(0) !== SIG_LOCAL) break;
    const flags = header.readUInt16LE(6);
    const nameLength = header.readUInt16LE(26);
    const extraLength = header.readUInt16LE(28);
    const nameAndExtra = await range.readAt(pos + 30, nameLength + extraLength);
    if (nameAndExtra.length < nameLength + extraLength) break;
    let extraFields: yauzl.ExtraField[] = [];
    try {
      extraFields = yauzl.parseExtraFields(nameAndExtra.subarray(nameLength));
    } catch {
      // A damaged extra field only costs the zip64 sizes and the UT time.
    }
    let compressedSize = header.readUInt32LE(18);
    let uncompressedSize: number | null = header.readUInt32LE(22);
    const zip64 = extraFields.find((f) => f.id === 0x0001);
    if (zip64 && uncompressedSize === U32_MAX && zip64.data.length >= 16) {
      uncompressedSize = readU64(zip64.data, 0);
      compressedSize = readU64(zip64.data, 8);
    }
    const dataStart = pos + 30 + nameLength + extraLength;
    let next = dataStart + compressedSize;
    let truncated = next > range.size;
    if (flags & FLAG_DESCRIPTOR) {
      const found = await findDescriptor(range, dataStart);
      truncated = found === null;
      compressedSize = (found?.end ?? range.size) - dataStart;
      next = found?.next ?? range.size;
      uncompressedSize = null;
    }
    records.push({
      ...decodeName(flags, nameAndExtra.subarray(0, nameLength), extraFields),
      method: header.readUInt16LE(8),
      encrypted: (flags & FLAG_ENCRYPTED) !== 0,
      compressedSize: Math.min(compressedSize, range.size - dataStart),
      uncompressedSize,
      localHeaderOffset: null,
      dataStart,
      mtime: zipMtime(extraFields, header.readUInt16LE(12), header.readUInt16LE(10)),
      crc32: flags & FLAG_DESCRIPTOR ? null : header.readUInt32LE(14),
      truncated,
    });
    if (truncated) break;
    pos = next;
  }
  return records;
}

/** The members of a zip: its central directory (yauzl, Zip64 included), else whatever a forward scan recovers. */
export async function listZip(range: FileRange): Promise<ZipListing> {
  let reason: string;
  try {
    const records = await listCentralDirectory(range);
    // A directory that lists nothing in a zip that starts with a member has lost its entry count.
    const head = records.length === 0 ? await range.readAt(0, 4) : null;
    if (head === null || head.length < 4 || head.readUInt32LE(0) !== SIG_LOCAL) return { records, recoveredFrom: null, unreadable: null };
    reason = 'the central directory lists no members';
  } catch (err) {
    reason = (err as Error).message;
  }
  const records = await scanLocalHeaders(range);
  if (records.length === 0) return { records, recoveredFrom: null, unreadable: reason };
  return { records, recoveredFrom: reason, unreadable: null };
}
