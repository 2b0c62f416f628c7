// The two Noto Sans SC fonts (CJK) that PDFs and posters are drawn with. Kept apart from the
// renderers so a function that needs only the fonts (stats: the 红黑榜 poster) does not load pdfkit.
import fs from 'node:fs'
import path from 'node:path'

export const FONT_FILES = {
  regular: { dir: '400Regular', file: 'NotoSansSC_400Regular.ttf' },
  bold: { dir: '700Bold', file: 'NotoSansSC_700Bold.ttf' },
} as const

/**
 * A deployed function carries the two fonts in ./fonts next to index.js (scripts/build-functions.ts
 * copies them); in the repo they come from the npm package.
 */
export function fontPath(which: keyof typeof FONT_FILES): string {
  const { dir, file } = FONT_FILES[which]
  const deployed = path.join(__dirname, 'fonts', file)
  if (fs.existsSync(deployed)) return deployed
  return require.resolve(`@expo-google-fonts/noto-sans-sc/${dir}/${file}`)
}
