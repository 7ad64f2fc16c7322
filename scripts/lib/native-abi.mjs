// Twin of electron/main/native-abi.ts for the start script (plain Node cannot import TS).
// A non-N-API addon exports `node_register_module_v<ABI>`; the name is plain ASCII in the binary.
const MARKER = 'node_register_module_v'

/** @param {Uint8Array} binary @returns {number[]} */
export function readNodeModuleAbis(binary) {
  const text = Buffer.from(binary.buffer, binary.byteOffset, binary.byteLength).toString('latin1')
  const found = new Set()
  for (const match of text.matchAll(new RegExp(`${MARKER}(\\d+)`, 'g'))) found.add(Number(match[1]))
  return [...found].sort((a, b) => a - b)
}

/** @param {Uint8Array} binary @param {number} abi */
export function hasNodeModuleAbi(binary, abi) {
  return readNodeModuleAbis(binary).includes(abi)
}
