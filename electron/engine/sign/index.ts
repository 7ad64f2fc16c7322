export { signerFor, signingCapabilities } from './registry'
export { signingProblem, signRequest } from './sign-request'
export type { Signer, SignFailure, SignFailureCode, SignInput, SigningCapability, SignResult } from './sign-types'
export { signingOverview } from './signing-overview'
