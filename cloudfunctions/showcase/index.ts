import { createFunction } from '../shared/handler'
import { cloudMain } from '../shared/cloud'
import { createShowcase, feed, myShowcases } from '../services/showcase'

/** showcase: 晒 — villagers' (and teams') service stories; the public feed needs no sign-in. */
export const run = createFunction('showcase', { create: createShowcase, mine: myShowcases, feed })
export const main = cloudMain(run)
