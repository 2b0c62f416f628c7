import { openIdFromContext } from '../../cloudfunctions/shared/cloud'

describe('the cloud caller comes from the invocation context only', () => {
  const OPENID = 'oABCD1234efgh5678ijkl'
  test('new runtime: `environment` is JSON', () => {
    expect(openIdFromContext({ environment: JSON.stringify({ WX_OPENID: OPENID, WX_APPID: 'wx1' }) })).toBe(OPENID)
  })
  test('old runtime: `environ` is K=V;K=V', () => {
    expect(openIdFromContext({ environ: `WX_APPID=wx1;WX_OPENID=${OPENID};WX_UNIONID=` })).toBe(OPENID)
  })
  test('no openId in the context: nobody — never another call’s openId left in process.env', () => {
    process.env.WX_OPENID = 'oSOMEONE_ELSE_123456'
    try {
      expect(openIdFromContext({ environment: JSON.stringify({ WX_APPID: 'wx1' }) })).toBeNull()
      expect(openIdFromContext({ environ: 'WX_APPID=wx1' })).toBeNull()
      expect(openIdFromContext(undefined)).toBeNull()
    } finally {
      delete process.env.WX_OPENID
    }
  })
  test('garbage is nobody', () => {
    expect(openIdFromContext({ environment: '{not json' })).toBeNull()
    expect(openIdFromContext({ environment: JSON.stringify({ WX_OPENID: 'a;b=c' }) })).toBeNull()
    expect(openIdFromContext('ctx')).toBeNull()
  })
})
