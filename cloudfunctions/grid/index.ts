import { createFunction } from '../shared/handler'
import { cloudMain } from '../shared/cloud'
import { catalogue, resolveGrid } from '../services/grid'

/** grid: public lookups for the scan landing (signboard code → grid, service catalogue). */
export const run = createFunction('grid', { resolve: resolveGrid, catalogue })
export const main = cloudMain(run)
