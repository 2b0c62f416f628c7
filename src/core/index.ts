// The domain core: pure, no I/O; shared by the app (src/) and the functions (cloudfunctions/).
export * from './errors'
export * from './time'
export * from './grid'
export * from './schemas'
export * from './order'
export * from './permissions'
export * from './loop'
export * from './api'
