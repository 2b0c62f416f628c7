// Signboard PDF rendering: real pages read back with poppler (text) and jsqr (codes).
import { renderSignboards, SCAN_CAPTION, SIGNBOARD_FOOTER, SIGNBOARD_TITLE, type SignboardPage } from '../../cloudfunctions/shared/pdf'
import { localWechat, scanUrl } from '../../cloudfunctions/shared/wechat'
import { decodePdfQrs, pdfPages, pdfText } from '../helpers/pdfQr'

jest.setTimeout(30_000)
const PUBLIC = 'http://xf.example.test:8080'
const PAGE = 'pages/scan/index'

async function page(code: string, over: Partial<SignboardPage> = {}): Promise<SignboardPage> {
  return {
    code,
    name: '东关村第一网格',
    villageName: '东关村',
    townshipName: '东关镇',
    hotline: '0354-2211100',
    leaderName: '王建国',
    services: ['水电维修', '家电维修', '代购代办', '助老陪护', '邻里纠纷调解', '家庭矛盾调解', '政策咨询', '隐患上报', '路灯维修'],
    codeImage: await localWechat().miniCode(code, PAGE, PUBLIC),
    ...over,
  }
}

describe('signboard PDF', () => {
  let pdf: Buffer
  beforeAll(async () => {
    pdf = await renderSignboards([
      await page('XF010101'),
      await page('XF020102', { name: '西山村第二网格', villageName: '西山村', townshipName: '西山乡', hotline: '0354-2221100', leaderName: null, services: [] }),
    ])
  })

  test('two grids → two A4 pages', async () => {
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    expect(await pdfPages(pdf)).toBe(2)
  })

  test('the Chinese text renders: names, hotline, leader, services, title and footer, per page', async () => {
    const [p1, p2] = (await pdfText(pdf)).split('\f')
    for (const s of [SIGNBOARD_TITLE.replace(/\s/g, ''), '东关村第一网格', 'XF010101', '东关镇', '0354-2211100', '王建国', '水电维修', '隐患上报', SCAN_CAPTION.replace(/\s/g, ''), SIGNBOARD_FOOTER.replace(/\s/g, '')])
      expect(p1.replace(/\s/g, '')).toContain(s)
    // only the first 8 services are printed
    expect(p1).not.toContain('路灯维修')
    for (const s of ['西山村第二网格', 'XF020102', '西山乡', '0354-2221100']) expect(p2.replace(/\s/g, '')).toContain(s)
    // no leader → a dash, not the first page's leader
    expect(p2).not.toContain('王建国')
  })

  test('only the embedded CJK fonts (never pdfkit’s Helvetica), subset', async () => {
    const raw = pdf.toString('latin1')
    expect(raw).not.toMatch(/Helvetica/)
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/)
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Bold/)
    // subsetting keeps it small despite the 10 MB fonts
    expect(pdf.length).toBeLessThan(200 * 1024)
  })

  test('each page’s code decodes to its H5 scan URL', async () => {
    expect(await decodePdfQrs(pdf)).toEqual([scanUrl(PUBLIC, PAGE, 'XF010101'), scanUrl(PUBLIC, PAGE, 'XF020102')])
    expect(scanUrl(PUBLIC, PAGE, 'XF010101')).toBe('http://xf.example.test:8080/#/pages/scan/index?code=XF010101')
  })

  test('the local code refuses without a public URL', async () => {
    await expect(localWechat().miniCode('XF010101', PAGE, '')).rejects.toThrow('H5')
  })
})
