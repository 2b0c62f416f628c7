import type { Result } from '../src/core'
import type { Invocation } from '../cloudfunctions/shared/handler'
import { run as clock } from '../cloudfunctions/clock'
import { run as grid } from '../cloudfunctions/grid'
import { run as inbox } from '../cloudfunctions/inbox'
import { run as notify } from '../cloudfunctions/notify'
import { run as order } from '../cloudfunctions/order'
import { run as points } from '../cloudfunctions/points'
import { run as showcase } from '../cloudfunctions/showcase'
import { run as signboard } from '../cloudfunctions/signboard'
import { run as store } from '../cloudfunctions/store'
import { run as user } from '../cloudfunctions/user'
import { run as volunteer } from '../cloudfunctions/volunteer'

/**
 * The deployable functions, the same modules the cloud runs (their `run`, without the cloud entry).
 * `notify` (the outbox sender) and `clock` (the sweep) are timers in the cloud; locally the
 * runtime calls `clock` every minute (runtime/main.ts) and both run when called.
 */
export const FUNCTIONS: Record<string, (event: unknown, inv: Invocation) => Promise<Result<unknown>>> = { clock, grid, inbox, notify, order, points, showcase, signboard, store, user, volunteer }
