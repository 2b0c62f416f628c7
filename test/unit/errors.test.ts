import { retryHelps } from '../../src/core'

describe('when 重试 is offered', () => {
  test('a failure another try can cure offers it: the network, the server, a rate limit that has passed', () => {
    for (const code of ['NETWORK', 'INTERNAL', 'RATE_LIMITED']) expect(retryHelps(code)).toBe(true)
    // not an answer from the server at all (the client's own hiccup)
    expect(retryHelps(null)).toBe(true)
  })

  test('a refusal that stays the same however often one retries does not', () => {
    // an unknown grid code, no permission, a deactivated grid, bad input, a wrong step
    for (const code of ['NOT_FOUND', 'FORBIDDEN', 'GRID_INACTIVE', 'VALIDATION', 'INVALID_TRANSITION', 'UNKNOWN_ACTION']) expect(retryHelps(code)).toBe(false)
  })
})
