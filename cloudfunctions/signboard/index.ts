import { createFunction } from '../shared/handler'
import { cloudMain } from '../shared/cloud'
import { generateSignboards, signboardProgress } from '../services/signboard'

/** signboard: print-ready PDFs of grid signboards (its own function: the PDF library and the CJK font are heavy). */
export const run = createFunction('signboard', { generate: generateSignboards, progress: signboardProgress })
export const main = cloudMain(run)
