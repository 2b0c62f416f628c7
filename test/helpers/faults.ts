import type { FaultPort, FaultStep } from '../../cloudfunctions/shared/context'

/** What a stopped operation throws: the test's stand-in for the process being killed there. */
export class FaultInjected extends Error {
  constructor(readonly step: FaultStep) {
    super(`stopped after ${step} (fault injected by a test)`)
  }
}

/**
 * A fault port that stops the operation the `nth` time it passes `step`, as if the function's
 * process had been killed right there: nothing after it runs. `fired` says whether it did.
 */
export function stopAt(step: FaultStep, nth = 1): FaultPort & { fired: boolean } {
  let seen = 0
  const port = {
    fired: false,
    at(s: FaultStep) {
      if (s !== step || ++seen !== nth) return
      port.fired = true
      throw new FaultInjected(s)
    },
  }
  return port
}
