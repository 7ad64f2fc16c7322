export declare function readNodeModuleAbis(binary: Uint8Array): number[]
export declare function hasNodeModuleAbi(binary: Uint8Array, abi: number): boolean
