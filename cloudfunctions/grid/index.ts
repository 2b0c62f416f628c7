import { createFunction } from '../shared/handler'
import { cloudMain } from '../shared/cloud'
import { catalogue, resolveGrid } from '../services/grid'
import { getTimeliness, saveTimeliness } from '../services/timeliness'
import { createNode, importCsv, moveNode, searchGrids, setNodeActive, tree, updateNode } from '../services/tree'

/** grid: public lookups for the scan landing, and the grid tree's administration. */
export const run = createFunction('grid', {
  resolve: resolveGrid,
  catalogue,
  tree,
  create: createNode,
  update: updateNode,
  move: moveNode,
  setActive: setNodeActive,
  importCsv,
  search: searchGrids,
  timeliness: getTimeliness,
  saveTimeliness,
})
export const main = cloudMain(run)
