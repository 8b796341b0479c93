// A stand-in for the Electron binary's fuse wire, for tests: the packaging test packs it as the
// "Electron" executable and the afterPack hook flips it with @electron/fuses, exactly as it would
// the real one (the sentinel, a version byte, a length byte, then one byte per fuse).

/** @electron/fuses' marker that precedes the fuse wire in an Electron binary. */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/**
 * Electron's own defaults, in wire order: RunAsNode on, cookie encryption off, NODE_OPTIONS on,
 * inspect on, asar integrity off, asar-only off, V8 snapshot off, file:// privileges on.
 */
export const ELECTRON_DEFAULT_WIRE = '10110001';

export function fakeElectronBinary(wire: string = ELECTRON_DEFAULT_WIRE): Buffer {
  return Buffer.concat([
    Buffer.from('#!/bin/sh\necho "stand-in Electron for packaging tests"\nexit 0\n'),
    Buffer.from(FUSE_SENTINEL),
    Buffer.from([1, wire.length]),
    Buffer.from(wire),
    Buffer.from('\n'),
  ]);
}

/** The fuse states after the sentinel, as '0'/'1' characters. */
export function readFuseWire(binary: Buffer): string {
  const at = binary.indexOf(FUSE_SENTINEL);
  if (at < 0) throw new Error('no fuse wire');
  const start = at + FUSE_SENTINEL.length;
  const length = binary[start + 1] ?? 0;
  return binary.subarray(start + 2, start + 2 + length).toString('latin1');
}
