/** A failure `npm start` explains in plain words instead of a stack trace. */
export class StartError extends Error {
  /** @param {string} message @param {string[]} [hints] */
  constructor(message, hints = []) {
    super(message)
    this.name = 'StartError'
    this.hints = hints
  }
}

export const HEADLESS_HINT = 'The headless mode needs neither Electron nor its binary: `npx hookscope listen` (or `npm run headless`).'
