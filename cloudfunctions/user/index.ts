import { createFunction } from '../shared/handler'
import { cloudMain } from '../shared/cloud'
import { me } from '../services/user'

/** user: the caller's profile and roles. */
export const run = createFunction('user', { me })
export const main = cloudMain(run)
