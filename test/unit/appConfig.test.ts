// Which pages each build has: the dev sign-in exists only in the local runtime's H5 build.
function pagesOf(env: Record<string, string | undefined>): string[] {
  const saved = { ...process.env }
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k]
  else process.env[k] = v
  ;(globalThis as any).defineAppConfig = (c: unknown) => c
  try {
    let cfg: { pages: string[] } | undefined
    jest.isolateModules(() => {
      cfg = require('../../src/app.config').default
    })
    return cfg!.pages
  } finally {
    for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k]
    else process.env[k] = saved[k]
  }
}

describe('the dev sign-in page', () => {
  test('is in the local H5 build', () => {
    expect(pagesOf({ TARO_ENV: 'h5', XF_H5_PUBLIC: undefined })).toContain('pages/dev/index')
  })
  test('is not in the public H5 build nor in the mini-program', () => {
    expect(pagesOf({ TARO_ENV: 'h5', XF_H5_PUBLIC: '1' })).not.toContain('pages/dev/index')
    expect(pagesOf({ TARO_ENV: 'weapp', XF_H5_PUBLIC: undefined })).not.toContain('pages/dev/index')
  })
})
