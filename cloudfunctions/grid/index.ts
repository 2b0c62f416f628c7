import { createFunction } from '../shared/handler'
import { cloudMain } from '../shared/cloud'
import { catalogue, resolveGrid } from '../services/grid'
import { listCatalogue, reorderServices, saveService, setServiceActive } from '../services/catalogue'
import { getTimeliness, saveTimeliness } from '../services/timeliness'
import { createNode, importCsv, moveNode, searchGrids, setNodeActive, tree, updateNode } from '../services/tree'

/** grid: public lookups for the scan landing, the grid tree's administration and the service catalogue. */
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
  services: listCatalogue,
  saveService,
  reorderServices,
  setServiceActive,
})
export const main = cloudMain(run)
