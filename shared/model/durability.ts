/**
 * When a delivery is acknowledged (README: "What capture guarantees"):
 * - `crash`: once committed to SQLite's WAL. Survives the process being killed at any moment; the
 *   WAL reaches the disk within a second, so an OS crash or power loss can lose the last second.
 * - `fsync`: once the WAL is fsynced. Survives power loss; slower.
 */
export const DURABILITY_LEVELS = ['crash', 'fsync'] as const

export type Durability = (typeof DURABILITY_LEVELS)[number]

export const DEFAULT_DURABILITY: Durability = 'crash'
