import { createFunction } from '../shared/handler'
import { cloudMain } from '../shared/cloud'
import { myInbox, readInbox } from '../services/inbox'

/** inbox: the caller's in-app messages about their orders (the fallback of subscription messages). */
export const run = createFunction('inbox', { inbox: myInbox, readInbox })
export const main = cloudMain(run)
