import type { Scheme } from '../scheme'

/** Public-key, encrypted-payload, JOSE and credential schemes: one module each, listed here. */
export const keySchemes: Scheme[] = []
