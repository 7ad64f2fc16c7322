/** A runtime failure the user can act on (a file that cannot be written): the CLI prints it and exits 1. */
export class CliFailure extends Error {
  override readonly name = 'CliFailure'
}
