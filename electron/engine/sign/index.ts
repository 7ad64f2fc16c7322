export { signRequest, signingProblem } from './sign-request'
export { signerFor, signingCapabilities } from './registry'
export type { SignFailure, SignFailureCode, SignInput, SignResult, Signer, SigningCapability } from './sign-types'
