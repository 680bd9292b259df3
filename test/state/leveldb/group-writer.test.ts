import { GroupWriter } from '../../../src/state/leveldb/group-writer.js'
import { groupWriterSuite } from './group-writer-suite.js'

groupWriterSuite('state store', (target) => new GroupWriter<string, string>(target))
