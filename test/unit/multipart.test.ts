// The H5 upload's multipart parser and image sniffing (runtime/upload.ts, emulator/storage.ts).
import { parseMultipart } from '../../runtime/upload'
import { checkCloudPath, sniffImage } from '../../emulator/storage'

const CT = 'multipart/form-data; boundary=----WebKitFormBoundaryAbC123'
const B = '------WebKitFormBoundaryAbC123'

test('parses fields and files, keeping binary data (CRLFs and all) intact', () => {
  const bin = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0xff])
  const body = Buffer.concat([
    Buffer.from(`preamble\r\n${B}\r\nContent-Disposition: form-data; name="cloudPath"\r\n\r\norders/o1/a.png\r\n`),
    Buffer.from(`${B}\r\nContent-Disposition: form-data; name="file"; filename="现场.png"\r\nContent-Type: image/png\r\n\r\n`),
    bin,
    Buffer.from(`\r\n${B}--\r\n`),
  ])
  const parts = parseMultipart(body, CT)
  expect(parts).toHaveLength(2)
  expect(parts[0]).toMatchObject({ name: 'cloudPath', filename: undefined })
  expect(parts[0].data.toString()).toBe('orders/o1/a.png')
  expect(parts[1]).toMatchObject({ name: 'file', filename: '现场.png', contentType: 'image/png' })
  expect(parts[1].data.equals(bin)).toBe(true)
})

test('quoted boundaries work; truncated or boundary-less bodies are refused', () => {
  const body = Buffer.from('--x y\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x y--')
  expect(parseMultipart(body, 'multipart/form-data; boundary="x y"')[0].data.toString()).toBe('1')
  expect(() => parseMultipart(Buffer.from('--x y\r\nContent-Disposition: form-data; name="a"\r\n\r\n1'), 'multipart/form-data; boundary="x y"')).toThrow()
  expect(() => parseMultipart(body, 'multipart/form-data')).toThrow()
  expect(() => parseMultipart(body, 'application/json')).toThrow()
})

test('image types are recognised by their magic bytes only', () => {
  expect(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))?.mime).toBe('image/jpeg')
  expect(sniffImage(Buffer.from('GIF89a\x01\x00', 'latin1'))?.mime).toBe('image/gif')
  expect(sniffImage(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'))?.mime).toBe('image/webp')
  expect(sniffImage(Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt ', 'latin1'))).toBeNull()
  expect(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull()
  expect(sniffImage(Buffer.from('\x89PNG', 'latin1'))).toBeNull()
})

test('cloud paths follow the CloudBase naming rules', () => {
  expect(checkCloudPath('orders/o1/现场-1_(2).png')).toBe('orders/o1/现场-1_(2).png')
  for (const bad of ['', '/a.png', 'a//b.png', 'a/', '../a.png', 'a/./b.png', 'a b.png', 'a%20b.png', 'a#b', 'a\\b.png', 'x'.repeat(851)])
    expect(() => checkCloudPath(bad)).toThrow()
})
