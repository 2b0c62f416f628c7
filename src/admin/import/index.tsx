import { createElement, useEffect, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import ErrorBox from '@/components/ErrorBox'
import PageState from '@/components/PageState'
import { call, errorMessage } from '@/api'
import type { ImportReport, TreeView } from '@/core/api'
import { decode, IS_H5 } from '@/components/util'
import './index.scss'

const HEADER = '乡镇,村(社区),网格,微网格,服务热线,网格长'
// 张建国 leads 第一网格 (the row's 网格), not its micro-grid 一组: see importOwnerDepth
const TEMPLATE = `${HEADER}\n东关镇,东关村,第一网格,一组,0354-1234567,张建国\n东关镇,东关村,第一网格,二组,,\n东关镇,东关村,第二网格,,,李秀英\n`

/**
 * A picked CSV as its bytes (the server tells UTF-8 from GBK, which Excel writes on Chinese
 * Windows): H5 from an <input type=file>, weapp from a chat file.
 */
type Picked = { name: string; bytes: ArrayBuffer }

function readH5File(file: File): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const r = new FileReader()
    r.onload = () => resolve(r.result as ArrayBuffer)
    r.onerror = () => reject(new Error('读取文件失败'))
    r.readAsArrayBuffer(file)
  })
}

async function pickWeappFile(): Promise<Picked | null> {
  try {
    const res = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['csv'] })
    const f = res.tempFiles[0]
    if (!f) return null
    const bytes = await new Promise<ArrayBuffer>((resolve, reject) =>
      Taro.getFileSystemManager().readFile({
        filePath: f.path,
        success: (r) => resolve(r.data as ArrayBuffer),
        fail: reject,
      }),
    )
    return { name: f.name, bytes }
  } catch (e) {
    if (/cancel/i.test(String((e as { errMsg?: string })?.errMsg ?? ''))) return null
    throw e
  }
}

export default function ImportPage() {
  const { params } = useRouter()
  const id = decode(params.id)
  const [tree, setTree] = useState<TreeView | null>(null)
  const [treeError, setTreeError] = useState<unknown>(null)
  const [file, setFile] = useState<{ name: string; base64: string; lines: number } | null>(null)
  const [check, setCheck] = useState<ImportReport | null>(null)
  const [result, setResult] = useState<ImportReport | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState<'' | 'check' | 'import'>('')

  const loadTree = () => {
    setTreeError(null)
    setTree(null)
    call('grid', 'tree', id ? { nodeId: id } : {})
      .then(async (t) => {
        // no id: look at the caller's first node, whose ancestors lead to the county root
        const first = !t.node && t.children[0]
        setTree(first && first.parentId !== null ? await call('grid', 'tree', { nodeId: first.id }) : t)
      })
      .catch(setTreeError)
  }
  useEffect(loadTree, [id])

  // rows start at 乡镇, so they hang under the county root or one township: the node itself when it is one of
  // those, else the county root (ancestors[0]); who may import where the server says (requireImporter), shown in the ErrorBox
  const shown = tree?.node ?? tree?.children[0] ?? null
  const parent: { id: string; name: string; level?: string } | null =
    !shown ? null : shown.parentId === null || shown.level === 'township' ? shown : (tree?.ancestors[0] ?? null)

  const chosen = (f: Picked) => {
    const bytes = new Uint8Array(f.bytes)
    if (bytes.length > 2_000_000) return setError(new Error('文件过大（不超过2MB），请分乡镇导入'))
    // rows as a spreadsheet counts them (line breaks; the last line may lack one)
    let lines = bytes.length && bytes[bytes.length - 1] !== 10 ? 1 : 0
    for (const b of bytes) if (b === 10) lines++
    // Taro's H5 version of arrayBufferToBase64 wants the bytes as a Uint8Array, WeChat's an ArrayBuffer
    const base64 = Taro.arrayBufferToBase64((IS_H5 ? bytes : f.bytes) as ArrayBuffer)
    setFile({ name: f.name, base64, lines })
    setCheck(null)
    setResult(null)
    setError(null)
  }

  const pick = async () => {
    try {
      const f = await pickWeappFile()
      if (f) chosen(f)
    } catch (e) {
      Taro.showModal({ title: '没有读到文件', content: errorMessage(e) === '出了点问题，请稍后重试' ? '请从聊天记录里选择一个 .csv 文件' : errorMessage(e), showCancel: false })
    }
  }

  const run = async (dryRun: boolean) => {
    if (!file || !parent || busy) return
    if (!dryRun) {
      const ok = await Taro.showModal({
        title: '导入表格',
        content: `将把 ${check?.rows ?? 0} 行导入到「${parent.name}」下：将新建 ${check?.created ?? 0} 个，已存在 ${check?.existing ?? 0} 个（跳过）。确定导入吗？`,
        confirmText: '确认导入',
        cancelText: '取消',
      })
        .then((r) => r.confirm)
        .catch(() => false)
      if (!ok) return
    }
    setBusy(dryRun ? 'check' : 'import')
    setError(null)
    try {
      const r = await call('grid', 'importCsv', { parentId: parent.id, csvBase64: file.base64, dryRun })
      if (dryRun) setCheck(r)
      else {
        setResult(r)
        setCheck(null)
      }
    } catch (e) {
      setError(e)
    } finally {
      setBusy('')
    }
  }

  const copyTemplate = () =>
    Taro.setClipboardData({ data: TEMPLATE }).catch(() => Taro.showToast({ title: '复制失败，请手动抄写', icon: 'none' }))

  const canImport = !!check && check.errors.length === 0 && !busy && !result

  return (
    <View className='xf-page import'>
      <PageState loading={!tree && !treeError} error={!tree ? treeError : null} onRetry={loadTree}>
        {tree && !parent && <PageState empty emptyText='您没有可以导入的区域' />}
        {parent && (
          <>
            <View className='xf-card'>
              <View className='xf-h1'>导入到「{parent.name}」</View>
              <View className='xf-muted'>表格里的每一行是一个区域，已存在的（同一上级下同名）会跳过，不会重复建。</View>
            </View>

            <View className='xf-h2'>表格格式</View>
            <View className='xf-card'>
              <View className='import__p'>第一行是表头，共 6 列（用英文逗号分隔，在表格软件里“另存为 CSV”即可，UTF-8 或 GBK 编码都可以）：</View>
              <View className='import__cols'>{HEADER}</View>
              <View className='import__p'>乡镇、村(社区)、网格必填；微网格、服务热线、网格长可以空着。服务热线不填则使用上级的热线。</View>
              <View id='import-owner-rule' className='import__p'>
                服务热线和网格长写给这一行的「网格」：写了微网格的行也一样，是网格的，不是微网格的（同一网格的几行只写一次即可，写了就要一致）。只写到乡镇或村的行，热线给这个乡镇或村。已经存在的区域不会被改动。
              </View>
              {parent?.level === 'township' && (
                <View id='import-township-rule' className='import__p'>
                  在「{parent.name}」导入：每一行的乡镇都要写「{parent.name}」，其他乡镇的行会被指出来，一行也不会写入。
                </View>
              )}
              <View className='import__p'>示例：</View>
              <Text id='csv-template' className='import__sample' userSelect>
                {TEMPLATE}
              </Text>
              <Btn id='btn-copy-template' size='small' onClick={copyTemplate}>
                复制模板
              </Btn>
            </View>

            <View className='xf-h2'>选择文件</View>
            <View className='xf-card'>
              {IS_H5 ? (
                createElement('input', {
                  id: 'csv-file',
                  className: 'import__file',
                  type: 'file',
                  accept: '.csv,text/csv',
                  onChange: async (e: { target: HTMLInputElement }) => {
                    const f = e.target.files?.[0]
                    if (!f) return
                    try {
                      chosen({ name: f.name, bytes: await readH5File(f) })
                    } catch (err) {
                      setError(err)
                    }
                  },
                })
              ) : (
                <Btn id='btn-pick' type='outline' onClick={pick}>
                  从微信聊天记录选择 CSV 文件
                </Btn>
              )}
              {file && (
                <View id='csv-name' className='import__p import__chosen'>
                  已选：{file.name}（{file.lines} 行，含表头）
                </View>
              )}
              <View className='xf-actions'>
                <Btn id='btn-check' type={check ? 'default' : 'primary'} disabled={!file || !!busy} onClick={() => run(true)}>
                  {busy === 'check' ? '正在检查…' : '检查'}
                </Btn>
                <Btn id='btn-import' type='primary' disabled={!canImport} onClick={() => run(false)}>
                  {busy === 'import' ? '正在导入…' : '导入'}
                </Btn>
              </View>
              {!!file && !check && !result && <View className='xf-muted'>先点「检查」，没有错误才能导入。</View>}
            </View>

            {!!error && <ErrorBox error={error} />}

            {check && (
              <View id='import-check' className='xf-card'>
                <View className='import__title'>检查结果</View>
                <View className='import__p'>
                  共 {check.rows} 行：将新建 {check.created} 个，已存在 {check.existing} 个（导入时跳过）
                </View>
                {check.errors.length === 0 ? (
                  <View className='import__ok'>没有发现错误，可以导入。</View>
                ) : (
                  <>
                    <View className='import__bad'>发现 {check.errors.length} 处错误，请改好表格后重新选择文件：</View>
                    <View id='import-errors' className='import__errors'>
                      {check.errors.map((er, i) => (
                        <View key={`${er.line}-${i}`} className='import__error'>
                          第 {er.line} 行：{er.reason}
                        </View>
                      ))}
                    </View>
                  </>
                )}
              </View>
            )}

            {result && (
              <View id='import-result' className='xf-card'>
                <View className='import__title'>导入完成</View>
                <View className='import__ok'>
                  新建 {result.created} 个区域，已存在跳过 {result.existing} 个（共 {result.rows} 行）。
                </View>
                <View className='xf-muted'>新建的网格可以回到网格管理页生成标识牌。</View>
              </View>
            )}
          </>
        )}
      </PageState>
    </View>
  )
}

