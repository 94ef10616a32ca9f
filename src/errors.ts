// Errors the user can fix. The CLI prints their message as one line and exits
// with `exitCode`; anything else is a bug and keeps its stack.
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message)
    this.name = 'UserError'
  }
}
