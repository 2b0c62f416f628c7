import { startingGridCode } from '../../src/join/register/startingGrid'

describe('the grid the volunteer registration opens with', () => {
  const draft = { gridCode: 'XF020101', savedAt: 1_000 }

  test('the signboard the person just scanned wins over an abandoned draft', () => {
    // the scan landing passes the grid it shows
    expect(startingGridCode({ param: 'XF010101', draft, lastScan: { code: 'XF010101', at: 2_000 } })).toBe('XF010101')
    // opened without it: the newer of the last scan and the draft
    expect(startingGridCode({ draft, lastScan: { code: 'XF010101', at: 2_000 } })).toBe('XF010101')
  })

  test('a grid picked in the form after the last scan is kept', () => {
    expect(startingGridCode({ draft: { gridCode: 'XF020101', savedAt: 3_000 }, lastScan: { code: 'XF010101', at: 2_000 } })).toBe('XF020101')
  })

  test('whichever is known, else nothing; copies stored without a time count as oldest', () => {
    expect(startingGridCode({ draft: null, lastScan: { code: 'XF010101' } })).toBe('XF010101')
    expect(startingGridCode({ draft: { gridCode: 'XF020101' }, lastScan: null })).toBe('XF020101')
    expect(startingGridCode({ draft: { gridCode: 'XF020101' }, lastScan: { code: 'XF010101', at: 5 } })).toBe('XF010101')
    expect(startingGridCode({})).toBe('')
  })
})
