import { createFunction } from '../shared/handler'
import { cloudMain } from '../shared/cloud'
import { myExports, startExport, stepExport } from '../services/exports'

/**
 * export: staff export orders, volunteers and the points ledger of their scope as Excel or
 * CSV, as a job the page steps (and the clock sweep finishes when the page is left). Its own
 * function: it carries exceljs and needs a long timeout and more memory (scripts/build-functions.ts).
 */
export const run = createFunction('export', {
  start: startExport,
  step: stepExport,
  jobs: myExports,
})
export const main = cloudMain(run)
