// A minimal Apple Icon Image (.icns) writer and reader. An .icns file is a big-endian container:
// 'icns' + total length, then entries of a 4-byte type, a length (header included) and the data.
// Since macOS 10.7 every entry type used here may hold a PNG, so the entries are resvg's PNGs.
// No package for this is installed, and the format is small enough to write out in full.

/** The PNG entry types and the pixel size each holds (the @2x types hold double the point size). */
export const ICNS_PNG_TYPES = /** @type {const} */ ({
  icp4: 16,
  icp5: 32,
  ic11: 32, // 16 pt @2x
  ic12: 64, // 32 pt @2x
  ic07: 128,
  ic13: 256, // 128 pt @2x
  ic08: 256,
  ic14: 512, // 256 pt @2x
  ic09: 512,
  ic10: 1024, // 512 pt @2x
});

/**
 * @param {ReadonlyArray<{ type: string, data: Buffer }>} entries
 * @returns {Buffer}
 */
export function writeIcns(entries) {
  const parts = entries.map(({ type, data }) => {
    if (!/^[\x20-\x7e]{4}$/.test(type)) throw new Error(`An ICNS entry type is four ASCII characters, not "${type}"`);
    const header = Buffer.alloc(8);
    header.write(type, 0, 'latin1');
    header.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([header, data]);
  });
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'latin1');
  header.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([header, body]);
}

/**
 * @param {Buffer} file
 * @returns {Array<{ type: string, data: Buffer }>}
 */
export function readIcns(file) {
  if (file.length < 8 || file.toString('latin1', 0, 4) !== 'icns') throw new Error('Not an ICNS file (no "icns" magic)');
  const total = file.readUInt32BE(4);
  if (total !== file.length) throw new Error(`ICNS length field says ${total} bytes, the file has ${file.length}`);
  const entries = [];
  for (let offset = 8; offset < total; ) {
    if (offset + 8 > total) throw new Error(`ICNS entry header at ${offset} runs past the end`);
    const type = file.toString('latin1', offset, offset + 4);
    const length = file.readUInt32BE(offset + 4);
    if (length < 8 || offset + length > total) throw new Error(`ICNS entry ${type} at ${offset} has a bad length ${length}`);
    entries.push({ type, data: file.subarray(offset + 8, offset + length) });
    offset += length;
  }
  return entries;
}
