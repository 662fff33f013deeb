/**
 * Reads just enough of a PE file (a Windows DLL) to pick the bridge that can host it: a 64-bit
 * plug-in DLL loads only into a 64-bit process, a 32-bit one only into a 32-bit process.
 */
import { open } from 'node:fs/promises';

export type PeArch = 'x64' | 'x86';

export interface PeInfo {
  /** undefined: a PE file for another machine (ARM64, say). */
  arch: PeArch | undefined;
  machine: number;
  isDll: boolean;
}

const IMAGE_FILE_MACHINE_I386 = 0x014c;
const IMAGE_FILE_MACHINE_AMD64 = 0x8664;
const IMAGE_FILE_DLL = 0x2000;

/** The PE header's machine and DLL flag; undefined when the file is not a PE image at all. */
export async function readPeInfo(path: string): Promise<PeInfo | undefined> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(64);
    if ((await file.read(head, 0, 64, 0)).bytesRead < 64 || head.toString('latin1', 0, 2) !== 'MZ') return undefined;
    const peOffset = head.readUInt32LE(0x3c);
    const pe = Buffer.alloc(24);
    if ((await file.read(pe, 0, 24, peOffset)).bytesRead < 24 || pe.toString('latin1', 0, 4) !== 'PE\0\0') return undefined;
    const machine = pe.readUInt16LE(4);
    const characteristics = pe.readUInt16LE(22);
    const arch = machine === IMAGE_FILE_MACHINE_AMD64 ? 'x64' : machine === IMAGE_FILE_MACHINE_I386 ? 'x86' : undefined;
    return { arch, machine, isDll: (characteristics & IMAGE_FILE_DLL) !== 0 };
  } finally {
    await file.close();
  }
}
