import { memoryState } from '../../src/state/memory/index.js'
import { storeSuite } from './suite.js'

storeSuite('memory', {
  create: async () => memoryState()(),
  destroy: async () => {}
})
