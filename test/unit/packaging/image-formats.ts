import { readIcns } from '../../../scripts/icns.mjs';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** Width and height from a PNG's IHDR chunk; throws on anything that is not a PNG. */
export function pngSize(data: Buffer): Size {
  if (data.length < 24 || !data.subarray(0, 8).equals(PNG_SIGNATURE) || data.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG');
  }
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

/** Every image in an .ico: the size its directory entry claims and the size of the image data itself. */
export function icoImages(data: Buffer): Array<{ claimed: Size; actual: Size }> {
  if (data.readUInt16LE(0) !== 0 || data.readUInt16LE(2) !== 1) throw new Error('not an ICO file');
  const count = data.readUInt16LE(4);
  const images: Array<{ claimed: Size; actual: Size }> = [];
  for (let i = 0; i < count; i++) {
    const entry = 6 + 16 * i;
    // 0 in the directory means 256.
    const claimed = { width: data[entry]! || 256, height: data[entry + 1]! || 256 };
    const offset = data.readUInt32LE(entry + 12);
    const image = data.subarray(offset, offset + data.readUInt32LE(entry + 8));
    const actual = image.subarray(0, 8).equals(PNG_SIGNATURE)
      ? pngSize(image)
      : // A BITMAPINFOHEADER: its height counts the AND mask too, so it is twice the icon's.
        { width: image.readInt32LE(4), height: image.readInt32LE(8) / 2 };
    images.push({ claimed, actual });
  }
  return images;
}

/** Every entry of an .icns with the pixel size of its PNG. */
export function icnsImages(data: Buffer): Array<{ type: string; size: Size }> {
  return readIcns(data).map(({ type, data: png }) => ({ type, size: pngSize(png) }));
}
