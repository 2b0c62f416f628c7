import type { Result } from '../src/core'
import type { Invocation } from '../cloudfunctions/shared/handler'
import { run as clock } from '../cloudfunctions/clock'
import { run as exportFn } from '../cloudfunctions/export'
import { run as grid } from '../cloudfunctions/grid'
import { run as inbox } from '../cloudfunctions/inbox'
import { run as notify } from '../cloudfunctions/notify'
import { run as order } from '../cloudfunctions/order'
import { run as points } from '../cloudfunctions/points'
import { run as showcase } from '../cloudfunctions/showcase'
import { run as signboard } from '../cloudfunctions/signboard'
import { run as stats } from '../cloudfunctions/stats'
import { run as store } from '../cloudfunctions/store'
import { run as user } from '../cloudfunctions/user'
import { run as volunteer } from '../cloudfunctions/volunteer'
import { run as open311 } from '../cloudfunctions/open311'

/**
 * The deployable functions, the same modules the cloud runs (their `run`, without the cloud entry).
 * `notify` (the outbox sender) and `clock` (the sweep) are timers in the cloud; locally the
 * runtime calls `clock` every minute (runtime/main.ts) and both run when called.
 */
export const FUNCTIONS: Record<string, (event: unknown, inv: Invocation) => Promise<Result<unknown>>> = { clock, export: exportFn, grid, inbox, notify, order, points, showcase, signboard, stats, store, user, volunteer }

/**
 * Functions that answer plain HTTP rather than `{ action, data }` events: in the cloud each sits
 * behind the HTTP access service; locally runtime/server.ts routes `/<name>/…` GETs to it.
 */
export const HTTP_FUNCTIONS = { open311 }
