import type { FindRequest } from './find-in-body'

/** What every body view gets from the body panel. */
export interface BodyViewProps {
  bytes: Uint8Array
  contentType: string | null
  /** The stored body is only the start of what was sent (413). */
  truncated: boolean
  find?: FindRequest
  /** Draw line ends, carriage returns and tabs as symbols. */
  lineEnds: boolean
}
