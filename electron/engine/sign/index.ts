export { signRequest, signingProblem } from './sign-request'
export { signerFor, signingCapabilities } from './registry'
export { signingOverview } from './signing-overview'
export type { SignFailure, SignFailureCode, SignInput, SignResult, Signer, SigningCapability } from './sign-types'
