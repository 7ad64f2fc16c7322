// A non-N-API addon built with NODE_MODULE exports `node_register_module_v<ABI>`, and the
// symbol name sits in the binary's dynamic symbol table as plain ASCII. Reading it tells which
// runtime the addon was compiled for without loading it (loading the wrong one throws).
// scripts/lib/native-abi.mjs is the same code for the start script, which cannot import TS;
// test/unit/electron/native-abi.test.ts runs both against the same cases.
const MARKER = 'node_register_module_v'

/** Every ABI number named by a `node_register_module_v<N>` symbol in the binary, ascending. */
export function readNodeModuleAbis(binary: Uint8Array): number[] {
  const text = Buffer.from(binary.buffer, binary.byteOffset, binary.byteLength).toString('latin1')
  const found = new Set<number>()
  const pattern = new RegExp(`${MARKER}(\\d+)`, 'g')
  for (const match of text.matchAll(pattern)) found.add(Number(match[1]))
  return [...found].sort((a, b) => a - b)
}

/** True when the addon registers itself for exactly this ABI (Electron 45 = 150, Node 20 = 115). */
export function hasNodeModuleAbi(binary: Uint8Array, abi: number): boolean {
  return readNodeModuleAbis(binary).includes(abi)
}
