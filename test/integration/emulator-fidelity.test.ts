// Where the emulator must answer like CloudBase rather than like plain mingo.
// Every test goes through the REAL @cloudbase/node-sdk; each comment says which
// cloud behaviour it pins and where that behaviour is documented.
import type http from 'node:http'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Emulator } from '../../emulator'
import { failure, serve, stop, type Db } from '../helpers/emulatorSdk'

process.env.TENCENTCLOUD = 'true'
process.env.SILENCE = 'true'

jest.setTimeout(20_000)

let tmp: string
let emu: Emulator
let server: http.Server
let db: Db


/** db.Geo's constructors (the SDK's typings only declare Point). */
type GeoCtors = {
  Point: new (longitude: number, latitude: number) => { longitude: number; latitude: number }
  LineString: new (points: object[]) => object
  Polygon: new (lines: object[]) => object
}
const geo = () => db.Geo as unknown as GeoCtors

const ids = (res: { data: Array<{ _id: unknown }> }) => res.data.map((d) => d._id).sort()

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-fidelity-'))
  emu = await Emulator.open({ dataDir: tmp })
  await emu.createCollection('items', [])
  await emu.createCollection('writes', [])
  await emu.createCollection('oids', [])
  await emu.createCollection('dates', [])
  await emu.createCollection('places', [{ name: 'loc_geo', keys: [{ field: 'loc', dir: '2dsphere' }] }])
  await emu.createCollection('unindexed', [])
  ;({ server, db } = await serve(emu))
})

afterAll(async () => {
  await stop(server)
  await emu.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

// CloudBase documents elemMatch as "the array field holds at least one element
// satisfying all the given conditions", with field conditions on embedded
// documents (docs.cloudbase.net, 数据库 > 查询指令 elemMatch: `places:
// _.elemMatch({ area: _.gt(100), age: _.lt(2) })`). MongoDB only applies field
// conditions to embedded documents; a plain value has no fields to satisfy them.
describe('elemMatch', () => {
  beforeAll(async () => {
    await db.collection('items').add([
      { _id: 'plain', list: [1, 2, 9] },
      { _id: 'docs', list: [{ value: 3 }, { value: -1 }] },
      { _id: 'other', list: [{ other: 1 }] },
      { _id: 'nested', list: [[{ value: 5 }]] },
    ])
  })

  test('field conditions match only embedded documents, never plain values', async () => {
    const _ = db.command
    expect(ids(await db.collection('items').where({ list: _.elemMatch({ value: _.gt(0) }) }).get())).toEqual(['docs'])
    expect(ids(await db.collection('items').where({ list: _.elemMatch({ value: _.exists(true) }) }).get())).toEqual(['docs'])
  })

  test('operator-only conditions still apply to the values themselves (MongoDB semantics)', async () => {
    const res = await db.collection('items').options({ raw: true }).where({ list: { $elemMatch: { $gt: 5 } } }).get()
    expect(ids(res)).toEqual(['plain'])
  })
})

// The `updated` count per action. Evidence:
// * doc().set(): the documented result is "updated: 1 if the _id already exists,
//   otherwise 0 (and created: 1)" (WeChat cloud docs, Document.set, stats.updated).
// * doc().update() / where().update(): a write that changes nothing reports 0;
//   CloudBase users reported exactly this as surprising (WeChat developer
//   community, "云数据库update命令返回结果中更新成功条数有歧义": same values ->
//   stats.updated 0), i.e. MongoDB's nModified. The HTTP API databaseUpdate
//   answers both `matched` and `modified` for the same reason.
// * updateAndReturn(): backed by findAndModify, which has no "modified" count
//   (lastErrorObject.n counts the matched document), so a match reports 1.
describe('updated counts', () => {
  beforeAll(async () => {
    await db.collection('writes').add([
      { _id: 'w1', a: 1, tag: 'same' },
      { _id: 'w2', a: 1, tag: 'same' },
    ])
  })

  test('set() with the same data on an existing document reports 1', async () => {
    const res = await db.collection('writes').doc('w1').set({ a: 1, tag: 'same' })
    expect(res.updated).toBe(1)
    expect(res.upsertedId).toBeUndefined()
  })

  test('updateAndReturn() with the same values reports the matched document', async () => {
    const res = await db.collection('writes').where({ _id: 'w1' }).updateAndReturn({ a: 1 })
    expect(res.updated).toBe(1)
    expect(res.doc).toEqual({ _id: 'w1', a: 1, tag: 'same' })
  })

  test('update() that changes nothing reports 0 (doc and where), like the cloud', async () => {
    expect((await db.collection('writes').doc('w1').update({ a: 1 })).updated).toBe(0)
    expect((await db.collection('writes').where({ tag: 'same' }).update({ a: 1 })).updated).toBe(0)
    expect((await db.collection('writes').where({ tag: 'same' }).update({ a: 2 })).updated).toBe(2)
  })
})

// db.ObjectId({ id }) is serialised by the SDK as { $oid: id } (ObjectId/index.ts
// parse()); the server stores a BSON ObjectId and answers it as { $oid } in its
// Extended JSON, which the SDK decodes with bson's EJSON.parse. Equality is
// type-strict as in MongoDB: the string doc(hex) sends is not the ObjectId, so
// an ObjectId _id is reached with where({ _id: db.ObjectId({ id: hex }) }).
// (get() itself shows an ObjectId as {}: the SDK's Util.formatField copies
// Object.keys of every object, and bson's ObjectId has none. That happens on
// the client, against the cloud as well.)
describe('ObjectId', () => {
  const hex = '5f1b2c3d4e5f607182930a4b'

  test('an ObjectId field reads back as an ObjectId with the same hex', async () => {
    await db.collection('oids').add({ _id: 'ref1', owner: db.ObjectId({ id: hex }) })
    const res = await db.collection('oids').where({ owner: db.ObjectId({ id: hex }) }).updateAndReturn({ seen: true })
    expect(res.doc.owner.toHexString()).toBe(hex)
    const raw = await emu.handle({ action: 'database.getDocument', collectionName: 'oids', query: JSON.stringify({ _id: 'ref1' }) })
    expect((raw.data as { list: string[] }).list[0]).toContain(`{"$oid":"${hex}"}`)
  })

  test('a document whose _id is an ObjectId is found by ObjectId, not by its hex string', async () => {
    await db.collection('oids').add({ _id: db.ObjectId({ id: hex }), n: 1 })
    const byOid = () => db.collection('oids').where({ _id: db.ObjectId({ id: hex }) })
    expect((await byOid().count()).total).toBe(1)
    expect((await byOid().update({ n: 2 })).updated).toBe(1)
    expect((await byOid().updateAndReturn({ n: 3 })).doc._id.toHexString()).toBe(hex)
    expect((await db.collection('oids').doc(hex).get()).data).toEqual([])
  })
})

// Aggregation expressions follow MongoDB, which CloudBase's aggregate runs on
// (docs.cloudbase.net, 聚合操作符: week "Sunday starts a week; days before the
// first Sunday of the year are in week 0", substrBytes, indexOfCP).
describe('aggregation expressions', () => {
  beforeAll(async () => {
    await db.collection('dates').add({ _id: 'd1', at: new Date('2019-05-14T08:00:00Z'), s: 'hello world', cn: '幸福加码' })
  })

  test('$week counts Sunday-started weeks (2019-05-14 is week 19)', async () => {
    const [row] = (await db.collection('dates').aggregate().project({ w: { $week: '$at' } }).end()).data
    expect(row.w).toBe(19)
  })

  test('$week of the days before the first Sunday is 0', async () => {
    await db.collection('dates').add({ _id: 'd2', at: new Date('2022-01-01T12:00:00Z') }) // a Saturday
    const [row] = (await db.collection('dates').aggregate().match({ _id: 'd2' }).project({ w: { $week: '$at' } }).end()).data
    expect(row.w).toBe(0)
  })

  test('$substrBytes with a negative length reads to the end of the string', async () => {
    const [row] = (await db.collection('dates').aggregate().match({ _id: 'd1' }).project({ t: { $substrBytes: ['$s', 6, -1] } }).end()).data
    expect(row.t).toBe('world')
  })

  test('$indexOfCP finds code points', async () => {
    const _ = db.command
    const $ = _.aggregate
    const [row] = (
      await db
        .collection('dates')
        .aggregate()
        .match({ _id: 'd1' })
        .project({ i: $.indexOfCP(['$cn', '加']), j: $.indexOfCP(['$s', 'o', 5]), k: $.indexOfCP(['$s', 'z']) })
        .end()
    ).data
    expect(row).toMatchObject({ i: 2, j: 7, k: -1 })
  })
})

// Features CloudBase does not offer (or mingo cannot run) answer a clear error
// in the cloud's shape { code, message } instead of a silent wrong result.
describe('unsupported features', () => {
  test('$jsonSchema answers INVALID_PARAM "unsupported"', async () => {
    const err = await failure(db.collection('items').options({ raw: true }).where({ $jsonSchema: { required: ['x'] } }).get())
    expect(err.code).toBe('INVALID_PARAM')
    expect(err.message).toMatch(/unsupported/)
    expect(err.message).toContain('$jsonSchema')
  })

  test('$meta (text search) in an aggregation answers INVALID_PARAM "unsupported"', async () => {
    const err = await failure(db.collection('items').aggregate().project({ s: { $meta: 'textScore' } }).end())
    expect(err.code).toBe('INVALID_PARAM')
    expect(err.message).toMatch(/unsupported/)
  })

  test('$text answers INVALID_PARAM "unsupported"', async () => {
    const err = await failure(db.collection('items').options({ raw: true }).where({ $text: { $search: 'x' } }).get())
    expect(err.code).toBe('INVALID_PARAM')
    expect(err.message).toMatch(/unsupported/)
  })
})

// Geo queries (docs.cloudbase.net, 地理位置: geoNear / geoWithin / geoIntersects
// and the aggregate stage geoNear). The SDK stores db.Geo.Point/Polygon as
// GeoJSON ({ type, coordinates }) and sends geoNear as $nearSphere with
// $maxDistance/$minDistance in metres; "geoNear requires a geo index on the
// field" (the cloud refuses it otherwise).
describe('geo', () => {
  beforeAll(async () => {
    const { Point, Polygon, LineString } = geo()
    const square = (x: number, y: number, d: number) =>
      new Polygon([new LineString([new Point(x, y), new Point(x + d, y), new Point(x + d, y + d), new Point(x, y + d), new Point(x, y)])])
    await db.collection('places').add([
      { _id: 'p0', loc: new Point(113.3, 23.1) },
      { _id: 'p1', loc: new Point(113.301, 23.1) }, // ~102 m east
      { _id: 'p2', loc: new Point(113.31, 23.1) }, // ~1 km east
      { _id: 'p3', loc: new Point(113.4, 23.1) }, // ~10 km east
      { _id: 'g1', loc: square(113.29, 23.09, 0.02) }, // a grid around p0, p1, p2
    ])
    await db.collection('unindexed').add({ _id: 'u1', loc: new Point(113.3, 23.1) })
  })

  test('points read back as db.Geo.Point, polygons as db.Geo.Polygon', async () => {
    const p = (await db.collection('places').doc('p0').get()).data[0].loc
    expect(p).toBeInstanceOf(db.Geo.Point)
    expect([p.longitude, p.latitude]).toEqual([113.3, 23.1])
    const g = (await db.collection('places').doc('g1').get()).data[0].loc
    expect(g).toBeInstanceOf(geo().Polygon)
  })

  test('geoNear: points within maxDistance/minDistance (metres), nearest first', async () => {
    const _ = db.command
    const near = (q: Record<string, unknown>) => db.collection('places').where({ loc: _.geoNear({ geometry: new db.Geo.Point(113.3, 23.1), ...q }) }).get()
    expect((await near({ maxDistance: 2000 })).data.map((d: { _id: string }) => d._id)).toEqual(['p0', 'p1', 'p2'])
    expect((await near({ maxDistance: 2000, minDistance: 50 })).data.map((d: { _id: string }) => d._id)).toEqual(['p1', 'p2'])
  })

  test('geoNear needs a geo index on the field', async () => {
    const _ = db.command
    const err = await failure(db.collection('unindexed').where({ loc: _.geoNear({ geometry: new db.Geo.Point(113.3, 23.1), maxDistance: 10 }) }).get())
    expect(err.code).toBe('INVALID_PARAM')
    expect(err.message).toMatch(/index/)
  })

  test('geoWithin: points inside a polygon (a grid)', async () => {
    const _ = db.command
    const { Point, Polygon, LineString } = geo()
    const grid = new Polygon([new LineString([new Point(113.295, 23.095), new Point(113.305, 23.095), new Point(113.305, 23.105), new Point(113.295, 23.105), new Point(113.295, 23.095)])])
    expect(ids(await db.collection('places').where({ loc: _.geoWithin({ geometry: grid }) }).get())).toEqual(['p0', 'p1'])
  })

  test('geoIntersects: which grid polygon holds a point', async () => {
    const _ = db.command
    expect(ids(await db.collection('places').where({ loc: _.geoIntersects({ geometry: new db.Geo.Point(113.305, 23.1) }) }).get())).toEqual(['g1'])
  })

  test('aggregate geoNear stage: distances in metres, nearest first', async () => {
    const res = await db
      .collection('places')
      .aggregate()
      .geoNear({ near: new db.Geo.Point(113.3, 23.1), spherical: true, distanceField: 'dist', maxDistance: 2000, query: { _id: db.command.neq('g1') } })
      .end()
    expect(res.data.map((d: { _id: string }) => d._id)).toEqual(['p0', 'p1', 'p2'])
    expect(res.data[0].dist).toBe(0)
    expect(res.data[1].dist).toBeGreaterThan(90)
    expect(res.data[1].dist).toBeLessThan(110)
  })
})

// Collection.update() without where(): the SDK sends modifyDocument with no
// `query`. CloudBase requires a condition for batch writes ("集合update操作和
// remove一样需要where 之后操作", WeChat developer community on Collection.update);
// the emulator refuses instead of rewriting the whole collection.
describe('update without where', () => {
  test('is refused and changes nothing', async () => {
    await db.collection('writes').add({ _id: 'nw1', z: 1 })
    const err = await failure(db.collection('writes').update({ z: 2 }))
    expect(err.code).toBe('INVALID_PARAM')
    expect(err.message).toMatch(/where/)
    expect((await db.collection('writes').doc('nw1').get()).data[0].z).toBe(1)
  })

  test('where({}) still updates every document, explicitly', async () => {
    const res = await db.collection('writes').where({}).update({ everyone: true })
    expect(res.updated).toBeGreaterThan(1)
  })
})
