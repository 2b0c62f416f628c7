/**
 * Which grid the registration form opens with. The signboard just scanned wins: a code in the
 * link (the scan landing passes the grid it shows), else whichever is newer of the last
 * signboard scanned and an abandoned draft's grid. Stored copies without a time (written
 * before times were kept) count as oldest.
 */
export function startingGridCode(p: {
  param?: string | null
  draft?: { gridCode?: string; savedAt?: number } | null
  lastScan?: { code?: string; at?: number } | null
}): string {
  if (p.param) return p.param
  const drafted = p.draft?.gridCode || ''
  const scanned = p.lastScan?.code || ''
  if (!drafted || !scanned) return drafted || scanned
  return (p.lastScan?.at ?? 0) >= (p.draft?.savedAt ?? 0) ? scanned : drafted
}
