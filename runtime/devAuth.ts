import { randomBytes } from 'node:crypto'

/**
 * The dev sign-in: the local runtime's only way to say who a request comes
 * from. A token maps to a user id (= openId) for the life of the process.
 * Nothing like it exists in the cloud build: there CloudBase names the caller.
 */
export class DevSessions {
  private readonly tokens = new Map<string, string>()

  signIn(openId: string): string {
    const token = randomBytes(18).toString('base64url')
    this.tokens.set(token, openId)
    return token
  }

  /** The openId behind an `Authorization: Bearer <token>` header, or null. */
  resolve(authorization: string | undefined): string | null {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')
    return m ? (this.tokens.get(m[1]) ?? null) : null
  }
}
